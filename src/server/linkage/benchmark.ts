import type { PersonRecord } from '../../shared/linkage/person-record.js';
import { FLAVOURS, NEARBY_KEYS, type Flavour, type FlavourData, type Place } from './benchmark-data.js';
import { nicknameTable } from './nicknames.js';
import { Random } from './prng.js';
import { foldAccents } from './text.js';

/**
 * Synthetic benchmark with known truth: people in English, Spanish and French flavours, some recorded
 * several times with the corruption real intake produces (typos, dropped accents, nicknames, swapped
 * name fields, reformatted or mistyped phones, date-of-birth slips, missing fields, moves), plus hard
 * non-duplicates (relatives sharing a family name, an address and often a phone). Seeded and
 * reproducible: the same size and seed give byte-identical output.
 */

interface Person {
  flavour: Flavour;
  sex: 'f' | 'm';
  given: string;
  family: string;
  /** Second family name (Spanish usage); "" when none. */
  secondFamily: string;
  year: number;
  month: number;
  day: number;
  place: Place;
  /** National significant number, digits only. */
  phone: string;
  email: string;
  streetType: string;
  streetName: string;
  houseNumber: number;
  postcode: string;
}

/** How one recording of a person should be rendered. */
interface Rendering {
  dropAccents: boolean;
  swapNames: boolean;
  dobYearOnly: boolean;
  missing: Set<keyof PersonRecord>;
}

export interface BenchmarkOptions {
  /** Total number of records (originals plus duplicates). */
  size: number;
  seed?: number;
  /** Share of people recorded more than once. */
  duplicateShare?: number;
  /** Share of people who have a relative in the data (a hard non-duplicate). */
  relativeShare?: number;
}

export interface Benchmark {
  records: PersonRecord[];
  /** True duplicate pairs as [id_a, id_b] with id_a < id_b. */
  truePairs: Array<[string, string]>;
  /** Entity (real person) behind each record id. */
  entityOf: Map<string, number>;
}

const FLAVOUR_WEIGHTS: Array<[Flavour, number]> = [['es', 0.45], ['en', 0.35], ['fr', 0.2]];

function pickFlavour(random: Random): Flavour {
  let roll = random.next();
  for (const [flavour, weight] of FLAVOUR_WEIGHTS) {
    if ((roll -= weight) < 0) return flavour;
  }
  return 'es';
}

function digits(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(random.integer(0, 9));
  return text;
}

function nationalPhone(random: Random, place: Place): string {
  const area = random.pick(place.areaCodes);
  switch (place.country) {
    case 'US': return area + String(random.integer(2, 9)) + digits(random, 6);
    case 'MX': return area + digits(random, 10 - area.length);
    case 'ES': return area === '6' ? '6' + digits(random, 8) : area + digits(random, 9 - area.length);
    case 'FR': return area + digits(random, 8);
  }
}

function asciiLower(text: string): string {
  return foldAccents(text).replace(/[^a-z]/g, '');
}

/** Email addresses belong to one person: a taken address gets a number, as providers insist. */
function makeEmail(random: Random, data: FlavourData, given: string, family: string, year: number, taken: Set<string>): string {
  const g = asciiLower(given.split(/[ -]/)[0]);
  const f = asciiLower(family);
  const domain = random.pickSkewed(data.emailDomains, 0.5);
  let local = random.pick([
    `${g}.${f}`, `${g}${f}${random.integer(1, 99)}`, `${g[0]}${f}`, `${f}.${g}${String(year).slice(2)}`, `${g}_${f}${random.integer(1, 999)}`,
  ]);
  while (taken.has(`${local}@${domain}`)) local += String(random.integer(0, 9));
  taken.add(`${local}@${domain}`);
  return `${local}@${domain}`;
}

