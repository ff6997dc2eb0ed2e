import { COUNTRIES, FAMILY_NAMES, GIVEN_NAMES, type Culture } from './locales.js';
import type { Random } from './random.js';

export interface SyntheticPerson {
  givenName: string;
  familyName: string;
  sex: 'female' | 'male';
  culture: Culture;
  phone: string;
  email: string;
  city: string;
  areaCode: string;
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '').toLowerCase();

/** One synthetic person with a name of the given culture, a phone number, an email and a place in the country. */
export function syntheticPerson(random: Random, countryCode: string, culture?: Culture): SyntheticPerson {
  const country = COUNTRIES[countryCode] ?? COUNTRIES.CA;
  const c = culture ?? random.pick(country.cultures);
  const sex = random.chance(0.5) ? 'female' : 'male';
  const givenName = random.pick(GIVEN_NAMES[c][sex]);
  // Spanish naming: two family names are common.
  const familyName = c === 'es' && random.chance(0.6) ? `${random.pick(FAMILY_NAMES.es)} ${random.pick(FAMILY_NAMES.es)}` : random.pick(FAMILY_NAMES[c]);
  const area = random.pick(country.areas);
  return {
    givenName,
    familyName,
    sex,
    culture: c,
    phone: country.phone((n) => random.digits(n)),
    email: `${ascii(givenName)}.${ascii(familyName)}${random.int(1, 999)}@${random.pick(country.emailDomains)}`,
    city: random.pick(area.cities),
    areaCode: area.code,
  };
}
