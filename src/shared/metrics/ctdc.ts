/**
 * Catalyst → CTDC (Counter-Trafficking Data Collaborative, IOM) variable set: the 27 variables of the Global
 * Synthetic Data Codebook v2 (February 2024), as summarised in ../shared/standards/ctdc/ (variable names and value
 * sets are facts; no CTDC file is copied here). One row per potential victim; no name, contact detail, date of birth
 * or free text ever enters a row. The release is made k-anonymous over CTDC_QUASI_IDENTIFIERS (docs/suppression.md).
 */
import type { IloIndicator } from '../assessment/vocabulary.js';
import { alpha3, regionOfAlpha3 } from './countries.js';

/** The variable names, in codebook order: the CSV header. */
export const CTDC_VARIABLES = [
  'yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation', 'traffickMonths',
  'meansDebtBondageEarnings', 'meansThreats', 'meansAbusePsyPhySex', 'meansFalsePromises', 'meansDrugsAlcohol',
  'meansDenyBasicNeeds', 'meansExcessiveWorkHours', 'meansWithholdDocs',
  'isForcedLabour', 'isSexualExploit', 'isOtherExploit',
  'typeOfLabourAgriculture', 'typeOfLabourConstruction', 'typeOfLabourDomesticWork', 'typeOfLabourHospitality',
  'typeOfSexProstitution', 'typeOfSexPornography',
  'recruiterRelationIntimatePartner', 'recruiterRelationFriend', 'recruiterRelationFamily', 'recruiterRelationOther',
] as const;
export type CtdcVariable = (typeof CTDC_VARIABLES)[number];
/** A CTDC row: every value a string or null (CSV), binary flags are '1' or null as in the codebook. */
export type CtdcRow = Record<CtdcVariable, string | null>;

export const CTDC_GENDERS = ['Man', 'Woman', 'Trans/Transgender/NonConforming'] as const;
export const CTDC_AGE_BANDS = ['0--8', '9--17', '18--20', '21--23', '24--26', '27--29', '30--38', '39--47', '48+'] as const;

/** Catalyst person.gender → CTDC gender. "other" and "unknown" say nothing CTDC can hold: null. */
export function ctdcGender(gender: string | null | undefined): string | null {
  switch (gender) {
    case 'female': return 'Woman';
    case 'male': return 'Man';
    case 'non_binary': return 'Trans/Transgender/NonConforming';
    default: return null;
  }
}

// ---- Age: recorded as an exact age (from the date of birth) or as Catalyst's age range ------------------------

type AgeSpan = [lo: number, hi: number];
const RANGE_SPANS: Record<string, AgeSpan> = { under_12: [0, 11], '12_17': [12, 17], '18_24': [18, 24], '25_34': [25, 34], '35_49': [35, 49], '50_plus': [50, Infinity] };

/** The raw age value a CTDC record carries before generalisation: `age:<years>` or `range:<Catalyst age range>`. */
export function rawAge(ageYears: number | null, ageRange: string | null | undefined): string | null {
  if (ageYears !== null && Number.isInteger(ageYears) && ageYears >= 0 && ageYears < 130) return `age:${ageYears}`;
  return ageRange && RANGE_SPANS[ageRange] ? `range:${ageRange}` : null;
}

function spanOf(value: string | null): AgeSpan | null {
  if (value === null) return null;
  if (value.startsWith('age:')) { const n = Number(value.slice(4)); return [n, n]; }
  if (value.startsWith('range:')) return RANGE_SPANS[value.slice(6)] ?? null;
  const band = /^(\d+)--(\d+)$/.exec(value);
  if (band) return [Number(band[1]), Number(band[2])];
  const open = /^(\d+)\+$/.exec(value);
  return open ? [Number(open[1]), Infinity] : null;
}

/** The band of `bands` holding the whole span, or null when the span straddles bands (never a guess). */
function bandFor(value: string | null, bands: readonly string[]): string | null {
  const span = spanOf(value);
  if (!span) return null;
  return bands.find((b) => { const s = spanOf(b)!; return span[0] >= s[0] && span[1] <= s[1]; }) ?? null;
}

const WIDE_AGE_BANDS = ['0--17', '18--29', '30--47', '48+'];
const MAJORITY_BANDS = ['0--17', '18+'];

/** Age in whole years on `at` for a date of birth `YYYY-MM-DD`, or null. */
export function ageOn(dateOfBirth: string | null | undefined, at: Date): number | null {
  const m = dateOfBirth ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < mo || (at.getUTCMonth() + 1 === mo && at.getUTCDate() < d)) age--;
  return age >= 0 ? age : null;
}

// ---- Quasi-identifiers and their generalisation hierarchies ---------------------------------------------------

export interface CtdcQuasiIdentifier {
  field: CtdcVariable;
  levels: readonly ((value: string | null) => string | null)[];
  levelNames: readonly string[];
}

const same = (v: string | null) => v;
const nothing = () => null;
const fiveYearPeriod = (v: string | null) => {
  if (v === null || !/^\d{4}$/.test(v)) return null;
  const start = Math.floor(Number(v) / 5) * 5;
  return `${start}--${start + 4}`;
};

