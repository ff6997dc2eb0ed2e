import {
  AMP_COUNT, RED_FLAG_COUNT, bitCount, compileInstrument, personMatches,
  type CompiledInstrument, type EvaluationState,
} from './compile.js';
import { checkAnswers } from './answers.js';
import type { ChoiceOption, Instrument, RuleCondition } from './instrument.schema.js';
import { polarisTypeByNumber } from './polaris-typology.js';
import {
  AMP_ELEMENTS, ILO_INDICATORS, RED_FLAG_GROUPS, TRAFFICKING_TYPES, levelRank,
  type AgeGroup, type AmpElement, type IloIndicator, type IndicatorLevel, type LevelsByType, type LocalizedText,
  type RedFlagGroup, type TraffickingType,
} from './vocabulary.js';

/** Item id -> answer (`yes`/`no`/`unknown`/`declined`, or a choice option id). */
export type Answers = Readonly<Record<string, string>>;
export interface PersonFacts {
  age?: number;
  ageGroup?: AgeGroup;
}
export interface EvaluateOptions {
  /** `short` shows only short-form items (intake); `full` (default) shows every item the answers call for. */
  form?: 'short' | 'full';
}

export interface MatchedAnswer { itemId: string; answer: string }
export interface ExplanationEntry {
  type: TraffickingType;
  level: Exclude<IndicatorLevel, 'none'>;
  ruleId: string;
  ruleKind: 'hard' | 'combination';
  ruleText: LocalizedText;
  /** True when this rule's level is the type's final level (the rule that decided it, or one of them). */
  decisive: boolean;
  /** The answers that made the rule true. */
  matchedAnswers: MatchedAnswer[];
}
export interface PolarisTypeSuggestion { number: number; name: string; itemId: string; optionId: string }

export interface AssessmentResult {
  instrumentId: string;
  instrumentVersion: number;
  form: 'short' | 'full';
  person: { ageGroup: AgeGroup };
  levels: LevelsByType;
  /** Every rule that fired, per type (sex then labour), hard rules first. */
  explanation: ExplanationEntry[];
  visibleItems: string[];
  /** Visible items not answered yet: what the advocate could still ask. */
  pendingItems: string[];
  /** Answers given to items the skip logic now hides; they are kept by the caller but never counted. */
  ignoredAnswers: string[];
  indicators: { indicator: IloIndicator; itemIds: string[] }[];
  redFlags: { group: RedFlagGroup; itemIds: string[] }[];
  amp: Record<TraffickingType, Record<AmpElement, boolean>>;
  polarisTypeSuggestions: PolarisTypeSuggestion[];
}

/** Answers or person facts that do not fit the instrument. The evaluator throws it: callers validate first (answers.ts). */
export class AssessmentInputError extends Error {
  constructor(message: string, readonly itemId?: string) {
    super(message);
    this.name = 'AssessmentInputError';
  }
}

export function resolveAgeGroup(person: PersonFacts, minorAgeBelow: number): AgeGroup {
  if (person.age === undefined) return person.ageGroup ?? 'unknown';
  if (!Number.isFinite(person.age) || person.age < 0) throw new AssessmentInputError(`age must be a number >= 0 (got ${person.age})`);
  const fromAge: AgeGroup = person.age < minorAgeBelow ? 'minor' : 'adult';
  if (person.ageGroup !== undefined && person.ageGroup !== 'unknown' && person.ageGroup !== fromAge) {
    throw new AssessmentInputError(`age ${person.age} contradicts ageGroup '${person.ageGroup}'`);
  }
  return fromAge;
}

/**
 * Evaluate one answer set. Pure and deterministic: the same instrument, answers and person always give the same
 * result. Pass a compiled instrument when evaluating many answer sets (compiling is the expensive part).
 */
