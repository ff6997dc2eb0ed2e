import { jaroWinkler } from './jaro-winkler.js';
import { formaliseGivenNames } from './nicknames.js';
import { phoneticKey } from './phonetic.js';
import { words } from './text.js';

/**
 * Words inside family names that do not identify a family: Spanish, French, Portuguese, Dutch, German
 * and Arabic particles and conjunctions. "María de la Cruz y Pérez" and "Maria Cruz Perez" must agree.
 */
const FAMILY_PARTICLES = new Set([
  'de', 'del', 'la', 'las', 'los', 'y', 'e', 'i', 'da', 'das', 'do', 'dos', 'di', 'du', 'des', 'le', 'les', 'd',
  'van', 'von', 'der', 'den', 'ter', 'ten', 'al', 'el', 'bin', 'ibn', 'ben',
]);

/** Titles people put in a given-name box. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'sr', 'sra', 'srta', 'mme', 'mlle', 'dr', 'dra']);

/** A name reduced to comparable words. */
export interface NormalisedName {
  /** Words used for comparison: folded, particles dropped, nicknames formalised for given names. */
  words: string[];
  /** `words` joined by one space. */
  full: string;
  /** The words before nickname formalisation (used when comparing a given name against a family name). */
  plainFull: string;
  plainWords: string[];
  /** Phonetic key of each comparison word, and of each plain word. */
  phonetic: string[];
  plainPhonetic: string[];
  /** Words with nothing between them: "Mariajose" typed for "María José". */
  joined: string;
  plainJoined: string;
  /** Number given to `full` / `plainFull` by the NameComparisonCache that last saw this name. */
  cacheId?: { owner: object; id: number };
  plainCacheId?: { owner: object; id: number };
}

function buildName(comparisonWords: string[], plainWords: string[]): NormalisedName | undefined {
  if (comparisonWords.length === 0) return undefined;
  return {
    words: comparisonWords,
    full: comparisonWords.join(' '),
    plainWords,
    plainFull: plainWords.join(' '),
    phonetic: comparisonWords.map(phoneticKey),
    plainPhonetic: plainWords.map(phoneticKey),
    joined: comparisonWords.join(''),
    plainJoined: plainWords.join(''),
  };
}

export function normaliseGivenNames(raw: string | undefined): NormalisedName | undefined {
  const plain = words(raw).filter((word) => !TITLES.has(word));
  return buildName(formaliseGivenNames(plain), plain);
}

export function normaliseFamilyNames(raw: string | undefined): NormalisedName | undefined {
  const all = words(raw);
  const meaningful = all.filter((word) => !FAMILY_PARTICLES.has(word));
  // A family name made only of particles ("De La") is kept as typed rather than lost.
  const chosen = meaningful.length > 0 ? meaningful : all;
  return buildName(chosen, chosen);
}

/** Agreement levels of a name comparison, best first. */
export const NameLevel = {
  /** Same words in the same order. */
  exact: 0,
  /** Same words, reordered, or one name's words all present in the other (a dropped second surname). */
  sameWords: 1,
  /** Every word of the shorter name matches a word of the other up to a typo or a spelling that sounds alike. */
  fuzzy: 2,
  /** Some word in common, or an initial consistent with the other name. */
  partial: 3,
  disagree: 4,
} as const;
export type NameLevel = (typeof NameLevel)[keyof typeof NameLevel];
export const NAME_LEVEL_COUNT = 5;

const FUZZY_WORD_SIMILARITY = 0.9;
const FUZZY_FULL_SIMILARITY = 0.94;
const PARTIAL_FULL_SIMILARITY = 0.86;

function wordsMatchFuzzily(a: string, phoneticA: string, b: string, phoneticB: string): boolean {
  if (a === b) return true;
  if (a.length === 1 || b.length === 1) return false;
  if (phoneticA.length >= 2 && phoneticA === phoneticB) return true;
  return jaroWinkler(a, b) >= FUZZY_WORD_SIMILARITY;
}

/**
 * Compare two names word by word. Works for given names, family names, or a given name against a family
 * name (swapped fields); `plain` compares the words before nickname formalisation.
 */
