import type { DateOrder, PersonRecord } from '../../shared/linkage/person-record.js';
import { normaliseCity, normalisePostcode, normaliseStreet, type NormalisedStreet } from './addresses.js';
import { findCountry } from './countries.js';
import { dateDigits, parseDateOfBirth, type PartialDate } from './dates.js';
import { canonicalEmail } from './emails.js';
import { normaliseFamilyNames, normaliseGivenNames, type NormalisedName } from './names.js';
import { nationalPhoneNumber } from './phones.js';
import { words } from './text.js';

export type Sex = 'm' | 'f' | 'x' | '';

/** A person record with every field reduced to its comparable form, computed once per record. */
export interface NormalisedPerson {
  id: string;
  given?: NormalisedName;
  family?: NormalisedName;
  dateOfBirth?: PartialDate;
  /** "YYYYMMDD" when the full date is known. */
  dateOfBirthDigits?: string;
  sex: Sex;
  /** National significant number, "" when absent. */
  phone: string;
  email: string;
  street?: NormalisedStreet;
  postcode: string;
  city: string;
  /** True when the record's date of birth was present but could not be read (reported to the user). */
  hasUnreadableDate: boolean;
}

const SEX_WORDS: Record<string, Sex> = {
  m: 'm', male: 'm', man: 'm', masculino: 'm', hombre: 'm', h: 'm', homme: 'm', masculin: 'm', varon: 'm',
  f: 'f', female: 'f', woman: 'f', femenino: 'f', mujer: 'f', femme: 'f', feminin: 'f',
  x: 'x', other: 'x', otro: 'x', otra: 'x', autre: 'x', nonbinary: 'x', 'non binary': 'x', 'no binario': 'x', 'non binaire': 'x',
};

/** Sex or gender as recorded, in en/es/fr words or letters; anything unrecognised counts as not recorded. */
export function normaliseSex(raw: string | undefined): Sex {
  return SEX_WORDS[words(raw).join(' ')] ?? '';
}

export function normalisePerson(record: PersonRecord, dateOrder: DateOrder = 'dmy'): NormalisedPerson {
  const country = findCountry(record.country);
  const dateOfBirth = parseDateOfBirth(record.date_of_birth, dateOrder);
  return {
    id: record.id,
    given: normaliseGivenNames(record.given_names),
    family: normaliseFamilyNames(record.family_names),
    dateOfBirth,
    dateOfBirthDigits: dateOfBirth ? dateDigits(dateOfBirth) : undefined,
    sex: normaliseSex(record.sex),
    phone: nationalPhoneNumber(record.phone, country),
    email: canonicalEmail(record.email),
    street: normaliseStreet(record.street),
    postcode: normalisePostcode(record.postcode),
    city: normaliseCity(record.city),
    hasUnreadableDate: !dateOfBirth && !!record.date_of_birth?.trim(),
  };
}
