import { z } from 'zod';
import {
  ageScopeSchema, ampElementSchema, iloIndicatorSchema, itemDomainSchema, localizedTextSchema, redFlagGroupSchema,
  traffickingTypeSchema, type AmpElement, type IloIndicator, type RedFlagGroup,
} from './vocabulary.js';

/**
 * A trafficking assessment instrument: versioned configuration data per hotline (CONVENTIONS.md, Code §10).
 * The zod schema checks each part's shape; `parseInstrument` (instrument.validate.ts) adds the checks that need the
 * whole instrument (references, duplicates, skip-logic cycles) and is the only way to obtain an `Instrument`.
 */

/** Ids are lower_snake_case so they are stable keys in answer files, rules and statistics. */
export const identifierSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case (a-z, 0-9, _), starting with a letter');
/** Instrument ids may also contain hyphens (they appear in CLI options and URLs). */
export const instrumentIdSchema = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "_" or "-"');

export const PERSON_PREDICATES = ['minor', 'adult', 'unknown_age', 'minor_or_unknown_age'] as const;

/**
 * Conditions over answers, used by skip logic (`showIf`). They read only raw answers and the person, never derived
 * facts, so visibility can be computed item by item in dependency order.
 * - `yes`: the item was answered positively (`yes`, or a choice option marked `positive`).
 * - `answer`: the item's answer is one of `in` (for choice items; on yes/no items only `yes` is allowed so that
 *   answering yes can never hide evidence — the monotonicity guarantee).
 */
export type AnswerCondition =
  | { op: 'yes'; item: string }
  | { op: 'answer'; item: string; in: string[] }
  | { op: 'person'; is: (typeof PERSON_PREDICATES)[number] };
export type ShowIfCondition =
  | AnswerCondition
  | { op: 'all'; of: ShowIfCondition[] }
  | { op: 'any'; of: ShowIfCondition[] }
  | { op: 'atLeast'; count: number; of: ShowIfCondition[] };

/**
 * Conditions of rules. Besides raw answers they read facts derived for the rule's trafficking type from the
 * positively answered, visible items in that type's scope. There is deliberately no `not`: every rule is monotone, so
 * more evidence can only keep or raise a level.
 */
export type DerivedCondition =
  | { op: 'amp'; element: AmpElement }
  | { op: 'ilo'; indicator: IloIndicator }
  | { op: 'iloCount'; atLeast: number }
  | { op: 'redFlagCount'; atLeast: number; group?: RedFlagGroup }
  | { op: 'score'; atLeast: number };
export type RuleCondition =
  | AnswerCondition
  | DerivedCondition
  | { op: 'all'; of: RuleCondition[] }
  | { op: 'any'; of: RuleCondition[] }
  | { op: 'atLeast'; count: number; of: RuleCondition[] };

const answerConditionSchemas = [
  z.strictObject({ op: z.literal('yes'), item: identifierSchema }),
  z.strictObject({ op: z.literal('answer'), item: identifierSchema, in: z.array(identifierSchema).min(1) }),
  z.strictObject({ op: z.literal('person'), is: z.enum(PERSON_PREDICATES) }),
] as const;

export const showIfConditionSchema: z.ZodType<ShowIfCondition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    ...answerConditionSchemas,
    z.strictObject({ op: z.literal('all'), of: z.array(showIfConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('any'), of: z.array(showIfConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('atLeast'), count: z.int().min(1), of: z.array(showIfConditionSchema).min(1) }),
  ]),
);

export const ruleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    ...answerConditionSchemas,
    z.strictObject({ op: z.literal('amp'), element: ampElementSchema }),
    z.strictObject({ op: z.literal('ilo'), indicator: iloIndicatorSchema }),
    z.strictObject({ op: z.literal('iloCount'), atLeast: z.int().min(1).max(11) }),
    z.strictObject({ op: z.literal('redFlagCount'), atLeast: z.int().min(1), group: redFlagGroupSchema.optional() }),
    z.strictObject({ op: z.literal('score'), atLeast: z.number().positive() }),
    z.strictObject({ op: z.literal('all'), of: z.array(ruleConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('any'), of: z.array(ruleConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('atLeast'), count: z.int().min(1), of: z.array(ruleConditionSchema).min(1) }),
  ]),
);

export const choiceOptionSchema = z.strictObject({
  id: identifierSchema,
  label: localizedTextSchema,
  /** Choosing this option evidences the item's AMP element, ILO indicator and red flag. */
  positive: z.boolean().default(false),
  /** Polaris typology numbers (1–25) this option suggests, e.g. a work setting. */
  polarisTypes: z.array(z.int().min(1).max(25)).optional(),
});

export const answerSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('yes_no') }),
  z.strictObject({ type: z.literal('choice'), options: z.array(choiceOptionSchema).min(2) }),
]);

export const itemSchema = z.strictObject({
  id: identifierSchema,
  /** The question as the advocate reads it; about "the person" so it fits victims and third-party signalers alike. */
  text: localizedTextSchema,
  guidance: localizedTextSchema.optional(),
  domain: itemDomainSchema,
  ilo: iloIndicatorSchema.optional(),
  redFlag: redFlagGroupSchema.optional(),
  /** Which people the item is asked about, and which trafficking type(s) its evidence counts towards. */
  scope: z.strictObject({ ages: z.array(ageScopeSchema).min(1), types: z.array(traffickingTypeSchema).min(1) }),
  answer: answerSpecSchema,
  /** Part of the short form used at intake (the long form adds the rest). */
  short: z.boolean(),
  /** Weight of a positive answer in `score` conditions. */
  weight: z.number().min(0).max(100).default(1),
  showIf: showIfConditionSchema.optional(),
});

export const ruleSchema = z.strictObject({
  id: identifierSchema,
  /** Hard rules are non-negotiable floors evaluated first (e.g. a minor in commercial sex); combination rules follow. */
  kind: z.enum(['hard', 'combination']),
  types: z.array(traffickingTypeSchema).min(1),
  level: z.enum(['low', 'moderate', 'high']),
  when: ruleConditionSchema,
  /** The sentence shown in the explanation, in every language. */
  text: localizedTextSchema,
});

export const instrumentSchema = z.strictObject({
  id: instrumentIdSchema,
  version: z.int().min(1),
  title: localizedTextSchema,
  /** Age under which a person is a minor; 18 almost everywhere, but it is the jurisdiction's law that decides. */
  minorAgeBelow: z.int().min(1).max(30).default(18),
  /** Where the item bank and rules come from (citations), shown in the admin UI. */
  sources: z.array(z.string().min(1)).default([]),
  items: z.array(itemSchema).min(1),
  rules: z.array(ruleSchema).min(1),
});

export type InstrumentInput = z.input<typeof instrumentSchema>;
export type InstrumentShape = z.output<typeof instrumentSchema>;
declare const validatedInstrument: unique symbol;
/** A validated instrument: only `parseInstrument` makes one (the brand stops unvalidated data reaching the compiler). */
export type Instrument = InstrumentShape & { readonly [validatedInstrument]: true };
export type Item = z.output<typeof itemSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type ChoiceOption = z.output<typeof choiceOptionSchema>;
