import type { Instrument, Item, Rule, RuleCondition, ShowIfCondition } from './instrument.schema.js';
import { showIfDependencies } from './instrument.validate.js';
import {
  AMP_ELEMENTS, ILO_INDICATORS, RED_FLAG_GROUPS, TRAFFICKING_TYPES, YES_NO_ANSWERS, NON_ANSWERS, type AgeGroup,
} from './vocabulary.js';

/**
 * Compilation turns a validated instrument into closures and index tables once, so that evaluating an answer set
 * is a single pass over arrays with no lookups by name (the budget is under 1 ms for 150 items and 60 rules).
 */

export const AMP_COUNT = AMP_ELEMENTS.length;
export const RED_FLAG_COUNT = RED_FLAG_GROUPS.length;

/** Per-evaluation working state, filled by the evaluator in item dependency order. */
export interface EvaluationState {
  ageGroup: AgeGroup;
  /** Answer per item index, or undefined when unanswered or hidden (hidden answers never count). */
  effectiveAnswers: (string | undefined)[];
  positive: Uint8Array;
  /** [type * AMP_COUNT + element] -> number of positive items. */
  ampCounts: Int32Array;
  /** [type] -> bit set of ILO indicators evidenced. */
  iloMasks: Int32Array;
  /** [type * RED_FLAG_COUNT + group] -> number of positive items. */
  redFlagCounts: Int32Array;
  /** [type] -> sum of the weights of positive items. */
  scores: Float64Array;
}

export type ShowIfTest = (state: EvaluationState) => boolean;
export type RuleTest = (state: EvaluationState, typeIndex: number) => boolean;

export interface CompiledItem {
  index: number;
  item: Item;
  /** Bits: 1 = asked about adults, 2 = asked about minors. */
  ageMask: number;
  /** Bits: 1 << trafficking type index. */
  typeMask: number;
  /** Answers that count as evidence. */
  positiveAnswers: ReadonlySet<string>;
  /** Every answer the item accepts. */
  validAnswers: ReadonlySet<string>;
  ampIndex: number; // -1 for context items
  iloBit: number; // 0 when no indicator
  redFlagIndex: number; // -1 when no red flag
  showIf?: ShowIfTest;
}

export interface CompiledRule {
  rule: Rule;
  typeIndexes: number[];
  test: RuleTest;
}

export interface CompiledInstrument {
  instrument: Instrument;
  items: CompiledItem[];
  itemIndexById: ReadonlyMap<string, number>;
  /** Item indexes with every showIf dependency before its dependants. */
  evaluationOrder: number[];
  /** Hard rules first, then combination rules, each in instrument order. */
  rules: CompiledRule[];
}

interface CompileContext {
  itemIndexById: Map<string, number>;
  positiveAnswers: ReadonlySet<string>[];
}

export function compileInstrument(instrument: Instrument): CompiledInstrument {
  const context: CompileContext = {
    itemIndexById: new Map(instrument.items.map((item, index) => [item.id, index])),
    positiveAnswers: instrument.items.map(positiveAnswersOf),
  };
  const items = instrument.items.map((item, index) => compileItem(item, index, context));
  const ordered = [...instrument.rules.filter((rule) => rule.kind === 'hard'), ...instrument.rules.filter((rule) => rule.kind !== 'hard')];
  const rules = ordered.map((rule) => ({
    rule,
    typeIndexes: TRAFFICKING_TYPES.flatMap((type, index) => (rule.types.includes(type) ? [index] : [])),
    test: compileRuleCondition(rule.when, context),
  }));
  return { instrument, items, itemIndexById: context.itemIndexById, evaluationOrder: dependencyOrder(instrument.items, context.itemIndexById), rules };
}

function positiveAnswersOf(item: Item): ReadonlySet<string> {
  return item.answer.type === 'yes_no'
    ? new Set(['yes'])
    : new Set(item.answer.options.filter((option) => option.positive).map((option) => option.id));
}

function compileItem(item: Item, index: number, context: CompileContext): CompiledItem {
  const validAnswers = item.answer.type === 'yes_no'
    ? new Set<string>(YES_NO_ANSWERS)
    : new Set<string>([...item.answer.options.map((option) => option.id), ...NON_ANSWERS]);
  return {
    index,
    item,
    ageMask: (item.scope.ages.includes('adult') ? 1 : 0) | (item.scope.ages.includes('minor') ? 2 : 0),
    typeMask: TRAFFICKING_TYPES.reduce((mask, type, t) => (item.scope.types.includes(type) ? mask | (1 << t) : mask), 0),
    positiveAnswers: context.positiveAnswers[index],
    validAnswers,
    ampIndex: (AMP_ELEMENTS as readonly string[]).indexOf(item.domain),
    iloBit: item.ilo ? 1 << ILO_INDICATORS.indexOf(item.ilo) : 0,
    redFlagIndex: item.redFlag ? RED_FLAG_GROUPS.indexOf(item.redFlag) : -1,
    showIf: item.showIf ? compileShowIf(item.showIf, context) : undefined,
  };
}