/**
 * Age group, gender, citizenship, country of exploitation and year: the attributes an outsider may know of a person
 * and link on. Levels widen age bands, turn countries into UN regions and years into five-year periods, then blank.
 * Generalised values ("18--29", "Europe", "2020--2024") keep the codebook's notation but are not codebook values:
 * the release notes say which level each column reached.
 */
export const CTDC_QUASI_IDENTIFIERS: readonly CtdcQuasiIdentifier[] = [
  { field: 'ageBroad', levels: [(v) => bandFor(v, CTDC_AGE_BANDS), (v) => bandFor(v, WIDE_AGE_BANDS), (v) => bandFor(v, MAJORITY_BANDS), nothing], levelNames: ['CTDC age band', 'wide age band', 'minor or adult', 'blank'] },
  { field: 'gender', levels: [same, nothing], levelNames: ['gender', 'blank'] },
  { field: 'citizenship', levels: [same, (v) => regionOfAlpha3(v), nothing], levelNames: ['ISO alpha-3 country', 'UN region', 'blank'] },
  { field: 'CountryOfExploitation', levels: [same, (v) => regionOfAlpha3(v), nothing], levelNames: ['ISO alpha-3 country', 'UN region', 'blank'] },
  { field: 'yearOfRegistration', levels: [same, fiveYearPeriod, nothing], levelNames: ['year', 'five-year period', 'blank'] },
];

// ---- Means of control from the ILO indicators of the latest assessment ---------------------------------------

/** ILO forced-labour indicators → CTDC v2024 merged means-of-control flags (isolation and abuse of vulnerability have none). */
export const ILO_TO_CTDC_MEANS: Partial<Record<IloIndicator, CtdcVariable>> = {
  debt_bondage: 'meansDebtBondageEarnings',
  withholding_of_wages: 'meansDebtBondageEarnings',
  intimidation_and_threats: 'meansThreats',
  physical_and_sexual_violence: 'meansAbusePsyPhySex',
  deception: 'meansFalsePromises',
  restriction_of_movement: 'meansDenyBasicNeeds',
  abusive_working_and_living_conditions: 'meansDenyBasicNeeds',
  excessive_overtime: 'meansExcessiveWorkHours',
  retention_of_identity_documents: 'meansWithholdDocs',
};

// ---- One record ------------------------------------------------------------------------------------------------

export interface CtdcSource {
  openedAt: Date;
  traffickingTypes: readonly string[];
  /** Polaris typology number of the case, if classified. */
  polarisType: number | null;
  gender: string | null;
  ageRange: string | null;
  /** Exact age at registration when a date of birth is known; only its band is ever released. */
  ageYears: number | null;
  /** ISO 3166-1 alpha-2 nationality. */
  nationality: string | null;
  /** ISO 3166-1 alpha-2 country of the hotline (the country where the person was identified). */
  hotlineCountry: string | null;
  iloIndicators?: readonly IloIndicator[];
}

const LABOUR_BY_POLARIS: Record<number, CtdcVariable> = { 11: 'typeOfLabourAgriculture', 23: 'typeOfLabourAgriculture', 14: 'typeOfLabourConstruction', 5: 'typeOfLabourDomesticWork', 9: 'typeOfLabourHospitality', 15: 'typeOfLabourHospitality' };
const SEX_BY_POLARIS: Record<number, CtdcVariable> = { 1: 'typeOfSexProstitution', 3: 'typeOfSexProstitution', 4: 'typeOfSexProstitution', 7: 'typeOfSexPornography' };

/** The raw (not yet generalised) CTDC row of one potential victim. */
export function toCtdcRow(source: CtdcSource): CtdcRow {
  const row = Object.fromEntries(CTDC_VARIABLES.map((v) => [v, null])) as CtdcRow;
  row.yearOfRegistration = String(source.openedAt.getUTCFullYear());
  row.gender = ctdcGender(source.gender);
  row.ageBroad = rawAge(source.ageYears, source.ageRange);
  row.citizenship = alpha3(source.nationality);
  row.CountryOfExploitation = alpha3(source.hotlineCountry);
  const isLabour = source.traffickingTypes.includes('labour');
  const isSex = source.traffickingTypes.includes('sex');
  if (isLabour) row.isForcedLabour = '1';
  if (isSex) row.isSexualExploit = '1';
  if (source.polarisType !== null) {
    if (isLabour && LABOUR_BY_POLARIS[source.polarisType]) row[LABOUR_BY_POLARIS[source.polarisType]] = '1';
    if (isSex && SEX_BY_POLARIS[source.polarisType]) row[SEX_BY_POLARIS[source.polarisType]] = '1';
  }
  for (const indicator of source.iloIndicators ?? []) {
    const variable = ILO_TO_CTDC_MEANS[indicator];
    if (variable) row[variable] = '1';
  }
  return row;
}

/** The Polaris type number in a case's typology code ("5", "P5", "polaris-5"), or null. */
export function polarisNumber(code: string | null | undefined): number | null {
  const m = code ? /(\d{1,2})\s*$/.exec(code) : null;
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= 25 ? n : null;
}
