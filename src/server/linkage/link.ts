import {
  linkageOptionsSchema, type LinkageOptions, type LinkageOptionsInput, type PairClass, type PersonRecord,
} from '../../shared/linkage/person-record.js';
import { decodePair, findCandidatePairs, type BlockingStats } from './blocking.js';
import { comparePeople, FIELDS, patternLevel } from './comparison.js';
import {
  countPatterns, estimateM, estimateMatchShare, estimateU, levelWeights, patternWeightTable, type FellegiSunterModel,
} from './fellegi-sunter.js';
import { NameComparisonCache } from './names.js';
import { normalisePerson, type NormalisedPerson } from './person.js';
import { Random } from './prng.js';

/** One pair of records judged to be, or possibly be, the same person. `a` < `b` as record indexes. */
export interface LinkedPair {
  a: number;
  b: number;
  /** Sum of log2(m/u) over fields. */
  score: number;
  /** Posterior probability of a match given the score and the estimated share of matching pairs. */
  probability: number;
  pairClass: PairClass;
  /** Packed agreement levels; decode with `decodePattern` / `levelName`. */
  pattern: number;
}

export interface LinkageProgress {
  phase: 'normalise' | 'block' | 'compare' | 'estimate' | 'classify';
  done: number;
  total: number;
}

export interface LinkageResult {
  people: NormalisedPerson[];
  pairs: LinkedPair[];
  model: FellegiSunterModel;
  /** weights[field][level], the last level being "missing" (0). */
  weights: number[][];
  matchThreshold: number;
  reviewThreshold: number;
  stats: {
    records: number;
    candidatePairs: number;
    matches: number;
    reviews: number;
    unreadableDates: number;
    blocking: BlockingStats[];
    secondsByPhase: Record<string, number>;
  };
}

/** Posterior probabilities behind the default thresholds (see docs/linkage.md). */
const DEFAULT_MATCH_PROBABILITY = 0.9;
const DEFAULT_REVIEW_PROBABILITY = 0.05;

const GIVEN_NAMES = FIELDS.indexOf('given_names');
const DATE_OF_BIRTH = FIELDS.indexOf('date_of_birth');
const NAME_DISAGREE = 4;
const DATE_DISAGREE = 3;

/**
 * Two records whose given names and dates of birth are both present and both disagree are different
 * people however much else they share: that is what a sibling or a parent living at the same address
 * with the same phone looks like. Fellegi–Sunter assumes fields are independent given match status and
 * so cannot see this; the rule keeps such pairs out of automatic matches (they can still go to review).
 */
export function isIdentityContradicted(pattern: number): boolean {
  return patternLevel(pattern, GIVEN_NAMES) === NAME_DISAGREE && patternLevel(pattern, DATE_OF_BIRTH) === DATE_DISAGREE;
}

const FAMILY_NAMES = FIELDS.indexOf('family_names');
const NAME_EXACT = 0;
const MAX_TERM_FREQUENCY_ADJUSTMENT = 8;

/**
 * Term-frequency adjustment (Winkler): two records agreeing exactly on "García" say less than two agreeing
 * on "Xicoténcatl". The u of exact agreement is an average over all names; for a given value the chance
 * that a random other record shares it is its frequency, so the weight moves by log2(u / frequency),
 * bounded to ±8 bits so that one odd value cannot decide a pair.
 */
function termFrequencyAdjustments(people: readonly NormalisedPerson[], valueOf: (person: NormalisedPerson) => string | undefined, averageU: number): Float32Array {
  const counts = new Map<string, number>();
  let present = 0;
  for (const person of people) {
    const value = valueOf(person);
    if (value === undefined) continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
    present++;
  }
  const adjustments = new Float32Array(people.length);
  for (let index = 0; index < people.length; index++) {
    const value = valueOf(people[index]);
    if (value === undefined) continue;
    const frequency = counts.get(value)! / present;
    const adjustment = Math.log2(averageU / frequency);
    adjustments[index] = Math.max(-MAX_TERM_FREQUENCY_ADJUSTMENT, Math.min(MAX_TERM_FREQUENCY_ADJUSTMENT, adjustment));
  }
  return adjustments;
}

function weightForProbability(probability: number, matchShare: number): number {
  return Math.log2(probability / (1 - probability)) - Math.log2(matchShare / (1 - matchShare));
}

const PROGRESS_STEP = 20_000;

