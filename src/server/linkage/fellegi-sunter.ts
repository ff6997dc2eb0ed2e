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
  /** Estimated share of candidate pairs that are true matches. */
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

const MIN_PROBABILITY = 1e-6;

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

export interface ExpectationMaximisationOptions {
  iterations: number;
  /** Also re-estimate u among candidate pairs (they agree more often than random pairs: they were blocked). */
  isUEstimated: boolean;
  initialMatchShare?: number;
}

/**
 * Expectation–maximisation over the candidate pairs' comparison patterns (Winkler 1988), assuming fields
 * are conditionally independent. Starts from DEFAULT_M and the sampled u, and stops early when the
 * estimates stop moving.
 */
export function estimateModel(candidates: PatternCounts, initialU: number[][], options: ExpectationMaximisationOptions): FellegiSunterModel {
  let model: FellegiSunterModel = {
    m: DEFAULT_M.map((levels) => [...levels]),
    u: initialU.map((levels) => [...levels]),
    matchShare: options.initialMatchShare ?? 0.1,
  };
  const posterior = new Float64Array(candidates.patterns.length);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    let matchMass = 0;
    let totalMass = 0;
    for (let index = 0; index < candidates.patterns.length; index++) {
      const odds = Math.exp(Math.min(700, logOdds(model, candidates.patterns[index])));
      posterior[index] = odds / (1 + odds);
      matchMass += posterior[index] * candidates.counts[index];
      totalMass += candidates.counts[index];
    }
    const m = levelFrequencies(candidates.patterns, candidates.counts, (index) => posterior[index], 0.01);
    const u = options.isUEstimated
      ? levelFrequencies(candidates.patterns, candidates.counts, (index) => 1 - posterior[index], 0.5)
      : model.u;
    const matchShare = Math.min(1 - MIN_PROBABILITY, Math.max(MIN_PROBABILITY, matchMass / Math.max(totalMass, 1)));
    const change = Math.abs(matchShare - model.matchShare) + maxDifference(m, model.m);
    model = { m, u, matchShare };
    if (change < 1e-5) break;
  }
  return model;
}

function maxDifference(a: number[][], b: number[][]): number {
  let max = 0;
  for (let field = 0; field < a.length; field++) {
    for (let level = 0; level < a[field].length; level++) max = Math.max(max, Math.abs(a[field][level] - b[field][level]));
  }
  return max;
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
