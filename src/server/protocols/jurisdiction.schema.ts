import { z } from 'zod';
import { identifierSchema } from '../../shared/assessment/instrument.schema.js';
import { localizedTextSchema } from '../../shared/assessment/vocabulary.js';
import { consentGiverSchema } from './consent.js';

/**
 * Jurisdiction reporting rules: versioned data per hotline, because whether an adult's situation reaches the police
 * only with consent is a legal and political choice that differs between places (DOMAIN.md §2, the 2023 AG letter [S20]).
 */
export const AGENCY_KINDS = ['law_enforcement', 'child_protection', 'labour_inspection'] as const;
export const agencyKindSchema = z.enum(AGENCY_KINDS);
export type AgencyKind = z.infer<typeof agencyKindSchema>;

export const REPORT_KINDS = ['adult_trafficking', 'minor_trafficking', 'imminent_danger'] as const;
export const reportKindSchema = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof reportKindSchema>;

export const CONSENT_EXCEPTIONS = ['minor', 'imminent_danger', 'legal_duty'] as const;
export const consentExceptionSchema = z.enum(CONSENT_EXCEPTIONS);
export type ConsentException = z.infer<typeof consentExceptionSchema>;

export const agencySchema = z.strictObject({
  id: identifierSchema,
  name: localizedTextSchema,
  kind: agencyKindSchema,
  /** The reports this agency is designated to receive. */
  receives: z.array(reportKindSchema).min(1),
});
export type Agency = z.infer<typeof agencySchema>;

export const reportPolicySchema = z.strictObject({
  agencyKind: agencyKindSchema,
  requiresConsent: z.boolean(),
  /** Situations in which a report may be made without consent. */
  consentExceptions: z.array(consentExceptionSchema),
  /** Who may consent for the person (a signaler can never consent for someone else unless listed here). */
  acceptedConsentGivers: z.array(consentGiverSchema).min(1),
  supervisorApproval: z.enum(['always', 'when_without_consent', 'never']),
});
export type ReportPolicy = z.infer<typeof reportPolicySchema>;

export const mandatoryReportSchema = z.strictObject({
  id: identifierSchema,
  when: z.enum(['victim_is_minor', 'imminent_danger', 'trafficking_level_high']),
  report: reportKindSchema,
  agencyKind: agencyKindSchema,
  withinHours: z.number().min(0),
});
export type MandatoryReport = z.infer<typeof mandatoryReportSchema>;

export const jurisdictionRulesSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    version: z.int().min(1),
    title: localizedTextSchema,
    summary: localizedTextSchema,
    agencies: z.array(agencySchema).min(1),
    policies: z.array(reportPolicySchema).min(1),
    mandatoryReports: z.array(mandatoryReportSchema),
  })
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.agencies.forEach((agency, i) => {
      if (seen.has(agency.id)) ctx.addIssue({ code: 'custom', path: ['agencies', i, 'id'], message: `agency id '${agency.id}' is used twice` });
      seen.add(agency.id);
      if (!rules.policies.some((policy) => policy.agencyKind === agency.kind)) {
        ctx.addIssue({ code: 'custom', path: ['agencies', i, 'kind'], message: `no reporting policy for agencies of kind '${agency.kind}'` });
      }
    });
    const kinds = new Set<string>();
    rules.policies.forEach((policy, i) => {
      if (kinds.has(policy.agencyKind)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'agencyKind'], message: `two policies for '${policy.agencyKind}'` });
      kinds.add(policy.agencyKind);
    });
    rules.mandatoryReports.forEach((duty, i) => {
      if (!rules.agencies.some((agency) => agency.kind === duty.agencyKind && agency.receives.includes(duty.report))) {
        ctx.addIssue({ code: 'custom', path: ['mandatoryReports', i], message: `no '${duty.agencyKind}' agency receives '${duty.report}' reports` });
      }
    });
  });
export type JurisdictionRulesInput = z.input<typeof jurisdictionRulesSchema>;
export type JurisdictionRules = z.output<typeof jurisdictionRulesSchema>;
