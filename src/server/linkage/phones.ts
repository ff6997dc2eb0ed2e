import { countryByCallingCodePrefix, type CountryInfo } from './countries.js';
import { digitsOnly } from './text.js';

/**
 * Reduce a phone number to its national significant number (no calling code, no trunk 0), so that
 * "+33 6 12 34 56 78", "0033612345678" and "06.12.34.56.78" all become "612345678".
 * `country` is the record's country, used only when the number has no international prefix.
 * Returns "" when fewer than 6 digits remain (not a usable number).
 */
export function nationalPhoneNumber(raw: string | undefined, country?: CountryInfo): string {
  if (!raw) return '';
  const trimmed = raw.trim();
  let digits = digitsOnly(trimmed);
  let isInternational = trimmed.startsWith('+');
  if (!isInternational && digits.startsWith('00')) {
    digits = digits.slice(2);
    isInternational = true;
  } else if (!isInternational && digits.startsWith('011') && digits.length > 12) {
    digits = digits.slice(3); // international prefix dialled from North America
    isInternational = true;
  }
  let numberCountry: CountryInfo | undefined;
  if (isInternational) {
    numberCountry = countryByCallingCodePrefix(digits);
    if (numberCountry) digits = digits.slice(numberCountry.callingCode.length);
    // "+33 (0)6 ...": the trunk 0 written after the calling code.
    if (numberCountry?.hasTrunkZero && digits.startsWith('0')) digits = digits.slice(1);
  } else if (/^04[45]\d{10}$/.test(digits) && (!country || country.iso2 === 'MX')) {
    // Mexico's retired "mobile from a landline" prefixes 044/045, still in old records and habits.
    digits = digits.slice(3);
    numberCountry = country;
  } else {
    numberCountry = country;
    const prefixed = countryByCallingCodePrefix(digits);
    // A calling code typed without "+": only trust it when the length fits that country exactly.
    if (prefixed && prefixed.nationalLength > 0 && digits.length === prefixed.callingCode.length + prefixed.nationalLength
      && !(country && country.nationalLength === digits.length)) {
      digits = digits.slice(prefixed.callingCode.length);
      numberCountry = prefixed;
    } else if (digits.startsWith('0') && (country?.hasTrunkZero ?? true)) {
      digits = digits.replace(/^0+/, '');
    }
  }
  if (numberCountry?.callingCode === '1' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  // Mexico's retired mobile prefix "1" after +52 still appears in old records.
  if (numberCountry?.iso2 === 'MX' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return digits.length >= 6 ? digits : '';
}
