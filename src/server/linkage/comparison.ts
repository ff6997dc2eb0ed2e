import { COMPARED_FIELDS, type ComparedField } from '../../shared/linkage/person-record.js';
import { editDistanceWithin, jaroWinkler } from './jaro-winkler.js';
import { compareNames, NameLevel, type NameComparisonCache, type NormalisedName } from './names.js';
import type { NormalisedPerson } from './person.js';

/**
 * The fields compared for every candidate pair and their agreement levels, best first. Each field also
 * has an implicit last level, "missing", used when either record lacks the field: it carries no
 * evidence either way (weight 0).
 */
export const FIELD_LEVELS: Record<ComparedField, readonly string[]> = {
  given_names: ['exact', 'same_words', 'fuzzy', 'partial', 'disagree'],
  family_names: ['exact', 'same_words', 'fuzzy', 'partial', 'disagree'],
  date_of_birth: ['exact', 'near', 'same_year', 'disagree'],
  sex: ['agree', 'disagree'],
  phone: ['exact', 'near', 'moved', 'disagree'],
  email: ['exact', 'typo', 'disagree'],
  address: ['same_street', 'same_postcode', 'same_city', 'disagree'],
};

export const FIELDS: readonly ComparedField[] = COMPARED_FIELDS;
export const FIELD_COUNT = FIELDS.length;
/** Number of levels per field including "missing" (the last). */
export const LEVEL_COUNTS: readonly number[] = FIELDS.map((field) => FIELD_LEVELS[field].length + 1);
/** A comparison vector is packed into one integer ("pattern") in mixed radix, field 0 least significant. */
const STRIDES: readonly number[] = LEVEL_COUNTS.map((_, index) => LEVEL_COUNTS.slice(0, index).reduce((product, count) => product * count, 1));
export const PATTERN_COUNT = LEVEL_COUNTS.reduce((product, count) => product * count, 1);

export function missingLevel(fieldIndex: number): number {
  return LEVEL_COUNTS[fieldIndex] - 1;
}

export function patternLevel(pattern: number, fieldIndex: number): number {
  return Math.floor(pattern / STRIDES[fieldIndex]) % LEVEL_COUNTS[fieldIndex];
}

export function decodePattern(pattern: number): number[] {
  return FIELDS.map((_, index) => patternLevel(pattern, index));
}

export function encodePattern(levels: readonly number[]): number {
  let pattern = 0;
  for (let index = 0; index < FIELD_COUNT; index++) pattern += levels[index] * STRIDES[index];
  return pattern;
}

/** Human-readable level of a field in a pattern: "exact", "missing", ... */
export function levelName(pattern: number, fieldIndex: number): string {
  const level = patternLevel(pattern, fieldIndex);
  return FIELD_LEVELS[FIELDS[fieldIndex]][level] ?? 'missing';
}

const DATE_EXACT = 0, DATE_NEAR = 1, DATE_SAME_YEAR = 2, DATE_DISAGREE = 3;

function compareDatesOfBirth(a: NormalisedPerson, b: NormalisedPerson): number {
  const dateA = a.dateOfBirth;
  const dateB = b.dateOfBirth;
  if (!dateA || !dateB) return missingLevel(2);
  const digitsA = a.dateOfBirthDigits;
  const digitsB = b.dateOfBirthDigits;
  if (digitsA && digitsB) {
    if (digitsA === digitsB) return DATE_EXACT;
    if (dateA.year === dateB.year && dateA.month === dateB.day && dateA.day === dateB.month) return DATE_NEAR;
    // One mistyped digit or two neighbouring digits swapped (1985 -> 1958 is a swap of the last two).
    if (editDistanceWithin(digitsA, digitsB, 1) <= 1) return DATE_NEAR;
  }
  if (dateA.year !== dateB.year) return DATE_DISAGREE;
  // Same year and whatever else is known on both sides does not contradict it.
  if (dateA.month && dateB.month && dateA.month !== dateB.month && !(dateA.month === dateB.day && dateA.day === dateB.month)) {
    return digitsA && digitsB ? DATE_DISAGREE : DATE_SAME_YEAR;
  }
  return DATE_SAME_YEAR;
}

