import { z } from 'zod';

/**
 * The fixed vocabularies the assessment engine reasons with. They are code, not per-hotline data, because rules,
 * protocols and statistics depend on their exact values; hotlines configure items and rules over them.
 */

export const LANGUAGES = ['en', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const nonEmptyText = z.string().trim().min(1, 'must not be empty');
/** Text shown to advocates: every hotline instrument ships English, Spanish and French from the start. */
export const localizedTextSchema = z.strictObject({ en: nonEmptyText, es: nonEmptyText, fr: nonEmptyText });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** The two trafficking types of the AMP model (US law, DOMAIN.md §1); each gets its own indicator level. */
export const TRAFFICKING_TYPES = ['sex', 'labour'] as const;
export const traffickingTypeSchema = z.enum(TRAFFICKING_TYPES);
export type TraffickingType = z.infer<typeof traffickingTypeSchema>;

/** Indicator levels, lowest first: the order is used to compare and combine levels. */
export const INDICATOR_LEVELS = ['none', 'low', 'moderate', 'high'] as const;
export const indicatorLevelSchema = z.enum(INDICATOR_LEVELS);
export type IndicatorLevel = z.infer<typeof indicatorLevelSchema>;
export type LevelsByType = Record<TraffickingType, IndicatorLevel>;

export function levelRank(level: IndicatorLevel): number {
  return INDICATOR_LEVELS.indexOf(level);
}
export function maxLevel(a: IndicatorLevel, b: IndicatorLevel): IndicatorLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/**
 * The AMP element an item evidences. `context` items (nationality, setting, vulnerability, exploitative conditions)
 * evidence no AMP element themselves but feed skip logic, ILO indicators, red flags and the typology.
 */
export const ITEM_DOMAINS = ['action', 'means', 'purpose', 'context'] as const;
export const itemDomainSchema = z.enum(ITEM_DOMAINS);
export type ItemDomain = z.infer<typeof itemDomainSchema>;
export const AMP_ELEMENTS = ['action', 'means', 'purpose'] as const;
export type AmpElement = (typeof AMP_ELEMENTS)[number];
export const ampElementSchema = z.enum(AMP_ELEMENTS);

/** The ILO's 11 indicators of forced labour (ILO, "ILO indicators of Forced Labour", 2012; DOMAIN.md §3 [S39]). */
export const ILO_INDICATORS = [
  'abuse_of_vulnerability',
  'deception',
  'restriction_of_movement',
  'isolation',
  'physical_and_sexual_violence',
  'intimidation_and_threats',
  'retention_of_identity_documents',
  'withholding_of_wages',
  'debt_bondage',
  'abusive_working_and_living_conditions',
  'excessive_overtime',
] as const;
export const iloIndicatorSchema = z.enum(ILO_INDICATORS);
export type IloIndicator = z.infer<typeof iloIndicatorSchema>;

/** Polaris "recognize the signs" groups (DOMAIN.md §3 [S41]); the group names are facts, the wording is ours. */
export const RED_FLAG_GROUPS = ['work_and_living_conditions', 'lack_of_control', 'physical_health', 'mental_health'] as const;
export const redFlagGroupSchema = z.enum(RED_FLAG_GROUPS);
export type RedFlagGroup = z.infer<typeof redFlagGroupSchema>;

export const AGE_SCOPES = ['adult', 'minor'] as const;
export const ageScopeSchema = z.enum(AGE_SCOPES);
export type AgeScope = z.infer<typeof ageScopeSchema>;
/** What is known of the person's age at evaluation time. */
export const AGE_GROUPS = ['adult', 'minor', 'unknown'] as const;
export const ageGroupSchema = z.enum(AGE_GROUPS);
export type AgeGroup = z.infer<typeof ageGroupSchema>;

/** The fixed answers of a yes/no item. Only `yes` is ever evidence: items are worded so that yes is the concern. */
export const YES_NO_ANSWERS = ['yes', 'no', 'unknown', 'declined'] as const;
/** Answers every item accepts, whatever its type: the advocate did not learn it, or the person chose not to say. */
export const NON_ANSWERS = ['unknown', 'declined'] as const;

/** Build a localized text: English, Spanish, French — in that order, always all three. */
export function localized(en: string, es: string, fr: string): LocalizedText {
  return { en, es, fr };
}