export function compareNames(a: NormalisedName, b: NormalisedName, plain = false): NameLevel {
  const fullA = plain ? a.plainFull : a.full;
  const fullB = plain ? b.plainFull : b.full;
  if (fullA === fullB) return NameLevel.exact;
  // Which side is "shorter" must not depend on argument order, so the comparison stays symmetric.
  const wordCountA = plain ? a.plainWords.length : a.words.length;
  const wordCountB = plain ? b.plainWords.length : b.words.length;
  const isAShorter = wordCountA < wordCountB || (wordCountA === wordCountB && fullA < fullB);
  const short = isAShorter ? a : b;
  const long = isAShorter ? b : a;
  const shortWords = plain ? short.plainWords : short.words;
  const shortPhonetic = plain ? short.plainPhonetic : short.phonetic;
  const longWords = plain ? long.plainWords : long.words;
  const longPhonetic = plain ? long.plainPhonetic : long.phonetic;

  let exactCount = 0;
  let fuzzyCount = 0;
  let initialCount = 0;
  for (let i = 0; i < shortWords.length; i++) {
    const word = shortWords[i];
    let isExact = false;
    let isFuzzy = false;
    let isInitial = false;
    for (let j = 0; j < longWords.length && !isExact; j++) {
      const other = longWords[j];
      if (word === other) isExact = true;
      else if (!isFuzzy && wordsMatchFuzzily(word, shortPhonetic[i], other, longPhonetic[j])) isFuzzy = true;
      else if ((word.length === 1 && other.startsWith(word)) || (other.length === 1 && word.startsWith(other))) isInitial = true;
    }
    if (isExact) exactCount++;
    else if (isFuzzy) fuzzyCount++;
    else if (isInitial) initialCount++;
  }
  const count = shortWords.length;
  if (exactCount === count) return NameLevel.sameWords;
  if (exactCount + fuzzyCount === count) return NameLevel.fuzzy;
  // Spaces and hyphens get lost ("Mariajose", "Garcialopez"): compare the names with spaces removed too.
  if ((plain ? a.plainJoined === b.plainJoined : a.joined === b.joined)) return NameLevel.fuzzy;
  const similarity = jaroWinkler(fullA, fullB);
  if (similarity >= FUZZY_FULL_SIMILARITY) return NameLevel.fuzzy;
  if (exactCount + fuzzyCount > 0 || initialCount === count || similarity >= PARTIAL_FULL_SIMILARITY) return NameLevel.partial;
  return NameLevel.disagree;
}

/**
 * Memory of name comparisons within one batch. Names repeat a lot (thousands of "María García"), and the
 * level of two names depends only on their comparison strings, so each distinct pair is computed once.
 * Names are numbered by their text on first sight; levels live in an open-addressing hash table of typed
 * arrays (no per-entry objects for the garbage collector). When the table fills up it is emptied.
 */
const MAX_CACHED_ID = 2 ** 27; // (id << 3) | level must fit a signed 32-bit slot

export class NameComparisonCache {
  private readonly idByText = new Map<string, number>();
  private readonly capacityMask: number;
  /** Two ints per slot, side by side so one probe touches one cache line: low key, then (high key << 3) | level. */
  private readonly slots: Int32Array;
  private size = 0;

  constructor(capacityPowerOfTwo = 21) {
    const capacity = 2 ** capacityPowerOfTwo;
    this.capacityMask = capacity - 1;
    this.slots = new Int32Array(capacity * 2).fill(-1);
  }

  private idOf(name: NormalisedName, plain: boolean): number {
    const cached = plain ? name.plainCacheId : name.cacheId;
    if (cached !== undefined && cached.owner === this) return cached.id;
    const text = plain ? name.plainFull : name.full;
    let id = this.idByText.get(text);
    if (id === undefined) {
      id = this.idByText.size;
      this.idByText.set(text, id);
    }
    const stamp = { owner: this, id };
    if (plain) name.plainCacheId = stamp;
    else name.cacheId = stamp;
    return id;
  }

  compare(a: NormalisedName, b: NormalisedName, plain = false): NameLevel {
    const idA = this.idOf(a, plain);
    const idB = this.idOf(b, plain);
    // Ids beyond 2^27 (not reachable in practice) would not fit the packed slot: compare without caching.
    if (idA >= MAX_CACHED_ID || idB >= MAX_CACHED_ID) return compareNames(a, b, plain);
    // Plain and formal texts share one id space, so the flag is folded into the key.
    const low = (Math.min(idA, idB) << 1) | (plain ? 1 : 0);
    const high = Math.max(idA, idB);
    let hash = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca77);
    hash ^= hash >>> 15;
    let slot = hash & this.capacityMask;
    const slots = this.slots;
    while (slots[slot * 2] !== -1) {
      const packed = slots[slot * 2 + 1];
      if (slots[slot * 2] === low && packed >>> 3 === high) return (packed & 7) as NameLevel;
      slot = (slot + 1) & this.capacityMask;
    }
    const level = compareNames(a, b, plain);
    if (this.size * 10 > this.capacityMask * 7) {
      slots.fill(-1);
      this.size = 0;
      return level;
    }
    slots[slot * 2] = low;
    slots[slot * 2 + 1] = (high << 3) | level;
    this.size++;
    return level;
  }
}
