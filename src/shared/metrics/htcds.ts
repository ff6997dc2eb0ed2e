/**
 * Catalyst → HTCDS 2.0 (Human Trafficking Case Data Standard, IOM; ../shared/standards/htcds/). Field names are the
 * standard's "Field Name including Prefix"; picklist values are its value names, never labels. Multi-select values
 * are joined with ";" (the Salesforce multi-select convention HTCDS is modelled on).
 *
 * The export is case level and de-identified: one row per potential victim of a case (or one row for a case with none
 * recorded), with no name, birth date, contact detail, address, free text or internal identifier. Values Catalyst does
 * not record, or cannot map without guessing, are left empty.
 */

/** The HTCDS columns Catalyst exports, in order. */
export const HTCDS_EXPORT_FIELDS = [
  'cas_Status',
  'vic_TraffickingStatus',
  'prs_Gender',
  'prs_Citizenship',
  'vic_TypeOfExploitation',
  'vic_ForcedLabourIndustry',
  'vic_TypeOfSexExploitation',
] as const;
export type HtcdsField = (typeof HTCDS_EXPORT_FIELDS)[number];
export type HtcdsRow = Record<HtcdsField, string>;

/** Separator of multi-select picklist values in one CSV cell. */
export const HTCDS_MULTISELECT_SEPARATOR = ';';

/** Catalyst case status → cas_Status. A newly opened case is being worked: Active. */
export const HTCDS_CASE_STATUS: Record<string, string> = { open: 'Active', active: 'Active', follow_up: 'FollowUp', closed: 'Closed', closed_referred: 'ClosedReferred' };

/** Catalyst person.gender → prs_Gender. */
export const HTCDS_GENDER: Record<string, string> = { female: 'Feminine', male: 'Masculine', non_binary: 'NonConforming', other: 'NonSpecifiedUnknown', unknown: 'NonSpecifiedUnknown' };

/** Catalyst trafficking type → vic_TypeOfExploitation. */
export const HTCDS_EXPLOITATION: Record<string, string> = { sex: 'SexualExploitation', labour: 'ForcedLabour' };

/**
 * Polaris typology type → ISIC section in vic_ForcedLabourIndustry (labour cases only). Types with no single ISIC
 * section (Illicit Activities, Peddling and Begging) map to nothing.
 */
export const HTCDS_INDUSTRY_BY_POLARIS: Record<number, string> = {
  2: 'S_OtherServiceActivities', // illicit massage, health and beauty: ISIC 96
  5: 'T_ActivitiesOfHouseholdsAsEmployers',
  6: 'I_AccommodationAndFoodServiceActivities', // bars and cantinas: ISIC 56
  8: 'G_WholesaleAndRetailTradeRepairOfMotorVehicles', // travelling sales crews
  9: 'I_AccommodationAndFoodServiceActivities',
  11: 'A_AgricultureForestryAndFishing',
  13: 'S_OtherServiceActivities',
  14: 'F_Construction',
  15: 'I_AccommodationAndFoodServiceActivities',
  16: 'N_AdministrativeAndSupportServiceActivities', // landscape care: ISIC 813
  18: 'R_ArtsEntertainmentAndRecreation',
  19: 'N_AdministrativeAndSupportServiceActivities', // cleaning: ISIC 812
  20: 'C_Manufacturing',
  22: 'R_ArtsEntertainmentAndRecreation',
  23: 'A_AgricultureForestryAndFishing',
  24: 'Q_HumanHealthAndSocialWorkActivities',
  25: 'R_ArtsEntertainmentAndRecreation',
};

/** Polaris typology type → vic_TypeOfSexExploitation (sex trafficking cases only). */
export const HTCDS_SEX_EXPLOITATION_BY_POLARIS: Record<number, string> = {
  1: 'Prostitution', 2: 'Prostitution', 3: 'Prostitution', 4: 'Prostitution', 6: 'Prostitution',
  7: 'Pornography', 12: 'PrivateSexualServices', 21: 'RemoteInteractiveServices',
};

/** The picklist fields among our columns, for checks against the upstream picklists. */
export const HTCDS_PICKLIST_FIELDS: readonly HtcdsField[] = ['cas_Status', 'vic_TraffickingStatus', 'prs_Gender', 'vic_TypeOfExploitation', 'vic_ForcedLabourIndustry', 'vic_TypeOfSexExploitation'];

/** Every value each picklist column can carry: what the upstream-picklist test checks. */
export function htcdsEmittableValues(): Record<string, string[]> {
  const uniq = (values: Iterable<string>) => [...new Set(values)];
  return {
    cas_Status: uniq(Object.values(HTCDS_CASE_STATUS)),
    vic_TraffickingStatus: ['PossibleVictimOfTrafficking'],
    prs_Gender: uniq(Object.values(HTCDS_GENDER)),
    vic_TypeOfExploitation: uniq(Object.values(HTCDS_EXPLOITATION)),
    vic_ForcedLabourIndustry: uniq(Object.values(HTCDS_INDUSTRY_BY_POLARIS)),
    vic_TypeOfSexExploitation: uniq(Object.values(HTCDS_SEX_EXPLOITATION_BY_POLARIS)),
  };
}

export interface HtcdsSource {
  caseStatus: string;
  traffickingTypes: readonly string[];
  polarisType: number | null;
  /** The potential victim, or null for a case with none recorded. */
  victim: { gender: string | null; nationality: string | null } | null;
}

/** One HTCDS row. Empty string = not recorded. */
export function toHtcdsRow(source: HtcdsSource): HtcdsRow {
  const isLabour = source.traffickingTypes.includes('labour');
  const isSex = source.traffickingTypes.includes('sex');
  const type = source.polarisType;
  return {
    cas_Status: HTCDS_CASE_STATUS[source.caseStatus] ?? '',
    // A hotline identifies possible victims; the status decision belongs to the authorities (vic_TraffickingStatusDecisionMakingOrg).
    vic_TraffickingStatus: source.victim ? 'PossibleVictimOfTrafficking' : '',
    prs_Gender: source.victim?.gender ? HTCDS_GENDER[source.victim.gender] ?? '' : '',
    prs_Citizenship: source.victim?.nationality && /^[A-Z]{2}$/.test(source.victim.nationality) ? source.victim.nationality : '',
    vic_TypeOfExploitation: source.traffickingTypes.map((t) => HTCDS_EXPLOITATION[t]).filter(Boolean).join(HTCDS_MULTISELECT_SEPARATOR),
    vic_ForcedLabourIndustry: isLabour && type !== null ? HTCDS_INDUSTRY_BY_POLARIS[type] ?? '' : '',
    vic_TypeOfSexExploitation: isSex && type !== null ? HTCDS_SEX_EXPLOITATION_BY_POLARIS[type] ?? '' : '',
  };
}
