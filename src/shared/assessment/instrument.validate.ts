import type { z } from 'zod';
import {
  instrumentSchema, type AnswerCondition, type Instrument, type InstrumentShape, type Item, type RuleCondition,
  type ShowIfCondition,
} from './instrument.schema.js';
import { NON_ANSWERS } from './vocabulary.js';

/** Why an instrument was refused. A closed union so the admin UI can react to each case. */
export type InstrumentIssueCode =
  | 'invalid_json'
  | 'invalid_shape'
  | 'duplicate_item_id'
  | 'duplicate_rule_id'
  | 'duplicate_option_id'
  | 'unknown_item'
  | 'unknown_option'
  | 'non_monotone_condition'
  | 'self_reference'
  | 'skip_logic_cycle'
  | 'short_item_depends_on_long_item'
  | 'evidence_never_possible'
  | 'unsatisfiable_count';

export interface InstrumentIssue {
  code: InstrumentIssueCode;
  /** The thing at fault in words: `item 'debt_owed'`, `rule 'amp_complete'` or `instrument`. */
  subject: string;
  /** Where in the JSON document, e.g. `items[4].showIf.of[1].item`. */
  path: string;
  message: string;
}

export type ParseInstrumentResult = { ok: true; instrument: Instrument } | { ok: false; issues: InstrumentIssue[] };

export class InstrumentValidationError extends Error {
  constructor(readonly issues: InstrumentIssue[]) {
    super(`invalid instrument: ${formatInstrumentIssues(issues)}`);
    this.name = 'InstrumentValidationError';
  }
}

export function formatInstrumentIssues(issues: InstrumentIssue[]): string {
  return issues.map((issue) => `${issue.subject} (${issue.path}): ${issue.message}`).join('; ');
}

/** Validate raw data (already JSON-parsed) into an instrument, or list every problem found. */
export function parseInstrument(raw: unknown): ParseInstrumentResult {
  const shaped = instrumentSchema.safeParse(raw);
  if (!shaped.success) return { ok: false, issues: shapeIssues(raw, shaped.error) };
  const issues = crossReferenceIssues(shaped.data);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, instrument: shaped.data as Instrument };
}

/** For data the program ships (the default instrument) or has already validated: a failure here is a fault. */
export function assertValidInstrument(raw: unknown): Instrument {
  const parsed = parseInstrument(raw);
  if (!parsed.ok) throw new InstrumentValidationError(parsed.issues);
  return parsed.instrument;
}

function shapeIssues(raw: unknown, error: z.ZodError): InstrumentIssue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const message = missing ? `${lastKey(issue.path)} is missing` : issue.message;
    return { code: 'invalid_shape', subject: subjectOf(raw, issue.path), path, message };
  });
}

/** Name the item or rule a path points into, using the id in the raw document when it has one. */
function subjectOf(raw: unknown, path: readonly PropertyKey[]): string {
  const [collection, index] = path;
  if ((collection === 'items' || collection === 'rules') && typeof index === 'number') {
    const list = (raw as Record<string, unknown> | null)?.[collection];
    const entry = Array.isArray(list) ? (list[index] as { id?: unknown } | undefined) : undefined;
    const kind = collection === 'items' ? 'item' : 'rule';
    return typeof entry?.id === 'string' ? `${kind} '${entry.id}'` : `${kind} #${index + 1}`;
  }
  return 'instrument';
}

function lastKey(path: readonly PropertyKey[]): string {
  const key = path[path.length - 1];
  if (key === 'en' || key === 'es' || key === 'fr') return `the ${key} translation`;
  return key === undefined ? 'value' : `"${String(key)}"`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}

function crossReferenceIssues(instrument: InstrumentShape): InstrumentIssue[] {
  const issues: InstrumentIssue[] = [];
  const itemsById = new Map<string, Item>();
  instrument.items.forEach((item, index) => {
    const subject = `item '${item.id}'`;
    if (itemsById.has(item.id)) {
      issues.push({ code: 'duplicate_item_id', subject, path: `items[${index}].id`, message: `another item already has the id '${item.id}'` });
    } else itemsById.set(item.id, item);
    if (item.answer.type === 'choice') {
      const seen = new Set<string>();
      item.answer.options.forEach((option, optionIndex) => {
        if (seen.has(option.id) || (NON_ANSWERS as readonly string[]).includes(option.id)) {
          issues.push({ code: 'duplicate_option_id', subject, path: `items[${index}].answer.options[${optionIndex}].id`, message: `option id '${option.id}' is used twice or is a reserved answer` });
        }
        seen.add(option.id);
      });
      const isEvidence = item.domain !== 'context' || item.ilo !== undefined || item.redFlag !== undefined;
      if (isEvidence && !item.answer.options.some((option) => option.positive)) {
        issues.push({ code: 'evidence_never_possible', subject, path: `items[${index}].answer.options`, message: 'the item is tagged as evidence but no option is marked positive, so it can never count' });
      }
    }
  });

  const ruleIds = new Set<string>();
  instrument.rules.forEach((rule, index) => {
    if (ruleIds.has(rule.id)) {
      issues.push({ code: 'duplicate_rule_id', subject: `rule '${rule.id}'`, path: `rules[${index}].id`, message: `another rule already has the id '${rule.id}'` });
    }
    ruleIds.add(rule.id);
    checkCondition(rule.when, `rules[${index}].when`, `rule '${rule.id}'`, itemsById, issues, undefined);
  });

  instrument.items.forEach((item, index) => {
    if (item.showIf) checkCondition(item.showIf, `items[${index}].showIf`, `item '${item.id}'`, itemsById, issues, item);
  });
  issues.push(...skipLogicCycles(instrument.items, itemsById));
  return issues;
}