export function evaluateAssessment(
  instrumentOrCompiled: Instrument | CompiledInstrument,
  answers: Answers,
  person: PersonFacts = {},
  options: EvaluateOptions = {},
): AssessmentResult {
  const compiled = 'evaluationOrder' in instrumentOrCompiled ? instrumentOrCompiled : compileInstrument(instrumentOrCompiled);
  const { instrument, items } = compiled;
  const form = options.form ?? 'full';
  const given = readAnswers(compiled, answers);
  const ageGroup = resolveAgeGroup(person, instrument.minorAgeBelow);
  const ageBits = ageGroup === 'adult' ? 1 : ageGroup === 'minor' ? 2 : 3;
  const typeCount = TRAFFICKING_TYPES.length;
  const state: EvaluationState = {
    ageGroup,
    effectiveAnswers: new Array<string | undefined>(items.length),
    positive: new Uint8Array(items.length),
    ampCounts: new Int32Array(typeCount * AMP_COUNT),
    iloMasks: new Int32Array(typeCount),
    redFlagCounts: new Int32Array(typeCount * RED_FLAG_COUNT),
    scores: new Float64Array(typeCount),
  };
  const visible = new Uint8Array(items.length);
  // Positive item indexes per type: explanations only ever look at these, never at the whole item bank.
  const positivesByType: number[][] = [];
  for (let t = 0; t < typeCount; t++) positivesByType.push([]);

  for (const index of compiled.evaluationOrder) {
    const entry = items[index];
    const isVisible = (entry.ageMask & ageBits) !== 0 && (form === 'full' || entry.item.short) && (entry.showIf === undefined || entry.showIf(state));
    if (!isVisible) continue;
    visible[index] = 1;
    const answer = given[index];
    state.effectiveAnswers[index] = answer;
    if (answer === undefined || !entry.positiveAnswers.has(answer)) continue;
    state.positive[index] = 1;
    for (let t = 0; t < typeCount; t++) {
      if ((entry.typeMask & (1 << t)) === 0) continue;
      positivesByType[t].push(index);
      if (entry.ampIndex >= 0) state.ampCounts[t * AMP_COUNT + entry.ampIndex]++;
      state.iloMasks[t] |= entry.iloBit;
      if (entry.redFlagIndex >= 0) state.redFlagCounts[t * RED_FLAG_COUNT + entry.redFlagIndex]++;
      state.scores[t] += entry.item.weight;
    }
  }

  const levels: LevelsByType = { sex: 'none', labour: 'none' };
  // One matched-answer object per item, shared by every rule that cites it (rules often cite the same items).
  const matched: (MatchedAnswer | undefined)[] = new Array(items.length);

  const explanation: ExplanationEntry[] = [];
  const scopes: WitnessScope[] = [];
  for (let t = 0; t < typeCount; t++) scopes.push({ compiled, s: state, t, positives: positivesByType[t], cache: new Map() });
  for (let t = 0; t < typeCount; t++) {
    const type = TRAFFICKING_TYPES[t];
    for (const { rule, typeIndexes, test } of compiled.rules) {
      if (!typeIndexes.includes(t) || !test(state, t)) continue;
      if (levelRank(rule.level) > levelRank(levels[type])) levels[type] = rule.level;
      const witnesses = new Set<number>();
      collectWitnesses(rule.when, scopes[t], witnesses);
      const matchedAnswers: MatchedAnswer[] = [];
      for (const i of Array.from(witnesses).sort(byIndex)) {
        matchedAnswers.push((matched[i] ??= { itemId: items[i].item.id, answer: state.effectiveAnswers[i]! }));
      }
      explanation.push({
        type,
        level: rule.level,
        ruleId: rule.id,
        ruleKind: rule.kind,
        ruleText: rule.text,
        decisive: false,
        matchedAnswers,
      });
    }
  }

  for (const entry of explanation) entry.decisive = entry.level === levels[entry.type];

  return {
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    form,
    person: { ageGroup },
    levels,
    explanation,
    ...describeItems(compiled, given, visible, state),
    amp: ampSummary(state),
    polarisTypeSuggestions: polarisSuggestions(compiled, visible, state),
  };
}