function compileShowIf(condition: ShowIfCondition, context: CompileContext): ShowIfTest {
  switch (condition.op) {
    case 'all':
    case 'any':
    case 'atLeast':
      return combine(condition.op, condition.of.map((child) => compileShowIf(child, context)), condition.op === 'atLeast' ? condition.count : 1);
    case 'person':
      return personTest(condition.is);
    case 'yes':
    case 'answer':
      return answerTest(condition, context);
  }
}

function compileRuleCondition(condition: RuleCondition, context: CompileContext): RuleTest {
  switch (condition.op) {
    case 'all':
    case 'any':
    case 'atLeast':
      return combine(condition.op, condition.of.map((child) => compileRuleCondition(child, context)), condition.op === 'atLeast' ? condition.count : 1);
    case 'person':
      return personTest(condition.is);
    case 'yes':
    case 'answer':
      return answerTest(condition, context);
    case 'amp': {
      const element = AMP_ELEMENTS.indexOf(condition.element);
      return (s, t) => s.ampCounts[t * AMP_COUNT + element] > 0;
    }
    case 'ilo': {
      const bit = 1 << ILO_INDICATORS.indexOf(condition.indicator);
      return (s, t) => (s.iloMasks[t] & bit) !== 0;
    }
    case 'iloCount': {
      const atLeast = condition.atLeast;
      return (s, t) => bitCount(s.iloMasks[t]) >= atLeast;
    }
    case 'redFlagCount': {
      const { atLeast } = condition;
      if (condition.group) {
        const group = RED_FLAG_GROUPS.indexOf(condition.group);
        return (s, t) => s.redFlagCounts[t * RED_FLAG_COUNT + group] >= atLeast;
      }
      return (s, t) => {
        let total = 0;
        for (let g = 0; g < RED_FLAG_COUNT; g++) total += s.redFlagCounts[t * RED_FLAG_COUNT + g];
        return total >= atLeast;
      };
    }
    case 'score': {
      const atLeast = condition.atLeast;
      return (s, t) => s.scores[t] >= atLeast;
    }
  }
}

export function personMatches(is: string, ageGroup: AgeGroup): boolean {
  switch (is) {
    case 'minor': return ageGroup === 'minor';
    case 'adult': return ageGroup === 'adult';
    case 'unknown_age': return ageGroup === 'unknown';
    default: return ageGroup !== 'adult'; // minor_or_unknown_age
  }
}

function personTest(is: string): ShowIfTest {
  return (s) => personMatches(is, s.ageGroup);
}

/** An answer test reads the effective answer, so a hidden item never satisfies a condition. */
function answerTest(condition: { op: 'yes'; item: string } | { op: 'answer'; item: string; in: string[] }, context: CompileContext): ShowIfTest {
  const index = context.itemIndexById.get(condition.item)!;
  const accepted = condition.op === 'yes' ? context.positiveAnswers[index] : new Set(condition.in);
  return (s) => {
    const answer = s.effectiveAnswers[index];
    return answer !== undefined && accepted.has(answer);
  };
}

function combine<T extends (state: EvaluationState, typeIndex: number) => boolean>(op: 'all' | 'any' | 'atLeast', tests: T[], count: number): T {
  if (op === 'all') return ((s: EvaluationState, t: number) => tests.every((test) => test(s, t))) as T;
  return ((s: EvaluationState, t: number) => {
    let passed = 0;
    for (const test of tests) if (test(s, t) && ++passed >= count) return true;
    return false;
  }) as T;
}

export function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

/** Depth-first post-order from instrument order: dependencies first, otherwise the author's order (validated acyclic). */
function dependencyOrder(items: Item[], itemIndexById: Map<string, number>): number[] {
  const order: number[] = [];
  const placed = new Uint8Array(items.length);
  const place = (index: number): void => {
    if (placed[index]) return;
    placed[index] = 1;
    for (const dependency of showIfDependencies(items[index].showIf)) place(itemIndexById.get(dependency)!);
    order.push(index);
  };
  items.forEach((_, index) => place(index));
  return order;
}