function makePerson(random: Random, flavour: Flavour, emails: Set<string>): Person {
  const data = FLAVOURS[flavour];
  const sex = random.chance(0.55) ? 'f' : 'm';
  const place = random.pickSkewed(data.places, 0.6);
  const given = random.pickSkewed(sex === 'f' ? data.femaleNames : data.maleNames, 0.6);
  const family = random.pickSkewed(data.familyNames, 0.5);
  const hasSecondFamily = flavour === 'es' && random.chance(place.country === 'US' ? 0.4 : 0.85);
  const year = random.integer(1956, 2011);
  const month = random.integer(1, 12);
  const day = random.integer(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return {
    flavour, sex, given, family,
    secondFamily: hasSecondFamily ? random.pickSkewed(data.familyNames, 0.5) : '',
    year, month, day, place,
    phone: nationalPhone(random, place),
    email: makeEmail(random, data, given, family, year, emails),
    streetType: random.pick(data.streetTypes),
    streetName: random.pickSkewed(data.streetNames, 0.5),
    houseNumber: random.integer(1, 400),
    postcode: place.postcodePrefix + digits(random, 5 - place.postcodePrefix.length),
  };
}

/** A relative at the same address: same family name(s), often the same phone, a different given name and birth date. */
function makeRelative(random: Random, person: Person, emails: Set<string>): Person {
  const data = FLAVOURS[person.flavour];
  const sex = random.chance(0.5) ? 'f' : 'm';
  let given = person.given;
  while (foldAccents(given) === foldAccents(person.given)) given = random.pickSkewed(sex === 'f' ? data.femaleNames : data.maleNames, 0.6);
  let year = person.year;
  while (Math.abs(year - person.year) < 1) year = Math.max(1940, Math.min(2015, person.year + random.integer(-30, 30)));
  const month = random.integer(1, 12);
  return {
    ...person,
    sex, given, year, month,
    day: random.integer(1, 28),
    phone: random.chance(0.5) ? person.phone : nationalPhone(random, person.place),
    email: makeEmail(random, data, given, person.family, year, emails),
  };
}

function typo(random: Random, text: string): string {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (/\p{L}/u.test(text[i])) positions.push(i);
  if (positions.length < 3) return text;
  // Not the first letter: people rarely get the initial wrong, and it keeps a few blocking keys usable.
  const at = positions[random.integer(1, positions.length - 1)];
  const letter = text[at];
  switch (random.integer(0, 3)) {
    case 0: {
      const nearby = NEARBY_KEYS[foldAccents(letter)] ?? 'e';
      const replacement = nearby[random.integer(0, nearby.length - 1)];
      return text.slice(0, at) + (letter === letter.toUpperCase() ? replacement.toUpperCase() : replacement) + text.slice(at + 1);
    }
    case 1: return text.slice(0, at) + text.slice(at + 1);
    case 2: return text.slice(0, at) + letter + text.slice(at);
    default: return at + 1 < text.length && /\p{L}/u.test(text[at + 1])
      ? text.slice(0, at) + text[at + 1] + letter + text.slice(at + 2)
      : text.slice(0, at) + text.slice(at + 1);
  }
}

const NICKNAMES_BY_FORMAL: Map<string, string[]> = new Map(Object.entries(nicknameTable()).map(([formal, variants]) => [formal, [...variants]]));

function capitalise(text: string): string {
  return text.replace(/(^|[\s-])(\p{L})/gu, (_, separator: string, letter: string) => separator + letter.toUpperCase());
}

function nickname(random: Random, given: string): string | undefined {
  const variants = NICKNAMES_BY_FORMAL.get(foldAccents(given).replace(/-/g, ' '));
  return variants && variants.length > 0 ? capitalise(random.pick(variants)) : undefined;
}

function swapTwoAdjacent(random: Random, text: string): string {
  const at = random.integer(0, text.length - 2);
  return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
}

function changeOneDigit(random: Random, text: string): string {
  const at = random.integer(0, text.length - 1);
  let digit = text[at];
  while (digit === text[at]) digit = String(random.integer(0, 9));
  return text.slice(0, at) + digit + text.slice(at + 1);
}

function moveOneDigit(random: Random, text: string): string {
  const from = random.integer(0, text.length - 1);
  const without = text.slice(0, from) + text.slice(from + 1);
  const to = random.integer(0, without.length);
  return without.slice(0, to) + text[from] + without.slice(to);
}

type Corruption = (random: Random, person: Person, rendering: Rendering, emails: Set<string>) => void;

/** Things that go wrong when the same person is recorded again, with how often each is chosen. */
const CORRUPTIONS: Array<[number, Corruption]> = [
  [10, (random, person) => { person.given = typo(random, person.given); }],
  [10, (random, person) => { person.family = typo(random, person.family); }],
  [8, (random, person) => { person.given = nickname(random, person.given) ?? typo(random, person.given); }],
  [4, (_, __, rendering) => { rendering.swapNames = true; }],
  [6, (_, person) => { if (person.secondFamily) person.secondFamily = ''; else person.given = person.given.split(/[ -]/)[0]; }],
  [6, (random, person) => { person.phone = swapTwoAdjacent(random, person.phone); }],
  [5, (random, person) => { person.phone = changeOneDigit(random, person.phone); }],
  [3, (random, person) => { person.phone = moveOneDigit(random, person.phone); }],
  [5, (random, person) => { person.phone = nationalPhone(random, person.place); }],
  [4, (random, person, _, emails) => { person.email = makeEmail(random, FLAVOURS[person.flavour], person.given, person.family, person.year, emails); }],
  [5, (_, person) => { if (person.day <= 12) [person.day, person.month] = [person.month, person.day]; else person.year += 1; }],
  [7, (random, person) => {
    const which = random.integer(0, 2);
    if (which === 0) person.year += random.pick([-10, -1, 1, 10]);
    else if (which === 1) person.month = ((person.month + random.pick([-1, 1]) + 11) % 12) + 1;
    else person.day = Math.max(1, Math.min(28, person.day + random.pick([-10, -1, 1, 10])));
  }],
  [4, (_, __, rendering) => { rendering.dobYearOnly = true; }],
  [5, (random, person) => {
    const data = FLAVOURS[person.flavour];
    person.streetName = random.pickSkewed(data.streetNames, 0.5);
    person.houseNumber = random.integer(1, 400);
    person.postcode = person.place.postcodePrefix + digits(random, 5 - person.place.postcodePrefix.length);
  }],
  [8, (random, _, rendering) => {
    rendering.missing.add(random.pick<keyof PersonRecord>(['date_of_birth', 'phone', 'email', 'street', 'postcode', 'sex', 'given_names']));
  }],
];
const CORRUPTION_TOTAL = CORRUPTIONS.reduce((sum, [weight]) => sum + weight, 0);

function corrupt(random: Random, person: Person, rendering: Rendering, emails: Set<string>): void {
  let roll = random.next() * CORRUPTION_TOTAL;
  for (const [weight, corruption] of CORRUPTIONS) {
    if ((roll -= weight) < 0) return corruption(random, person, rendering, emails);
  }
}

/** Fields left empty when a person is recorded, and how often. */
const MISSING_RATES: Array<[keyof PersonRecord, number]> = [
  ['date_of_birth', 0.08], ['sex', 0.05], ['phone', 0.15], ['email', 0.45], ['street', 0.35],
  ['city', 0.1], ['admin_area', 0.4], ['postcode', 0.3], ['country', 0.3],
];

function freshRendering(random: Random): Rendering {
  const missing = new Set<keyof PersonRecord>();
  for (const [field, rate] of MISSING_RATES) if (random.chance(rate)) missing.add(field);
  return { dropAccents: random.chance(0.15), swapNames: false, dobYearOnly: random.chance(0.03), missing };
}

const pad = (value: number) => String(value).padStart(2, '0');

function formatDate(random: Random, person: Person, yearOnly: boolean): string {
  if (yearOnly) return String(person.year);
  const iso = `${person.year}-${pad(person.month)}-${pad(person.day)}`;
  if (person.flavour === 'en') {
    // Month-first only when unambiguous (day > 12): an ambiguous US date is a different problem.
    return person.day > 12 && random.chance(0.4) ? `${pad(person.month)}/${pad(person.day)}/${person.year}` : iso;
  }
  return random.pick([iso, `${pad(person.day)}/${pad(person.month)}/${person.year}`, `${pad(person.day)}-${pad(person.month)}-${person.year}`, `${person.day}.${person.month}.${person.year}`]);
}

function groupDigits(text: string, sizes: number[], separator: string): string {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(text.slice(at, at + size));
    at += size;
  }
  if (at < text.length) groups.push(text.slice(at));
  return groups.filter(Boolean).join(separator);
}

