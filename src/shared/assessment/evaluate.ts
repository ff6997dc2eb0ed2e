import {
  AMP_COUNT, RED_FLAG_COUNT, bitCount, compileInstrument, personMatches,
  type CompiledInstrument, type EvaluationState,
} from './compile.js';
import { checkAnswers } from './answers.js';
import type { Instrument, RuleCondition } from './instrument.schema.js';
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
  assertAnswersFit(compiled, answers);
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

  for (const index of compiled.evaluationOrder) {
    const entry = items[index];
    const isVisible = (entry.ageMask & ageBits) !== 0 && (form === 'full' || entry.item.short) && (entry.showIf === undefined || entry.showIf(state));
    if (!isVisible) continue;
    visible[index] = 1;
    const answer = answers[entry.item.id];
    state.effectiveAnswers[index] = answer;
    if (answer === undefined || !entry.positiveAnswers.has(answer)) continue;
    state.positive[index] = 1;
    for (let t = 0; t < typeCount; t++) {
      if ((entry.typeMask & (1 << t)) === 0) continue;
      if (entry.ampIndex >= 0) state.ampCounts[t * AMP_COUNT + entry.ampIndex]++;
      state.iloMasks[t] |= entry.iloBit;
      if (entry.redFlagIndex >= 0) state.redFlagCounts[t * RED_FLAG_COUNT + entry.redFlagIndex]++;
      state.scores[t] += entry.item.weight;
    }
  }

  const levels: LevelsByType = { sex: 'none', labour: 'none' };
  const explanation: ExplanationEntry[] = [];
  for (let t = 0; t < typeCount; t++) {
    const type = TRAFFICKING_TYPES[t];
    for (const { rule, typeIndexes, test } of compiled.rules) {
      if (!typeIndexes.includes(t) || !test(state, t)) continue;
      if (levelRank(rule.level) > levelRank(levels[type])) levels[type] = rule.level;
      const witnesses = new Set<number>();
      collectWitnesses(rule.when, compiled, state, t, witnesses);
      explanation.push({
        type,
        level: rule.level,
        ruleId: rule.id,
        ruleKind: rule.kind,
        ruleText: rule.text,
        decisive: false,
        matchedAnswers: [...witnesses].sort((a, b) => a - b).map((i) => ({ itemId: items[i].item.id, answer: state.effectiveAnswers[i]! })),
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
    ...describeItems(compiled, answers, visible, state),
    amp: ampSummary(state),
    polarisTypeSuggestions: polarisSuggestions(compiled, visible, state),
  };
}

function assertAnswersFit(compiled: CompiledInstrument, answers: Answers): void {
  const [issue] = checkAnswers(compiled, answers);
  if (issue) throw new AssessmentInputError(issue.message, issue.itemId);
}

/** Add the items that make a (true) condition true, for the explanation. Runs only for rules that fired. */
function collectWitnesses(condition: RuleCondition, compiled: CompiledInstrument, s: EvaluationState, t: number, out: Set<number>): boolean {
  const typeBit = 1 << t;
  const addPositive = (accept: (i: number) => boolean): boolean => {
    let found = false;
    for (const entry of compiled.items) {
      if (s.positive[entry.index] && (entry.typeMask & typeBit) !== 0 && accept(entry.index)) {
        out.add(entry.index);
        found = true;
      }
    }
    return found;
  };
  switch (condition.op) {
    case 'all': {
      const scratch = new Set<number>();
      if (!condition.of.every((child) => collectWitnesses(child, compiled, s, t, scratch))) return false;
      scratch.forEach((i) => out.add(i));
      return true;
    }
    case 'any':
    case 'atLeast': {
      const needed = condition.op === 'atLeast' ? condition.count : 1;
      const scratch = new Set<number>();
      let passed = 0;
      for (const child of condition.of) if (collectWitnesses(child, compiled, s, t, scratch)) passed++;
      if (passed < needed) return false;
      scratch.forEach((i) => out.add(i));
      return true;
    }
    case 'person':
      return personMatches(condition.is, s.ageGroup);
    case 'yes':
    case 'answer': {
      const index = compiled.itemIndexById.get(condition.item)!;
      const answer = s.effectiveAnswers[index];
      const accepted = condition.op === 'yes' ? compiled.items[index].positiveAnswers.has(answer ?? '') : answer !== undefined && condition.in.includes(answer);
      if (accepted) out.add(index);
      return accepted;
    }
    case 'amp': {
      const element = AMP_ELEMENTS.indexOf(condition.element);
      return addPositive((i) => compiled.items[i].ampIndex === element);
    }
    case 'ilo': {
      const bit = 1 << ILO_INDICATORS.indexOf(condition.indicator);
      return addPositive((i) => (compiled.items[i].iloBit & bit) !== 0);
    }
    case 'iloCount':
      addPositive((i) => compiled.items[i].iloBit !== 0);
      return bitCount(s.iloMasks[t]) >= condition.atLeast;
    case 'redFlagCount': {
      const group = condition.group ? RED_FLAG_GROUPS.indexOf(condition.group) : -1;
      let count = 0;
      for (const entry of compiled.items) {
        if (s.positive[entry.index] && (entry.typeMask & typeBit) && entry.redFlagIndex >= 0 && (group < 0 || entry.redFlagIndex === group)) count++;
      }
      addPositive((i) => compiled.items[i].redFlagIndex >= 0 && (group < 0 || compiled.items[i].redFlagIndex === group));
      return count >= condition.atLeast;
    }
    case 'score':
      addPositive((i) => compiled.items[i].item.weight > 0);
      return s.scores[t] >= condition.atLeast;
  }
}

function describeItems(compiled: CompiledInstrument, answers: Answers, visible: Uint8Array, s: EvaluationState) {
  const visibleItems: string[] = [];
  const pendingItems: string[] = [];
  const ignoredAnswers: string[] = [];
  const byIndicator = new Map<IloIndicator, string[]>();
  const byGroup = new Map<RedFlagGroup, string[]>();
  for (const { index, item } of compiled.items) {
    if (!visible[index]) {
      if (answers[item.id] !== undefined) ignoredAnswers.push(item.id);
      continue;
    }
    visibleItems.push(item.id);
    if (answers[item.id] === undefined) pendingItems.push(item.id);
    if (!s.positive[index]) continue;
    if (item.ilo) byIndicator.set(item.ilo, [...(byIndicator.get(item.ilo) ?? []), item.id]);
    if (item.redFlag) byGroup.set(item.redFlag, [...(byGroup.get(item.redFlag) ?? []), item.id]);
  }
  return {
    visibleItems,
    pendingItems,
    ignoredAnswers,
    indicators: ILO_INDICATORS.filter((i) => byIndicator.has(i)).map((indicator) => ({ indicator, itemIds: byIndicator.get(indicator)! })),
    redFlags: RED_FLAG_GROUPS.filter((g) => byGroup.has(g)).map((group) => ({ group, itemIds: byGroup.get(group)! })),
  };
}

function ampSummary(s: EvaluationState): AssessmentResult['amp'] {
  const summary = {} as AssessmentResult['amp'];
  TRAFFICKING_TYPES.forEach((type, t) => {
    summary[type] = { action: false, means: false, purpose: false };
    AMP_ELEMENTS.forEach((element, e) => { summary[type][element] = s.ampCounts[t * AMP_COUNT + e] > 0; });
  });
  return summary;
}

/** Typology suggestions come from chosen options that name Polaris types (e.g. the work setting); first mention wins. */
function polarisSuggestions(compiled: CompiledInstrument, visible: Uint8Array, s: EvaluationState): PolarisTypeSuggestion[] {
  const suggestions: PolarisTypeSuggestion[] = [];
  const seen = new Set<number>();
  for (const { index, item } of compiled.items) {
    if (!visible[index] || item.answer.type !== 'choice') continue;
    const chosen = item.answer.options.find((option) => option.id === s.effectiveAnswers[index]);
    for (const number of chosen?.polarisTypes ?? []) {
      const type = polarisTypeByNumber(number);
      if (!type || seen.has(number)) continue;
      seen.add(number);
      suggestions.push({ number, name: type.name, itemId: item.id, optionId: chosen!.id });
    }
  }
  return suggestions;
}
