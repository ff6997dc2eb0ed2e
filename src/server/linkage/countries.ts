import { words } from './text.js';

/** What phone normalisation needs to know about a country. */
export interface CountryInfo {
  iso2: string;
  callingCode: string;
  /** Digits of a national significant number (after the calling code and trunk prefix); 0 when it varies. */
  nationalLength: number;
  /** Whether numbers dialled at home start with a trunk 0 that disappears after the calling code. */
  hasTrunkZero: boolean;
  names: string[];
}

// Countries a hotline in the Americas or Europe meets most often; extend freely.
const COUNTRIES: CountryInfo[] = [
  { iso2: 'US', callingCode: '1', nationalLength: 10, hasTrunkZero: false, names: ['usa', 'united states', 'united states of america', 'estados unidos', 'eeuu', 'etats unis', 'us'] },
  { iso2: 'CA', callingCode: '1', nationalLength: 10, hasTrunkZero: false, names: ['canada'] },
  { iso2: 'DO', callingCode: '1', nationalLength: 10, hasTrunkZero: false, names: ['dominican republic', 'republica dominicana', 'republique dominicaine'] },
  { iso2: 'MX', callingCode: '52', nationalLength: 10, hasTrunkZero: false, names: ['mexico', 'mexique'] },
  { iso2: 'GT', callingCode: '502', nationalLength: 8, hasTrunkZero: false, names: ['guatemala'] },
  { iso2: 'SV', callingCode: '503', nationalLength: 8, hasTrunkZero: false, names: ['el salvador', 'salvador'] },
  { iso2: 'HN', callingCode: '504', nationalLength: 8, hasTrunkZero: false, names: ['honduras'] },
  { iso2: 'NI', callingCode: '505', nationalLength: 8, hasTrunkZero: false, names: ['nicaragua'] },
  { iso2: 'CR', callingCode: '506', nationalLength: 8, hasTrunkZero: false, names: ['costa rica'] },
  { iso2: 'PA', callingCode: '507', nationalLength: 8, hasTrunkZero: false, names: ['panama'] },
  { iso2: 'HT', callingCode: '509', nationalLength: 8, hasTrunkZero: false, names: ['haiti'] },
  { iso2: 'CO', callingCode: '57', nationalLength: 10, hasTrunkZero: false, names: ['colombia', 'colombie'] },
  { iso2: 'VE', callingCode: '58', nationalLength: 10, hasTrunkZero: true, names: ['venezuela'] },
  { iso2: 'EC', callingCode: '593', nationalLength: 9, hasTrunkZero: true, names: ['ecuador', 'equateur'] },
  { iso2: 'PE', callingCode: '51', nationalLength: 9, hasTrunkZero: false, names: ['peru', 'perou'] },
  { iso2: 'BO', callingCode: '591', nationalLength: 8, hasTrunkZero: false, names: ['bolivia', 'bolivie'] },
  { iso2: 'CL', callingCode: '56', nationalLength: 9, hasTrunkZero: false, names: ['chile', 'chili'] },
  { iso2: 'AR', callingCode: '54', nationalLength: 10, hasTrunkZero: true, names: ['argentina', 'argentine'] },
  { iso2: 'BR', callingCode: '55', nationalLength: 0, hasTrunkZero: true, names: ['brazil', 'brasil', 'bresil'] },
  { iso2: 'ES', callingCode: '34', nationalLength: 9, hasTrunkZero: false, names: ['spain', 'espana', 'espagne'] },
  { iso2: 'FR', callingCode: '33', nationalLength: 9, hasTrunkZero: true, names: ['france', 'francia'] },
  { iso2: 'BE', callingCode: '32', nationalLength: 0, hasTrunkZero: true, names: ['belgium', 'belgica', 'belgique'] },
  { iso2: 'CH', callingCode: '41', nationalLength: 9, hasTrunkZero: true, names: ['switzerland', 'suiza', 'suisse'] },
  { iso2: 'PT', callingCode: '351', nationalLength: 9, hasTrunkZero: false, names: ['portugal'] },
  { iso2: 'GB', callingCode: '44', nationalLength: 10, hasTrunkZero: true, names: ['united kingdom', 'uk', 'great britain', 'reino unido', 'royaume uni'] },
  { iso2: 'IT', callingCode: '39', nationalLength: 0, hasTrunkZero: false, names: ['italy', 'italia', 'italie'] },
  { iso2: 'DE', callingCode: '49', nationalLength: 0, hasTrunkZero: true, names: ['germany', 'alemania', 'allemagne', 'deutschland'] },
  { iso2: 'RO', callingCode: '40', nationalLength: 9, hasTrunkZero: true, names: ['romania', 'rumania', 'roumanie'] },
  { iso2: 'MA', callingCode: '212', nationalLength: 9, hasTrunkZero: true, names: ['morocco', 'marruecos', 'maroc'] },
  { iso2: 'SN', callingCode: '221', nationalLength: 9, hasTrunkZero: false, names: ['senegal'] },
  { iso2: 'NG', callingCode: '234', nationalLength: 10, hasTrunkZero: true, names: ['nigeria'] },
  { iso2: 'PH', callingCode: '63', nationalLength: 10, hasTrunkZero: true, names: ['philippines', 'filipinas'] },
  { iso2: 'CN', callingCode: '86', nationalLength: 0, hasTrunkZero: true, names: ['china', 'chine'] },
  { iso2: 'IN', callingCode: '91', nationalLength: 10, hasTrunkZero: true, names: ['india', 'inde'] },
];

const BY_NAME = new Map<string, CountryInfo>();
for (const country of COUNTRIES) {
  BY_NAME.set(country.iso2.toLowerCase(), country);
  for (const name of country.names) BY_NAME.set(name, country);
}

const BY_CALLING_CODE = new Map<string, CountryInfo>();
for (const country of COUNTRIES) if (!BY_CALLING_CODE.has(country.callingCode)) BY_CALLING_CODE.set(country.callingCode, country);

/** Look up a country by ISO 3166 alpha-2 code or by its English, Spanish or French name. */
export function findCountry(raw: string | undefined): CountryInfo | undefined {
  if (!raw) return undefined;
  return BY_NAME.get(words(raw).join(' '));
}

/** The country whose calling code starts `digits` (longest code first), if any. */
export function countryByCallingCodePrefix(digits: string): CountryInfo | undefined {
  for (let length = 3; length >= 1; length--) {
    const country = BY_CALLING_CODE.get(digits.slice(0, length));
    if (country) return country;
  }
  return undefined;
}