/** Find the pairs of records that describe the same person. Pure computation: no database, no I/O. */
export function linkPeople(records: readonly PersonRecord[], optionsInput: LinkageOptionsInput = {}, onProgress?: (progress: LinkageProgress) => void): LinkageResult {
  const options: LinkageOptions = linkageOptionsSchema.parse(optionsInput);
  const secondsByPhase: Record<string, number> = {};
  let phaseStart = performance.now();
  const endPhase = (name: string) => {
    const now = performance.now();
    secondsByPhase[name] = (now - phaseStart) / 1000;
    phaseStart = now;
  };

  const people: NormalisedPerson[] = new Array(records.length);
  for (let index = 0; index < records.length; index++) {
    people[index] = normalisePerson(records[index], options.dateOrder);
    if (onProgress && index % PROGRESS_STEP === 0) onProgress({ phase: 'normalise', done: index, total: records.length });
  }
  endPhase('normalise');

  onProgress?.({ phase: 'block', done: 0, total: 1 });
  const candidates = findCandidatePairs(people, options);
  endPhase('block');

  const pairCount = candidates.pairs.length;
  const patterns = new Uint16Array(pairCount);
  const cache = new NameComparisonCache();
  for (let index = 0; index < pairCount; index++) {
    const [a, b] = decodePair(candidates.pairs[index], people.length);
    patterns[index] = comparePeople(people[a], people[b], cache);
    if (onProgress && index % PROGRESS_STEP === 0) onProgress({ phase: 'compare', done: index, total: pairCount });
  }
  endPhase('compare');

  onProgress?.({ phase: 'estimate', done: 0, total: 1 });
  const model = fitModel(people, patterns, options, cache);
  const weights = levelWeights(model);
  const weightOfPattern = patternWeightTable(weights);
  const matchThreshold = options.matchThreshold ?? weightForProbability(DEFAULT_MATCH_PROBABILITY, model.matchShare);
  const reviewThreshold = Math.min(matchThreshold, options.reviewThreshold ?? weightForProbability(DEFAULT_REVIEW_PROBABILITY, model.matchShare));
  endPhase('estimate');

  const givenAdjustment = termFrequencyAdjustments(people, (person) => person.given?.full, model.u[GIVEN_NAMES][NAME_EXACT]);
  const familyAdjustment = termFrequencyAdjustments(people, (person) => person.family?.full, model.u[FAMILY_NAMES][NAME_EXACT]);
  const priorLogOdds = Math.log2(model.matchShare / (1 - model.matchShare));
  const pairs: LinkedPair[] = [];
  let matches = 0;
  for (let index = 0; index < pairCount; index++) {
    const pattern = patterns[index];
    let score = weightOfPattern[pattern];
    // Cheap rejection before decoding the pair: term-frequency adjustments are bounded.
    if (score + 2 * MAX_TERM_FREQUENCY_ADJUSTMENT < reviewThreshold) continue;
    const [a, b] = decodePair(candidates.pairs[index], people.length);
    if (patternLevel(pattern, GIVEN_NAMES) === NAME_EXACT) score += Math.min(givenAdjustment[a], givenAdjustment[b]);
    if (patternLevel(pattern, FAMILY_NAMES) === NAME_EXACT) score += Math.min(familyAdjustment[a], familyAdjustment[b]);
    if (score < reviewThreshold) continue;
    const pairClass: PairClass = score >= matchThreshold && !isIdentityContradicted(pattern) ? 'match' : 'review';
    if (pairClass === 'match') matches++;
    pairs.push({ a, b, score, probability: 1 / (1 + 2 ** -(score + priorLogOdds)), pairClass, pattern });
  }
  endPhase('classify');

  return {
    people,
    pairs,
    model,
    weights,
    matchThreshold,
    reviewThreshold,
    stats: {
      records: records.length,
      candidatePairs: pairCount,
      matches,
      reviews: pairs.length - matches,
      unreadableDates: people.reduce((count, person) => count + (person.hasUnreadableDate ? 1 : 0), 0),
      blocking: candidates.stats,
      secondsByPhase,
    },
  };
}

/** u from random pairs, m from anchor pairs, then EM for the share of matching pairs. */
function fitModel(people: readonly NormalisedPerson[], candidatePatterns: Uint16Array, options: LinkageOptions, cache: NameComparisonCache): FellegiSunterModel {
  const random = new Random(options.seed);
  const sampleSize = people.length < 2 ? 0 : Math.min(options.uSampleSize, (people.length * (people.length - 1)) / 2);
  const randomPatterns = new Uint16Array(sampleSize);
  for (let index = 0; index < sampleSize; index++) {
    const a = random.integer(0, people.length - 1);
    let b = random.integer(0, people.length - 2);
    if (b >= a) b++;
    randomPatterns[index] = comparePeople(people[a], people[b], cache);
  }
  const u = estimateU(countPatterns(randomPatterns));
  const candidates = countPatterns(candidatePatterns);
  const { m } = estimateM(candidates);
  const totalPairs = (people.length * (people.length - 1)) / 2;
  return { m, u, matchShare: estimateMatchShare(candidates, m, u, totalPairs, options.emIterations) };
}