/**
 * Read the answer of every item once, checking it on the way; answers to unknown items are found by counting, so
 * the common (valid) case costs one lookup per item.
 */
function readAnswers(compiled: CompiledInstrument, answers: Answers): (string | undefined)[] {
  const given = new Array<string | undefined>(compiled.items.length);
  let found = 0;
  for (const entry of compiled.items) {
    // hasOwn: an item called "constructor" must not read Object.prototype.
    const answer = Object.hasOwn(answers, entry.item.id) ? answers[entry.item.id] : undefined;
    if (answer === undefined) continue;
    if (!entry.validAnswers.has(answer)) throw invalidAnswers(compiled, answers);
    given[entry.index] = answer;
    found++;
  }
  let keys = 0;
  for (const key in answers) if (Object.hasOwn(answers, key) && answers[key] !== undefined) keys++;
  if (keys !== found) throw invalidAnswers(compiled, answers);
  return given;
}

function invalidAnswers(compiled: CompiledInstrument, answers: Answers): AssessmentInputError {
  const [issue] = checkAnswers(compiled, answers);
  return new AssessmentInputError(issue?.message ?? 'answers do not fit the instrument', issue?.itemId);
}

interface WitnessScope {
  compiled: CompiledInstrument;
  s: EvaluationState;
  t: number;
  /** Positive items counting towards type t. */
  positives: number[];
  /** Witness lists of derived facts, computed once per type and shared by every rule citing the same fact. */
  cache: Map<string, number[]>;
}

const byIndex = (a: number, b: number): number => a - b;

type DerivedWitness = 'amp' | 'ilo' | 'anyIlo' | 'flag' | 'score';

/**
 * The positive items behind a derived fact (e.g. every means item for `amp: means`), computed once per type and
 * shared by every rule citing the fact. Written without closures: this runs inside the per-evaluation budget.
 */
function derivedWitnesses(scope: WitnessScope, kind: DerivedWitness, param: number): number[] {
  const key = `${kind}${param}`;
  const cached = scope.cache.get(key);
  if (cached) return cached;
  const list: number[] = [];
  const items = scope.compiled.items;
  for (const index of scope.positives) {
    const entry = items[index];
    const accept =
      kind === 'amp' ? entry.ampIndex === param
        : kind === 'ilo' ? (entry.iloBit & param) !== 0
          : kind === 'anyIlo' ? entry.iloBit !== 0
            : kind === 'flag' ? entry.redFlagIndex >= 0 && (param < 0 || entry.redFlagIndex === param)
              : entry.item.weight > 0;
    if (accept) list.push(index);
  }
  scope.cache.set(key, list);
  return list;
}

function addAll(list: number[], out: Set<number>): number {
  for (const index of list) out.add(index);
  return list.length;
}

/** Add the items that make a (true) condition true, for the explanation. Runs only for rules that fired. */
function collectWitnesses(condition: RuleCondition, scope: WitnessScope, out: Set<number>): boolean {
  const { compiled, s, t } = scope;
  switch (condition.op) {
    case 'all': {
      const scratch = new Set<number>();
      for (const child of condition.of) if (!collectWitnesses(child, scope, scratch)) return false;
      for (const index of scratch) out.add(index);
      return true;
    }
    case 'any':
    case 'atLeast': {
      const needed = condition.op === 'atLeast' ? condition.count : 1;
      const scratch = new Set<number>();
      let passed = 0;
      for (const child of condition.of) if (collectWitnesses(child, scope, scratch)) passed++;
      if (passed < needed) return false;
      for (const index of scratch) out.add(index);
      return true;
    }
    case 'person':
      return personMatches(condition.is, s.ageGroup);
    case 'yes':
    case 'answer': {
      const index = compiled.itemIndexById.get(condition.item)!;
      const answer = s.effectiveAnswers[index];
      const accepted = answer !== undefined && (condition.op === 'yes' ? compiled.items[index].positiveAnswers.has(answer) : condition.in.includes(answer));
      if (accepted) out.add(index);
      return accepted;
    }
    case 'amp':
      return addAll(derivedWitnesses(scope, 'amp', AMP_ELEMENTS.indexOf(condition.element)), out) > 0;
    case 'ilo':
      return addAll(derivedWitnesses(scope, 'ilo', 1 << ILO_INDICATORS.indexOf(condition.indicator)), out) > 0;
    case 'iloCount':
      addAll(derivedWitnesses(scope, 'anyIlo', 0), out);
      return bitCount(s.iloMasks[t]) >= condition.atLeast;
    case 'redFlagCount': {
      const group = condition.group ? RED_FLAG_GROUPS.indexOf(condition.group) : -1;
      return addAll(derivedWitnesses(scope, 'flag', group), out) >= condition.atLeast;
    }
    case 'score':
      addAll(derivedWitnesses(scope, 'score', 0), out);
      return s.scores[t] >= condition.atLeast;
  }
}

