import { FIELD_COUNT, FIELDS, LEVEL_COUNTS, missingLevel, patternLevel, PATTERN_COUNT } from './comparison.js';

/**
 * A Fellegi–Sunter model: for every field and agreement level, m = P(level | same person) and
 * u = P(level | different people). The weight of a level is log2(m / u); a pair's score is the sum over
 * fields, so +10 means the observed agreement is 2^10 = 1024 times likelier for one person than for two.
 * "Missing" levels are left out (weight 0).
 */
export interface FellegiSunterModel {
  /** m[field][level], levels without "missing". */
  m: number[][];
  u: number[][];
  /** Estimated share of all record pairs, n(n-1)/2, that are true matches (the prior λ). */
  matchShare: number;
}

/** Starting m probabilities: what careful practitioners expect of duplicates typed by different people. */
export const DEFAULT_M: readonly (readonly number[])[] = [
  [0.78, 0.06, 0.08, 0.04, 0.04], // given names
  [0.8, 0.08, 0.06, 0.03, 0.03], // family names
  [0.85, 0.08, 0.04, 0.03], // date of birth
  [0.97, 0.03], // sex
  [0.82, 0.08, 0.04, 0.06], // phone
  [0.9, 0.05, 0.05], // email
  [0.75, 0.1, 0.05, 0.1], // address
];

const MIN_PROBABILITY = 1e-7;

function normalise(counts: number[], pseudoCount: number): number[] {
  const total = counts.reduce((sum, value) => sum + value, 0) + pseudoCount * counts.length;
  return counts.map((value) => Math.min(1 - MIN_PROBABILITY, Math.max(MIN_PROBABILITY, (value + pseudoCount) / total)));
}

/** Per-field level frequencies (without "missing") from pattern counts, weighted by `weightOf(pattern)`. */
function levelFrequencies(patterns: readonly number[], counts: readonly number[], weightOf: (index: number) => number, pseudoCount: number): number[][] {
  const tallies = FIELDS.map((_, field) => new Array<number>(LEVEL_COUNTS[field] - 1).fill(0));
  for (let index = 0; index < patterns.length; index++) {
    const weight = counts[index] * weightOf(index);
    if (weight === 0) continue;
    for (let field = 0; field < FIELD_COUNT; field++) {
      const level = patternLevel(patterns[index], field);
      if (level !== missingLevel(field)) tallies[field][level] += weight;
    }
  }
  return tallies.map((tally) => normalise(tally, pseudoCount));
}

/** Pattern counts of a set of compared pairs, as parallel arrays of the patterns that occur. */
export interface PatternCounts {
  patterns: number[];
  counts: number[];
}

export function countPatterns(patternOfPair: Uint16Array | Uint32Array): PatternCounts {
  const tally = new Float64Array(PATTERN_COUNT);
  for (let index = 0; index < patternOfPair.length; index++) tally[patternOfPair[index]]++;
  const patterns: number[] = [];
  const counts: number[] = [];
  for (let pattern = 0; pattern < PATTERN_COUNT; pattern++) {
    if (tally[pattern] > 0) {
      patterns.push(pattern);
      counts.push(tally[pattern]);
    }
  }
  return { patterns, counts };
}

/** u from pairs of records drawn at random: nearly all of them are different people. */
export function estimateU(randomPairPatterns: PatternCounts): number[][] {
  return levelFrequencies(randomPairPatterns.patterns, randomPairPatterns.counts, () => 1, 0.5);
}

function logOdds(model: FellegiSunterModel, pattern: number): number {
  let sum = Math.log(model.matchShare) - Math.log(1 - model.matchShare);
  for (let field = 0; field < FIELD_COUNT; field++) {
    const level = patternLevel(pattern, field);
    if (level === missingLevel(field)) continue;
    sum += Math.log(model.m[field][level]) - Math.log(model.u[field][level]);
  }
  return sum;
}

const GIVEN = 0, DATE_OF_BIRTH = 2, PHONE = 4, EMAIL = 5;
const EXACT = 0, NAME_DISAGREE = 4, DATE_DISAGREE = 3;
/** Weight of the defaults when blending them with anchor counts, in pseudo-pairs. */
const DEFAULT_M_STRENGTH = 50;

/**
 * Whether a candidate pattern is an "anchor" for estimating m of `field`: a pair that is almost surely
 * one person by evidence that does not involve `field`. Anchors are pairs sharing an exact phone number
 * or email address (u of about 1e-5), minus pairs whose given name and date of birth both disagree
 * (relatives sharing a phone). For the phone and email fields the other one, or exact names and date of
 * birth, stand in.
 */