/** Check one condition tree; `owner` is the item whose showIf this is (undefined for rules). */
function checkCondition(
  condition: RuleCondition | ShowIfCondition,
  path: string,
  subject: string,
  itemsById: Map<string, Item>,
  issues: InstrumentIssue[],
  owner: Item | undefined,
): void {
  switch (condition.op) {
    case 'all':
    case 'any':
    case 'atLeast':
      if (condition.op === 'atLeast' && condition.count > condition.of.length) {
        issues.push({ code: 'unsatisfiable_count', subject, path: `${path}.count`, message: `needs ${condition.count} of only ${condition.of.length} conditions` });
      }
      condition.of.forEach((child, i) => checkCondition(child, `${path}.of[${i}]`, subject, itemsById, issues, owner));
      return;
    case 'yes':
    case 'answer':
      checkAnswerCondition(condition, path, subject, itemsById, issues, owner);
      return;
    default:
      return;
  }
}

function checkAnswerCondition(
  condition: Extract<AnswerCondition, { item: string }>,
  path: string,
  subject: string,
  itemsById: Map<string, Item>,
  issues: InstrumentIssue[],
  owner: Item | undefined,
): void {
  const target = itemsById.get(condition.item);
  if (!target) {
    issues.push({ code: 'unknown_item', subject, path: `${path}.item`, message: `refers to unknown item '${condition.item}'` });
    return;
  }
  if (owner && target.id === owner.id) {
    issues.push({ code: 'self_reference', subject, path: `${path}.item`, message: 'an item cannot be shown depending on its own answer' });
  }
  if (owner?.short && !target.short) {
    issues.push({ code: 'short_item_depends_on_long_item', subject, path: `${path}.item`, message: `a short-form item cannot depend on '${target.id}', which is not in the short form` });
  }
  if (condition.op === 'yes') {
    if (target.answer.type === 'choice' && !target.answer.options.some((option) => option.positive)) {
      issues.push({ code: 'unknown_option', subject, path: `${path}.item`, message: `'yes' on choice item '${target.id}' can never be true: no option is marked positive` });
    }
    return;
  }
  if (target.answer.type === 'yes_no') {
    if (condition.in.some((value) => value !== 'yes')) {
      issues.push({ code: 'non_monotone_condition', subject, path: `${path}.in`, message: `conditions on yes/no item '${target.id}' may only test for 'yes' (use op 'yes'), so that answering yes never hides evidence or lowers a level` });
    }
    return;
  }
  const allowed = new Set<string>([...target.answer.options.map((option) => option.id), ...NON_ANSWERS]);
  condition.in.forEach((value, i) => {
    if (!allowed.has(value)) {
      issues.push({ code: 'unknown_option', subject, path: `${path}.in[${i}]`, message: `'${value}' is not an option of item '${target.id}'` });
    }
  });
}

/** Items referenced by an item's showIf (its dependencies). */
export function showIfDependencies(condition: ShowIfCondition | undefined, into: Set<string> = new Set()): Set<string> {
  if (!condition) return into;
  if (condition.op === 'all' || condition.op === 'any' || condition.op === 'atLeast') {
    for (const child of condition.of) showIfDependencies(child, into);
  } else if (condition.op === 'yes' || condition.op === 'answer') into.add(condition.item);
  return into;
}

/** Find cycles in skip logic (a shown-if b shown-if a): such items could never be shown. */
function skipLogicCycles(items: Item[], itemsById: Map<string, Item>): InstrumentIssue[] {
  const issues: InstrumentIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of showIfDependencies(itemsById.get(id)?.showIf)) {
      if (!itemsById.has(dependency) || dependency === id) continue; // reported as unknown_item / self_reference
      const seen = state.get(dependency);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dependency)), dependency];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const index = items.findIndex((item) => item.id === dependency);
          issues.push({ code: 'skip_logic_cycle', subject: `item '${dependency}'`, path: `items[${index}].showIf`, message: `skip logic forms a cycle: ${cycle.join(' -> ')}` });
        }
      } else if (seen === undefined) visit(dependency);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const item of items) if (!state.has(item.id)) visit(item.id);
  return issues;
}
