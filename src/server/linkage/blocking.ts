import type { NormalisedPerson } from './person.js';

/**
 * Blocking: instead of comparing every pair of records (45 billion pairs for 300,000 people), compare
 * only pairs that share at least one blocking key. Several independent keys are used so that a pair
 * whose family name, phone or date of birth is corrupted is still found through another key.
 */
export interface BlockingRule {
  name: string;
  /** Keys of one person for this rule (none when the fields it needs are missing). */
  keys(person: NormalisedPerson): string[];
  /** Order inside an oversized block: neighbours in this order are compared. */
  sortKey(person: NormalisedPerson): string;
}

function firstPhonetic(name: NormalisedPerson['given']): string {
  return name?.phonetic[0] ?? '';
}

function nameSortKey(person: NormalisedPerson): string {
  return `${person.family?.full ?? ''}|${person.given?.full ?? ''}|${person.dateOfBirthDigits ?? ''}`;
}

function dateSortKey(person: NormalisedPerson): string {
  return `${person.dateOfBirthDigits ?? person.dateOfBirth?.year ?? ''}|${person.given?.full ?? ''}`;
}

export const BLOCKING_RULES: readonly BlockingRule[] = [
  {
    // Each word of a compound family name, so "García López" meets "López". The given-name initial keeps
    // blocks of common surnames small; a wrong initial is caught by the other rules.
    name: 'family_phonetic+birth_year+given_initial',
    keys: (person) => {
      const year = person.dateOfBirth?.year;
      const initial = person.given?.words[0]?.[0] ?? '';
      if (!year || !person.family) return [];
      return [...new Set(person.family.phonetic.filter((key) => key.length >= 2))].slice(0, 3).map((key) => `${key}:${year}:${initial}`);
    },
    sortKey: nameSortKey,
  },
  {
    name: 'phone_last_7',
    keys: (person) => (person.phone.length >= 7 ? [person.phone.slice(-7)] : []),
    sortKey: nameSortKey,
  },
  {
    name: 'email',
    keys: (person) => (person.email ? [person.email] : []),
    sortKey: nameSortKey,
  },
  {
    name: 'given_phonetic+postcode',
    keys: (person) => {
      const given = firstPhonetic(person.given);
      return given && person.postcode ? [`${given}:${person.postcode}`] : [];
    },
    sortKey: nameSortKey,
  },
  {
    // Unordered pair of first given and first family name sounds: survives a wrong date and swapped fields.
    name: 'given_phonetic+family_phonetic',
    keys: (person) => {
      const given = firstPhonetic(person.given);
      const family = firstPhonetic(person.family);
      if (!given || !family) return [];
      return [given < family ? `${given}:${family}` : `${family}:${given}`];
    },
    sortKey: dateSortKey,
  },
  {
    // Same house: survives names and dates typed very differently (and finds relatives, which the
    // comparison then tells apart).
    name: 'street+city',
    keys: (person) => {
      const street = person.street;
      const place = person.city || person.postcode;
      return street && street.numbers && street.name && place ? [`${street.numbers}:${street.name}:${place}`] : [];
    },
    sortKey: nameSortKey,
  },
  {
    name: 'given_phonetic+family_initial+city',
    keys: (person) => {
      const given = firstPhonetic(person.given);
      const familyInitial = person.family?.words[0]?.[0];
      return given && familyInitial && person.city ? [`${given}:${familyInitial}:${person.city}`] : [];
    },
    sortKey: nameSortKey,
  },
  {
    // Full date of birth with either initial: survives a family or a given name typed quite differently.
    name: 'date_of_birth+initial',
    keys: (person) => {
      const digits = person.dateOfBirthDigits;
      if (!digits) return [];
      const keys: string[] = [];
      const givenInitial = person.given?.words[0]?.[0];
      const familyInitial = person.family?.words[0]?.[0];
      if (givenInitial) keys.push(`${digits}:g${givenInitial}`);
      if (familyInitial) keys.push(`${digits}:f${familyInitial}`);
      return keys;
    },
    sortKey: nameSortKey,
  },
];

