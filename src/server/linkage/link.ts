import {
  linkageOptionsSchema, type LinkageOptions, type LinkageOptionsInput, type PairClass, type PersonRecord,
} from '../../shared/linkage/person-record.js';
import { decodePair, findCandidatePairs, type BlockingStats } from './blocking.js';
import { comparePeople, FIELDS, patternLevel } from './comparison.js';
import {
  countPatterns, estimateModel, estimateU, levelWeights, patternWeightTable, type FellegiSunterModel,
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
  /** Posterior probability of a match among candidate pairs with this score. */
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
const DEFAULT_MATCH_PROBABILITY = 0.5;
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

  const priorLogOdds = Math.log2(model.matchShare / (1 - model.matchShare));
  const pairs: LinkedPair[] = [];
  let matches = 0;
  for (let index = 0; index < pairCount; index++) {
    const pattern = patterns[index];
    const score = weightOfPattern[pattern];
    if (score < reviewThreshold) continue;
    const pairClass: PairClass = score >= matchThreshold && !isIdentityContradicted(pattern) ? 'match' : 'review';
    if (pairClass === 'match') matches++;
    const [a, b] = decodePair(candidates.pairs[index], people.length);
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

/** u from random pairs, then EM over the candidate pairs for m (and u among candidates) and the match share. */
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
  return estimateModel(countPatterns(candidatePatterns), u, { iterations: options.emIterations, isUEstimated: true });
}
