import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../shared/linkage/person-record.js';
import { normaliseStreet } from './addresses.js';
import { comparePeople } from './comparison.js';
import { canonicalEmail } from './emails.js';
import { jaroWinkler } from './jaro-winkler.js';
import { linkPeople } from './link.js';
import { NameComparisonCache, normaliseFamilyNames, normaliseGivenNames } from './names.js';
import { normalisePerson } from './person.js';
import { phoneticKey } from './phonetic.js';
import { foldAccents, words } from './text.js';

// Text drawn from the letters hotline records actually contain, plus separators and digits.
const letters = fc.constantFrom(...'aeioubcdfghjlmnpqrstvxyzñçéèáíóúüÁÉÑ -\'.0123'.split(''));
const nameText = fc.string({ unit: letters, maxLength: 20 });
const anyText = fc.string({ maxLength: 30 });

const personRecord: fc.Arbitrary<PersonRecord> = fc.record({
  id: fc.uuid(),
  given_names: fc.constantFrom('José', 'Pepe', 'Maria José', 'Chema', 'Nathalie', 'Bob', 'Robert', 'Jsoe', ''),
  family_names: fc.oneof(nameText, fc.constantFrom('García López', 'Garcia', 'de la Cruz', 'Dupont', 'Nathalie')),
  date_of_birth: fc.constantFrom('1990-03-14', '14/03/1990', '1990-04-03', '1990', '1991-03-14', '', 'bad'),
  sex: fc.constantFrom('F', 'M', 'femme', 'hombre', ''),
  phone: fc.constantFrom('+33 6 12 34 56 78', '0612345678', '0621345678', '212 555 0134', '', '123'),
  email: fc.constantFrom('a.b@gmail.com', 'ab@gmail.com', 'ab@gmial.com', 'x@y.fr', ''),
  street: fc.constantFrom('Av. Reforma 222', 'Avenida Reforma 222', '12 rue de la Paix', ''),
  city: fc.constantFrom('Paris', 'PARIS', 'Madrid', ''),
  postcode: fc.constantFrom('75002', '28013', ''),
}, { requiredKeys: ['id'] });

describe('properties', () => {
  it('compares two people symmetrically, with or without the cache', () => {
    const cache = new NameComparisonCache(10);
    fc.assert(fc.property(personRecord, personRecord, (a, b) => {
      const personA = normalisePerson(a);
      const personB = normalisePerson(b);
      const pattern = comparePeople(personA, personB);
      expect(comparePeople(personB, personA)).toBe(pattern);
      expect(comparePeople(personB, personA, cache)).toBe(pattern);
      expect(comparePeople(personA, personB, cache)).toBe(pattern);
    }), { numRuns: 500 });
  });

  it('keeps Jaro-Winkler symmetric and within [0, 1]', () => {
    fc.assert(fc.property(anyText, anyText, (a, b) => {
      const similarity = jaroWinkler(a, b);
      expect(similarity).toBe(jaroWinkler(b, a));
      expect(similarity).toBeGreaterThanOrEqual(0);
      expect(similarity).toBeLessThanOrEqual(1 + 1e-12);
    }), { numRuns: 1000 });
  });

  it('makes every normalisation idempotent', () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(foldAccents(foldAccents(text))).toBe(foldAccents(text));
      expect(words(words(text).join(' '))).toEqual(words(text));
      const given = normaliseGivenNames(text);
      if (given) expect(normaliseGivenNames(given.full)?.full).toBe(given.full);
      const family = normaliseFamilyNames(text);
      if (family) expect(normaliseFamilyNames(family.full)?.full).toBe(family.full);
      const street = normaliseStreet(text);
      if (street) expect(normaliseStreet(street.full)?.full).toBe(street.full);
      const email = canonicalEmail(text);
      expect(canonicalEmail(email)).toBe(email);
    }), { numRuns: 1000 });
  });

  it('gives a phonetic key that ignores case, accents and doubled letters', () => {
    fc.assert(fc.property(nameText, (text) => {
      const word = words(text)[0] ?? '';
      expect(phoneticKey(word.replace(/([a-z])/, '$1$1'))).toBe(phoneticKey(word));
      expect(phoneticKey(words(text.toUpperCase())[0] ?? '')).toBe(phoneticKey(word));
    }), { numRuns: 500 });
  });

  it('finds the same candidate pairs with the same agreement patterns whatever the record order', () => {
    fc.assert(fc.property(fc.array(personRecord, { minLength: 2, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (records, seed) => {
      // A review threshold far below any score lists every candidate pair; the model's estimates depend
      // on the order through the random u sample, so patterns, not scores, are compared.
      const options = { uSampleSize: 1000, reviewThreshold: -1000 };
      const candidatesOf = (input: PersonRecord[]) => linkPeople(input, options).pairs
        .map((pair) => `${[input[pair.a].id, input[pair.b].id].sort().join('|')}:${pair.pattern}`).sort();
      const shuffled = records.map((record, index) => ({ record, key: (index * seed) % 101 })).sort((x, y) => x.key - y.key).map(({ record }) => record);
      expect(candidatesOf(shuffled)).toEqual(candidatesOf(records));
    }), { numRuns: 40 });
  });
});