/** A growable list of record-index pairs packed as one float each: low * recordCount + high. */
class PairList {
  private buffer = new Float64Array(1 << 16);
  length = 0;
  constructor(private readonly recordCount: number) {}

  add(first: number, second: number): void {
    if (first === second) return;
    if (this.length === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = first < second ? first * this.recordCount + second : second * this.recordCount + first;
  }

  /** Sorted, without repeats; the list is consumed. */
  toUniqueSorted(): Float64Array {
    const pairs = this.buffer.subarray(0, this.length).sort();
    let write = 0;
    for (let read = 0; read < pairs.length; read++) {
      if (read === 0 || pairs[read] !== pairs[read - 1]) pairs[write++] = pairs[read];
    }
    const unique = pairs.slice(0, write);
    this.buffer = new Float64Array(0);
    return unique;
  }
}

export interface BlockingOptions {
  maxBlockSize: number;
  oversizedBlockWindow: number;
  rules?: readonly BlockingRule[];
}

export interface BlockingStats {
  rule: string;
  blocks: number;
  oversizedBlocks: number;
  /** Pairs this rule proposed, before removing pairs another rule also proposed. */
  pairsProposed: number;
}

export interface CandidatePairs {
  /** Each value is low * recordCount + high; decode with `decodePair`. */
  pairs: Float64Array;
  recordCount: number;
  stats: BlockingStats[];
}

export function decodePair(packed: number, recordCount: number): [number, number] {
  const low = Math.floor(packed / recordCount);
  return [low, packed - low * recordCount];
}

function addBlockPairs(members: number[], people: readonly NormalisedPerson[], rule: BlockingRule, options: BlockingOptions, pairs: PairList): boolean {
  if (members.length <= options.maxBlockSize) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) pairs.add(members[i], members[j]);
    }
    return false;
  }
  // Too big to compare all-against-all (a very common name, a shared switchboard number): compare each
  // record with its neighbours in a meaningful order instead (sorted neighbourhood).
  const sortKeys = new Map<number, string>();
  for (const member of members) sortKeys.set(member, rule.sortKey(people[member]));
  const sorted = [...members].sort((x, y) => {
    const keyX = sortKeys.get(x)!;
    const keyY = sortKeys.get(y)!;
    return keyX < keyY ? -1 : keyX > keyY ? 1 : x - y;
  });
  for (let i = 0; i < sorted.length; i++) {
    const end = Math.min(sorted.length, i + 1 + options.oversizedBlockWindow);
    for (let j = i + 1; j < end; j++) pairs.add(sorted[i], sorted[j]);
  }
  return true;
}

/** All candidate pairs proposed by the blocking rules, without repeats. */
export function findCandidatePairs(people: readonly NormalisedPerson[], options: BlockingOptions): CandidatePairs {
  const rules = options.rules ?? BLOCKING_RULES;
  if (people.length > 2 ** 26) throw new Error('linkage: more than 67 million records cannot be packed into pair indexes');
  const pairs = new PairList(people.length);
  const stats: BlockingStats[] = [];
  for (const rule of rules) {
    // One rule at a time, so only one rule's blocks are in memory.
    const blocks = new Map<string, number[]>();
    for (let index = 0; index < people.length; index++) {
      for (const key of rule.keys(people[index])) {
        const members = blocks.get(key);
        if (members) members.push(index);
        else blocks.set(key, [index]);
      }
    }
    const before = pairs.length;
    let oversizedBlocks = 0;
    let multiMemberBlocks = 0;
    for (const members of blocks.values()) {
      if (members.length < 2) continue;
      multiMemberBlocks++;
      if (addBlockPairs(members, people, rule, options, pairs)) oversizedBlocks++;
    }
    stats.push({ rule: rule.name, blocks: multiMemberBlocks, oversizedBlocks, pairsProposed: pairs.length - before });
  }
  return { pairs: pairs.toUniqueSorted(), recordCount: people.length, stats };
}
