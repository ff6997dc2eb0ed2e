import { describe, expect, it } from 'vitest';
import { normalisePostcode, normaliseStreet } from './addresses.js';
import { comparePeople, decodePattern, FIELD_LEVELS, FIELDS, levelName } from './comparison.js';
import { parseDateOfBirth } from './dates.js';
import { canonicalEmail } from './emails.js';
import { editDistanceWithin, jaroWinkler } from './jaro-winkler.js';
import { compareNames, NameLevel, normaliseFamilyNames, normaliseGivenNames } from './names.js';
import { formaliseGivenNames } from './nicknames.js';
import { normalisePerson } from './person.js';
import { phoneticKey } from './phonetic.js';
import { findCountry } from './countries.js';
import { nationalPhoneNumber } from './phones.js';
import { foldAccents, words } from './text.js';

function level(a: Parameters<typeof normalisePerson>[0], b: Parameters<typeof normalisePerson>[0], field: (typeof FIELDS)[number]): string {
  return levelName(comparePeople(normalisePerson(a), normalisePerson(b)), FIELDS.indexOf(field));
}

describe('text folding', () => {
  it.each([
    ['Ñúñez-Gómez', 'nunez-gomez'], ['FRANÇOISE', 'francoise'], ['Strauß', 'strauss'], ['Łukasz', 'lukasz'], ['Œuvray', 'oeuvray'], ['Zoë', 'zoe'],
  ])('folds %s to %s', (raw, folded) => expect(foldAccents(raw)).toBe(folded));

  it('splits on hyphens, apostrophes and punctuation', () => {
    expect(words("Jean-Baptiste O'Neil, Jr.")).toEqual(['jean', 'baptiste', 'o', 'neil', 'jr']);
  });
});

describe('Jaro-Winkler and edit distance', () => {
  it.each([
    ['martha', 'marhta', 0.961], ['dwayne', 'duane', 0.84], ['dixon', 'dicksonx', 0.813], ['abc', 'abc', 1], ['abc', 'xyz', 0],
  ])('jaroWinkler(%s, %s) = %f', (a, b, expected) => expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3));

  it.each([
    ['612345678', '612345678', 0], ['612345678', '621345678', 1], ['612345678', '612345679', 1], ['612345678', '123456786', 2], ['1111', '2222', 3],
  ])('editDistanceWithin(%s, %s, 2) = %i (capped at 3)', (a, b, expected) => expect(editDistanceWithin(a, b, 2)).toBe(expected));
});

describe('phonetic key', () => {
  it.each([
    ['jimenez', 'gimenez'], ['vasquez', 'vazquez'], ['gonzalez', 'gonzales'], ['rodriguez', 'rodrigues'], ['smith', 'smyth'],
    ['chavez', 'chaves'], ['dupont', 'dupond'], ['philippe', 'felipe'], ['hernandez', 'ernandez'],
  ])('%s sounds like %s', (a, b) => expect(phoneticKey(a)).toBe(phoneticKey(b)));

  it.each([['garcia', 'martinez'], ['lopez', 'perez'], ['hernandez', 'fernandez']])('%s does not sound like %s', (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });
});

describe('nicknames', () => {
  it.each([
    [['bob'], ['robert']], [['pepe'], ['jose']], [['paco'], ['francisco']], [['lupe'], ['guadalupe']], [['nacho'], ['ignacio']],
    [['chema'], ['jose', 'maria']], [['jb'], ['jean', 'baptiste']], [['joe'], ['jose']], [['joseph'], ['jose']], [['mohamed'], ['muhammad']],
    [['maria', 'lupe'], ['maria', 'guadalupe']], [['ana'], ['ana']],
  ])('formalises %j as %j', (nickname, formal) => expect(formaliseGivenNames(nickname)).toEqual(formal));
});

describe('name comparison', () => {
  const given = (raw: string) => normaliseGivenNames(raw)!;
  const family = (raw: string) => normaliseFamilyNames(raw)!;

  it.each([
    ['José', 'JOSE', NameLevel.exact],
    ['Pepe', 'José', NameLevel.exact],
    ['Chema', 'José María', NameLevel.exact],
    ['María', 'María José', NameLevel.sameWords],
    ['Jsoe', 'José', NameLevel.fuzzy],
    ['Mariajose', 'María José', NameLevel.fuzzy],
    ['J.', 'José', NameLevel.partial],
    ['Ana', 'Rosa', NameLevel.disagree],
  ])('given %s vs %s', (a, b, expected) => expect(compareNames(given(a), given(b))).toBe(expected));

  it.each([
    ['García López', 'GARCIA LOPEZ', NameLevel.exact],
    ['de la Cruz', 'Cruz', NameLevel.exact],
    ['García López', 'García', NameLevel.sameWords],
    ['López García', 'García López', NameLevel.sameWords],
    ['Gonzales', 'González', NameLevel.fuzzy],
    ['García Pérez', 'García Ruiz', NameLevel.partial],
    ['Martin', 'Dubois', NameLevel.disagree],
  ])('family %s vs %s', (a, b, expected) => expect(compareNames(family(a), family(b))).toBe(expected));

  it('recognises given and family names entered in each other’s box', () => {
    expect(level({ id: 'a', given_names: 'Nathalie', family_names: 'Dupont' }, { id: 'b', given_names: 'Dupont', family_names: 'Nathalie' }, 'given_names')).toBe('exact');
    expect(level({ id: 'a', given_names: 'Nathalie', family_names: 'Dupont' }, { id: 'b', given_names: 'Dupont', family_names: 'Nathalie' }, 'family_names')).toBe('exact');
  });
});