function formatPhone(random: Random, person: Person): string {
  const n = person.phone;
  switch (person.place.country) {
    case 'US': return random.pick([
      `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, groupDigits(n, [3, 3, 4], '-'), groupDigits(n, [3, 3, 4], '.'),
      `+1 ${groupDigits(n, [3, 3, 4], ' ')}`, `1-${groupDigits(n, [3, 3, 4], '-')}`, n,
    ]);
    case 'MX': {
      const area = n.length === 10 && /^(55|56|33|81)/.test(n) ? 2 : 3;
      const grouped = groupDigits(n, [area, 4 - (area - 2), 4], ' ');
      return random.pick([`+52 ${grouped}`, grouped, `+52 1 ${grouped}`, `044 ${grouped}`, `(${n.slice(0, area)}) ${n.slice(area)}`, n]);
    }
    case 'ES': return random.pick([`+34 ${groupDigits(n, [3, 3, 3], ' ')}`, n, `0034 ${groupDigits(n, [3, 2, 2, 2], ' ')}`, groupDigits(n, [3, 3, 3], '-')]);
    case 'FR': return random.pick([
      groupDigits(`0${n}`, [2, 2, 2, 2, 2], ' '), `+33 ${groupDigits(n, [1, 2, 2, 2, 2], ' ')}`, groupDigits(`0${n}`, [2, 2, 2, 2, 2], '.'),
      `+33 (0)${groupDigits(n, [1, 2, 2, 2, 2], ' ')}`, `0033${n}`,
    ]);
  }
}

function formatStreet(person: Person): string {
  if (person.flavour === 'en') return `${person.houseNumber} ${person.streetName} ${person.streetType}`;
  if (person.flavour === 'fr') return `${person.houseNumber} ${person.streetType} ${person.streetName}`;
  return `${person.streetType} ${person.streetName} ${person.houseNumber}`;
}

const COUNTRY_NAMES: Record<Place['country'], string[]> = {
  US: ['US', 'USA', 'United States', 'Estados Unidos'], MX: ['MX', 'México', 'Mexico'], ES: ['ES', 'España', 'Spain'], FR: ['FR', 'France'],
};
const SEX_WORDS: Record<Flavour, Record<'f' | 'm', string[]>> = {
  en: { f: ['F', 'female', 'Female'], m: ['M', 'male', 'Male'] },
  es: { f: ['F', 'Mujer', 'femenino'], m: ['M', 'Hombre', 'masculino'] },
  fr: { f: ['F', 'femme', 'Femme'], m: ['H', 'homme', 'M'] },
};

function casing(random: Random, text: string): string {
  const roll = random.next();
  if (roll < 0.12) return text.toUpperCase();
  if (roll < 0.17) return text.toLowerCase();
  return text;
}

function render(random: Random, id: string, person: Person, rendering: Rendering): PersonRecord {
  const accents = (text: string) => (rendering.dropAccents ? text.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : text);
  const family = person.secondFamily ? `${person.family} ${person.secondFamily}` : person.family;
  const [givenText, familyText] = rendering.swapNames ? [family, person.given] : [person.given, family];
  const record: PersonRecord = {
    id,
    given_names: casing(random, accents(givenText)),
    family_names: casing(random, accents(familyText)),
    date_of_birth: formatDate(random, person, rendering.dobYearOnly),
    sex: random.pick(SEX_WORDS[person.flavour][person.sex]),
    phone: formatPhone(random, person),
    email: random.chance(0.1) ? person.email.toUpperCase() : person.email,
    street: casing(random, accents(formatStreet(person))),
    city: casing(random, accents(person.place.city)),
    admin_area: accents(person.place.adminArea),
    postcode: person.postcode,
    country: random.pick(COUNTRY_NAMES[person.place.country]),
  };
  for (const field of rendering.missing) if (field !== 'id') record[field] = '';
  return record;
}

/** How many extra recordings a person gets. */
function duplicateCount(random: Random, duplicateShare: number): number {
  if (!random.chance(duplicateShare)) return 0;
  const roll = random.next();
  return roll < 0.75 ? 1 : roll < 0.93 ? 2 : 3;
}

export function generateBenchmark(options: BenchmarkOptions): Benchmark {
  const random = new Random(options.seed ?? 42);
  const duplicateShare = options.duplicateShare ?? 0.35;
  const relativeShare = options.relativeShare ?? 0.04;
  const drafts: Array<{ entity: number; record: Omit<PersonRecord, 'id'> & { id?: string } }> = [];
  let entity = 0;
  const emails = new Set<string>();

  const addRecordings = (person: Person, recordings: number) => {
    const current = entity++;
    for (let recording = 0; recording < recordings && drafts.length < options.size; recording++) {
      const copy: Person = { ...person };
      const rendering = freshRendering(random);
      if (recording > 0) {
        const corruptions = 1 + (random.chance(0.5) ? 1 : 0) + (random.chance(0.2) ? 1 : 0);
        for (let i = 0; i < corruptions; i++) corrupt(random, copy, rendering, emails);
      }
      drafts.push({ entity: current, record: render(random, '', copy, rendering) });
    }
  };

  while (drafts.length < options.size) {
    const person = makePerson(random, pickFlavour(random), emails);
    addRecordings(person, 1 + duplicateCount(random, duplicateShare));
    if (random.chance(relativeShare)) addRecordings(makeRelative(random, person, emails), 1 + duplicateCount(random, duplicateShare));
  }

  // Shuffle so that duplicates are not neighbours (Fisher–Yates), then number the records.
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = random.integer(0, i);
    [drafts[i], drafts[j]] = [drafts[j], drafts[i]];
  }
  const width = String(drafts.length).length;
  const records: PersonRecord[] = [];
  const entityOf = new Map<string, number>();
  const idsByEntity = new Map<number, string[]>();
  drafts.forEach((draft, index) => {
    const id = `P${String(index + 1).padStart(width, '0')}`;
    records.push({ ...draft.record, id });
    entityOf.set(id, draft.entity);
    const ids = idsByEntity.get(draft.entity);
    if (ids) ids.push(id);
    else idsByEntity.set(draft.entity, [id]);
  });
  const truePairs: Array<[string, string]> = [];
  for (const ids of idsByEntity.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) truePairs.push(ids[i] < ids[j] ? [ids[i], ids[j]] : [ids[j], ids[i]]);
    }
  }
  return { records, truePairs, entityOf };
}