function isAnchorFor(field: number, pattern: number): boolean {
  const phoneExact = patternLevel(pattern, PHONE) === EXACT;
  const emailExact = patternLevel(pattern, EMAIL) === EXACT;
  const namesAndDateExact = patternLevel(pattern, GIVEN) === EXACT && patternLevel(pattern, 1) === EXACT && patternLevel(pattern, DATE_OF_BIRTH) === EXACT;
  const givenDisagrees = patternLevel(pattern, GIVEN) === NAME_DISAGREE;
  const dateDisagrees = patternLevel(pattern, DATE_OF_BIRTH) === DATE_DISAGREE;
  if (field === PHONE) return emailExact || namesAndDateExact;
  if (field === EMAIL) return phoneExact || namesAndDateExact;
  if (!phoneExact && !emailExact) return false;
  if (field === GIVEN) return !dateDisagrees;
  if (field === DATE_OF_BIRTH) return !givenDisagrees;
  return !(givenDisagrees && dateDisagrees);
}

/**
 * m for each field from anchor pairs (see isAnchorFor), blended with DEFAULT_M as a prior worth 50 pairs.
 * Why not EM over all candidate pairs: candidates are selected by shared names, so the many different
 * people called "María García" born in different years pull EM's match class towards "same name" and
 * make a disagreeing date of birth look like a normal typo. Anchors are chosen without looking at the
 * field being estimated, so its m is not biased by the choice.
 */
export function estimateM(candidates: PatternCounts): { m: number[][]; anchorPairs: number[] } {
  const anchorPairs: number[] = [];
  const m = FIELDS.map((_, field) => {
    const tally = new Array<number>(LEVEL_COUNTS[field] - 1).fill(0);
    let total = 0;
    for (let index = 0; index < candidates.patterns.length; index++) {
      const pattern = candidates.patterns[index];
      const level = patternLevel(pattern, field);
      if (level === missingLevel(field) || !isAnchorFor(field, pattern)) continue;
      tally[level] += candidates.counts[index];
      total += candidates.counts[index];
    }
    anchorPairs.push(total);
    return tally.map((count, level) => clampProbability((count + DEFAULT_M_STRENGTH * DEFAULT_M[field][level]) / (total + DEFAULT_M_STRENGTH), MIN_PROBABILITY, 1 - MIN_PROBABILITY));
  });
  return { m, anchorPairs };
}

/**
 * Expectation–maximisation of the match share λ over all n(n-1)/2 pairs, with m and u held fixed. Pairs
 * that blocking did not propose are taken to be non-matches (posterior 0), so only candidate patterns
 * enter the sum while λ is divided by all pairs.
 */
export function estimateMatchShare(candidates: PatternCounts, m: number[][], u: number[][], totalPairs: number, iterations: number): number {
  const candidateCount = candidates.counts.reduce((sum, count) => sum + count, 0);
  const pairs = Math.max(totalPairs, candidateCount, 1);
  // Start from "a tenth of candidate pairs are matches": blocking is meant to make them rich in matches.
  let model: FellegiSunterModel = { m, u, matchShare: clampProbability((0.1 * candidateCount) / pairs, 1e-12, 0.5) };
  for (let iteration = 0; iteration < iterations; iteration++) {
    let matchMass = 0;
    for (let index = 0; index < candidates.patterns.length; index++) {
      const odds = Math.exp(Math.min(700, logOdds(model, candidates.patterns[index])));
      matchMass += (odds / (1 + odds)) * candidates.counts[index];
    }
    const matchShare = clampProbability(matchMass / pairs, 1e-12, 0.5);
    const change = Math.abs(Math.log(matchShare) - Math.log(model.matchShare));
    model = { ...model, matchShare };
    if (change < 1e-4) break;
  }
  return model.matchShare;
}

function clampProbability(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** log2(m/u) of every field and level; 0 for "missing". */
export function levelWeights(model: FellegiSunterModel): number[][] {
  return FIELDS.map((_, field) => {
    const weights = model.m[field].map((m, level) => Math.log2(m / model.u[field][level]));
    weights.push(0);
    return weights;
  });
}

/** The total weight of every possible pattern, indexed by pattern. */
export function patternWeightTable(weights: number[][]): Float64Array {
  const table = new Float64Array(PATTERN_COUNT);
  for (let pattern = 0; pattern < PATTERN_COUNT; pattern++) {
    let sum = 0;
    for (let field = 0; field < FIELD_COUNT; field++) sum += weights[field][patternLevel(pattern, field)];
    table[pattern] = sum;
  }
  return table;
}