const MIN_PHONE_SUFFIX = 7;

function comparePhones(a: string, b: string): number {
  if (!a || !b) return missingLevel(4);
  if (a === b) return 0;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  // A number recorded without its area or country code.
  if (shorter.length >= MIN_PHONE_SUFFIX && longer.endsWith(shorter)) return 1;
  const distance = editDistanceWithin(a, b, 2);
  if (distance <= 1) return 1;
  if (distance === 2) return 2; // a digit moved elsewhere, or two typos
  return 3;
}

function compareEmails(a: NormalisedPerson, b: NormalisedPerson): number {
  if (!a.email || !b.email) return missingLevel(5);
  if (a.email === b.email) return 0;
  // A mistyped address. The same handle at another provider is not counted: handles are usually built
  // from the person's name, so "maria.garcia@" at two providers is as often two María Garcías.
  if (editDistanceWithin(a.email, b.email, 1) <= 1) return 1;
  return 2;
}

const STREET_NAME_SIMILARITY = 0.9;
const CITY_SIMILARITY = 0.92;

function compareAddresses(a: NormalisedPerson, b: NormalisedPerson): number {
  let isComparable = false;
  if (a.street && b.street) {
    isComparable = true;
    if (a.street.full === b.street.full) return 0;
    if (a.street.numbers === b.street.numbers && a.street.name && b.street.name
      && jaroWinkler(a.street.name, b.street.name) >= STREET_NAME_SIMILARITY) return 0;
  }
  if (a.postcode && b.postcode) {
    isComparable = true;
    if (a.postcode === b.postcode) return 1;
  }
  if (a.city && b.city) {
    isComparable = true;
    if (a.city === b.city || jaroWinkler(a.city, b.city) >= CITY_SIMILARITY) return 2;
  }
  return isComparable ? 3 : missingLevel(6);
}

type NameComparer = (a: NormalisedName, b: NormalisedName, plain?: boolean) => number;

/** Given and family name levels, trying the fields swapped when that explains the pair better. */
function compareNameFields(a: NormalisedPerson, b: NormalisedPerson, levels: number[], compare: NameComparer): void {
  const givenLevel = a.given && b.given ? compare(a.given, b.given) : missingLevel(0);
  const familyLevel = a.family && b.family ? compare(a.family, b.family) : missingLevel(1);
  levels[0] = givenLevel;
  levels[1] = familyLevel;
  if (!a.given || !b.given || !a.family || !b.family) return;
  if (givenLevel <= NameLevel.fuzzy && familyLevel <= NameLevel.fuzzy) return;
  const swappedGiven = compare(a.given, b.family, true);
  if (swappedGiven > NameLevel.fuzzy) return;
  const swappedFamily = compare(a.family, b.given, true);
  if (swappedFamily <= NameLevel.fuzzy && swappedGiven + swappedFamily < givenLevel + familyLevel) {
    // Which swapped comparison fills which slot is a convention; min/max keeps comparePeople symmetric.
    levels[0] = Math.min(swappedGiven, swappedFamily);
    levels[1] = Math.max(swappedGiven, swappedFamily);
  }
}

const scratchLevels = new Array<number>(FIELD_COUNT).fill(0);

/**
 * Compare two people field by field; returns the packed comparison pattern. Symmetric in a and b.
 * Pass a cache when comparing many pairs from one batch (same result, much faster).
 */
export function comparePeople(a: NormalisedPerson, b: NormalisedPerson, cache?: NameComparisonCache): number {
  const levels = scratchLevels;
  compareNameFields(a, b, levels, cache ? (x, y, plain) => cache.compare(x, y, plain) : compareNames);
  levels[2] = compareDatesOfBirth(a, b);
  levels[3] = a.sex && b.sex ? (a.sex === b.sex ? 0 : 1) : missingLevel(3);
  levels[4] = comparePhones(a.phone, b.phone);
  levels[5] = compareEmails(a, b);
  levels[6] = compareAddresses(a, b);
  return encodePattern(levels);
}
