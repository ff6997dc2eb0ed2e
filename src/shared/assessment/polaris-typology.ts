/**
 * The Polaris Typology of Modern Slavery (2017): 25 types of human trafficking in the United States, used here as a
 * classification list. Numbering and names are facts taken from Polaris's press release "Sex and Labor Trafficking
 * Redefined in The Typology of Modern Slavery" (29 March 2017) and https://polarisproject.org/typology, via the
 * project's list in shared/standards/polaris (SOURCE.md). Polaris material is © Polaris; only the type names are used.
 *
 * `primaryForm` is an editorial reading marked UNVERIFIED in the source list: it is only a hint for suggestions and
 * must be checked against the full report before it is used for statistics.
 */
export interface PolarisType {
  number: number;
  name: string;
  primaryFormUnverified: 'sex' | 'labour' | 'sex_and_labour';
}

export const POLARIS_TYPOLOGY_SOURCE =
  'Polaris, "The Typology of Modern Slavery: Defining Sex and Labor Trafficking in the United States" (2017), https://polarisproject.org/typology';

export const POLARIS_TYPOLOGY: readonly PolarisType[] = [
  { number: 1, name: 'Escort Services', primaryFormUnverified: 'sex' },
  { number: 2, name: 'Illicit Massage, Health, and Beauty', primaryFormUnverified: 'sex_and_labour' },
  { number: 3, name: 'Outdoor Solicitation', primaryFormUnverified: 'sex' },
  { number: 4, name: 'Residential', primaryFormUnverified: 'sex' },
  { number: 5, name: 'Domestic Work', primaryFormUnverified: 'labour' },
  { number: 6, name: 'Bars, Strip Clubs, and Cantinas', primaryFormUnverified: 'sex_and_labour' },
  { number: 7, name: 'Pornography', primaryFormUnverified: 'sex' },
  { number: 8, name: 'Traveling Sales Crews', primaryFormUnverified: 'labour' },
  { number: 9, name: 'Restaurants and Food Service', primaryFormUnverified: 'labour' },
  { number: 10, name: 'Peddling and Begging', primaryFormUnverified: 'labour' },
  { number: 11, name: 'Agriculture and Animal Husbandry', primaryFormUnverified: 'labour' },
  { number: 12, name: 'Personal Sexual Servitude', primaryFormUnverified: 'sex' },
  { number: 13, name: 'Health and Beauty Services', primaryFormUnverified: 'labour' },
  { number: 14, name: 'Construction', primaryFormUnverified: 'labour' },
  { number: 15, name: 'Hotels and Hospitality', primaryFormUnverified: 'labour' },
  { number: 16, name: 'Landscaping', primaryFormUnverified: 'labour' },
  { number: 17, name: 'Illicit Activities', primaryFormUnverified: 'labour' },
  { number: 18, name: 'Arts and Entertainment', primaryFormUnverified: 'labour' },
  { number: 19, name: 'Commercial Cleaning Services', primaryFormUnverified: 'labour' },
  { number: 20, name: 'Factories and Manufacturing', primaryFormUnverified: 'labour' },
  { number: 21, name: 'Remote Interactive Sexual Acts', primaryFormUnverified: 'sex' },
  { number: 22, name: 'Carnivals', primaryFormUnverified: 'labour' },
  { number: 23, name: 'Forestry and Logging', primaryFormUnverified: 'labour' },
  { number: 24, name: 'Health Care', primaryFormUnverified: 'labour' },
  { number: 25, name: 'Recreational Facilities', primaryFormUnverified: 'labour' },
];

export function polarisTypeByNumber(number: number): PolarisType | undefined {
  return POLARIS_TYPOLOGY[number - 1]?.number === number ? POLARIS_TYPOLOGY[number - 1] : POLARIS_TYPOLOGY.find((type) => type.number === number);
}