describe('dates of birth', () => {
  it.each([
    ['1990-03-14', { year: 1990, month: 3, day: 14 }], ['19900314', { year: 1990, month: 3, day: 14 }], ['14/03/1990', { year: 1990, month: 3, day: 14 }],
    ['14.3.1990', { year: 1990, month: 3, day: 14 }], ['03/14/1990', { year: 1990, month: 3, day: 14 }], ['1990', { year: 1990, month: 0, day: 0 }],
    ['1990-03', { year: 1990, month: 3, day: 0 }], ['1990-03-14T10:00:00Z', { year: 1990, month: 3, day: 14 }],
  ])('reads %s', (raw, expected) => expect(parseDateOfBirth(raw)).toEqual(expected));

  it.each(['1990-02-30', '31/31/1990', 'yesterday', '', '1850-01-01'])('rejects %j', (raw) => expect(parseDateOfBirth(raw)).toBeUndefined());

  it('reads ambiguous slash dates day-first unless told month-first', () => {
    expect(parseDateOfBirth('03/04/1990')).toEqual({ year: 1990, month: 4, day: 3 });
    expect(parseDateOfBirth('03/04/1990', 'mdy')).toEqual({ year: 1990, month: 3, day: 4 });
  });

  it.each([
    ['1990-03-14', '14/03/1990', 'exact'], ['1990-03-04', '1990-04-03', 'near'], ['1985-07-02', '1958-07-02', 'near'],
    ['1990-03-14', '1990-03-15', 'near'], ['1990-03-14', '1990', 'same_year'], ['1990-03-14', '1979-08-01', 'disagree'], ['1990-03-14', '', 'missing'],
  ])('%s vs %s is %s', (a, b, expected) => expect(level({ id: 'a', date_of_birth: a }, { id: 'b', date_of_birth: b }, 'date_of_birth')).toBe(expected));
});

describe('phones', () => {
  it.each([
    ['+33 6 12 34 56 78', undefined, '612345678'], ['06.12.34.56.78', undefined, '612345678'], ['0033612345678', undefined, '612345678'],
    ['+33 (0)6 12 34 56 78', undefined, '612345678'], ['+52 1 55 1234 5678', undefined, '5512345678'], ['044 55 1234 5678', 'MX', '5512345678'],
    ['(212) 555-0134', 'US', '2125550134'], ['1-212-555-0134', undefined, '2125550134'], ['+34 612 345 678', undefined, '612345678'],
    ['0034 612 34 56 78', undefined, '612345678'], ['12', undefined, ''],
  ])('%s (country %s) becomes %s', (raw, country, expected) => expect(nationalPhoneNumber(raw, findCountry(country))).toBe(expected));

  it.each([
    ['+33 6 12 34 56 78', '06 12 34 56 78', 'exact'], ['0612345678', '0621345678', 'near'], ['2125550134', '5550134', 'near'],
    ['612345678', '123456788', 'moved'], ['612345678', '699999999', 'disagree'],
  ])('%s vs %s is %s', (a, b, expected) => expect(level({ id: 'a', phone: a }, { id: 'b', phone: b }, 'phone')).toBe(expected));
});

describe('emails', () => {
  it.each([
    ['  Maria.Garcia+hotline@GMAIL.com ', 'mariagarcia@gmail.com'], ['m.garcia@googlemail.com', 'mgarcia@gmail.com'],
    ['jean.dupont@orange.fr', 'jean.dupont@orange.fr'], ['not-an-email', ''], ['a@b@c.com', ''],
  ])('%j becomes %j', (raw, expected) => expect(canonicalEmail(raw)).toBe(expected));
});

describe('addresses', () => {
  it.each([
    ['Av. Reforma 222', 'Avenida Reforma 222'], ['C/ Mayor 3', 'Calle Mayor 3'], ['12 bd Voltaire', '12 Boulevard Voltaire'],
    ['44 Oak St.', '44 oak street'], ['Calle de la Paz 5', 'calle paz 5'],
  ])('%s is the same street as %s', (a, b) => expect(normaliseStreet(a)?.full).toBe(normaliseStreet(b)?.full));

  it('normalises postcodes', () => expect(normalisePostcode('sw1a 1aa')).toBe('SW1A1AA'));

  it.each([
    [{ street: 'Av. Reforma 222', city: 'CDMX' }, { street: 'Avenida Reforma 222', city: 'Puebla' }, 'same_street'],
    [{ street: 'Calle Mayor 3', postcode: '28013' }, { street: 'Calle Alcalá 90', postcode: '28013' }, 'same_postcode'],
    [{ city: 'Ciudad de México' }, { city: 'Ciudad Mexico' }, 'same_city'],
    [{ city: 'Paris' }, { city: 'Lyon' }, 'disagree'],
    [{ city: 'Paris' }, { postcode: '75002' }, 'missing'],
  ])('%j vs %j is %s', (a, b, expected) => expect(level({ id: 'a', ...a }, { id: 'b', ...b }, 'address')).toBe(expected));
});

describe('comparison patterns', () => {
  it('marks every field missing when two records share nothing but an id', () => {
    const levels = decodePattern(comparePeople(normalisePerson({ id: 'a' }), normalisePerson({ id: 'b' })));
    expect(levels).toEqual(FIELDS.map((field) => FIELD_LEVELS[field].length));
  });
});