function describeItems(compiled: CompiledInstrument, given: (string | undefined)[], visible: Uint8Array, s: EvaluationState) {
  const visibleItems: string[] = [];
  const pendingItems: string[] = [];
  const ignoredAnswers: string[] = [];
  const byIndicator: string[][] = ILO_INDICATORS.map(() => []);
  const byGroup: string[][] = RED_FLAG_GROUPS.map(() => []);
  for (const { index, item, iloBit, redFlagIndex } of compiled.items) {
    if (!visible[index]) {
      if (given[index] !== undefined) ignoredAnswers.push(item.id);
      continue;
    }
    visibleItems.push(item.id);
    if (given[index] === undefined) pendingItems.push(item.id);
    if (!s.positive[index]) continue;
    if (iloBit !== 0) byIndicator[Math.log2(iloBit)].push(item.id);
    if (redFlagIndex >= 0) byGroup[redFlagIndex].push(item.id);
  }
  const indicators: AssessmentResult['indicators'] = [];
  ILO_INDICATORS.forEach((indicator, i) => { if (byIndicator[i].length > 0) indicators.push({ indicator, itemIds: byIndicator[i] }); });
  const redFlags: AssessmentResult['redFlags'] = [];
  RED_FLAG_GROUPS.forEach((group, g) => { if (byGroup[g].length > 0) redFlags.push({ group, itemIds: byGroup[g] }); });
  return { visibleItems, pendingItems, ignoredAnswers, indicators, redFlags };
}

function ampSummary(s: EvaluationState): AssessmentResult['amp'] {
  const summary = {} as AssessmentResult['amp'];
  for (let t = 0; t < TRAFFICKING_TYPES.length; t++) {
    const at = t * AMP_COUNT;
    summary[TRAFFICKING_TYPES[t]] = { action: s.ampCounts[at] > 0, means: s.ampCounts[at + 1] > 0, purpose: s.ampCounts[at + 2] > 0 };
  }
  return summary;
}

/** Typology suggestions come from chosen options that name Polaris types (e.g. the work setting); first mention wins. */
function polarisSuggestions(compiled: CompiledInstrument, visible: Uint8Array, s: EvaluationState): PolarisTypeSuggestion[] {
  const suggestions: PolarisTypeSuggestion[] = [];
  const seen = new Set<number>();
  for (const { index, item } of compiled.items) {
    const answer = s.effectiveAnswers[index];
    if (!visible[index] || item.answer.type !== 'choice' || answer === undefined) continue;
    let chosen: ChoiceOption | undefined;
    for (const option of item.answer.options) if (option.id === answer) chosen = option;
    for (const number of chosen?.polarisTypes ?? []) {
      const type = polarisTypeByNumber(number);
      if (!type || seen.has(number)) continue;
      seen.add(number);
      suggestions.push({ number, name: type.name, itemId: item.id, optionId: chosen!.id });
    }
  }
  return suggestions;
}
