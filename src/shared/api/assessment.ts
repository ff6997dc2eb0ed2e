import { z } from 'zod';
import { ageGroupSchema, indicatorLevelSchema, traffickingTypeSchema } from '../assessment/vocabulary.js';
import { CONTACT_FLAGS, REQUEST_TYPES } from '../intake.js';

/**
 * Request shapes of the assessment, protocol task, consent and report endpoints (docs/assessment-api.md). The
 * answers themselves are checked against the hotline's instrument by the service (unknown items and invalid answers
 * are a 400 naming the key), because their valid values are configuration, not code.
 */
export const idParams = z.object({ id: z.string().uuid() });

const personSchema = z.strictObject({ age: z.number().int().min(0).max(130).optional(), ageGroup: ageGroupSchema.optional() }).default({});
const answersSchema = z.record(z.string().min(1).max(100), z.string().min(1).max(100)).refine((answers) => Object.keys(answers).length <= 500, 'too many answers');

export const recordAssessmentBody = z.strictObject({
  answers: answersSchema,
  person: personSchema,
  form: z.enum(['short', 'full']).default('full'),
});

/** The live panel's preview: nothing is stored; the contact facts protocols need come in the body. */
export const previewAssessmentBody = recordAssessmentBody.extend({
  requestType: z.enum(REQUEST_TYPES).optional(),
  flags: z.array(z.enum(CONTACT_FLAGS)).max(CONTACT_FLAGS.length).default([]),
});

export const overrideBody = z.strictObject({
  type: traffickingTypeSchema,
  level: indicatorLevelSchema,
  reason: z.string().trim().min(3, 'give a reason').max(2000),
});

export const TASK_STATUSES = ['open', 'done', 'skipped'] as const;
export const updateTaskBody = z
  .strictObject({
    status: z.enum(TASK_STATUSES),
    skipReason: z.string().trim().min(3).max(2000).optional(),
  })
  .refine((body) => body.status !== 'skipped' || !!body.skipReason, { message: 'skipping a task needs a reason', path: ['skipReason'] })
  .refine((body) => body.status === 'skipped' || body.skipReason === undefined, { message: 'only a skipped task has a skip reason', path: ['skipReason'] });

export const listTasksQuery = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  escalated: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const CONSENT_GIVERS = ['victim', 'parent_or_guardian', 'legal_representative', 'signaler'] as const;
export const DISCLOSURES = ['report_to_authorities', 'referral_to_services', 'follow_up_contact'] as const;
const isoDateTime = z.iso.datetime({ offset: true });

export const recordConsentBody = z
  .strictObject({
    givenBy: z.enum(CONSENT_GIVERS),
    disclosure: z.enum(DISCLOSURES),
    recipients: z.union([z.literal('any_designated_agency'), z.array(z.string().min(1).max(100)).min(1).max(20)]),
    /** When the person agreed; defaults to now. Cannot be in the future. */
    givenAt: isoDateTime.optional(),
    method: z.enum(['verbal', 'written', 'electronic']),
    /** What the person agreed may be shared, summarised by the advocate (stored encrypted). */
    scopeNote: z.string().trim().max(2000).optional(),
    expiresAt: isoDateTime.optional(),
  });

export const REPORT_KINDS = ['adult_trafficking', 'minor_trafficking', 'imminent_danger'] as const;
export const REPORT_STATUSES = ['requested', 'approved', 'sent', 'refused'] as const;
export const requestReportBody = z.strictObject({
  agencyId: z.string().min(1).max(100),
  report: z.enum(REPORT_KINDS),
  consentId: z.string().uuid().optional(),
  exception: z
    .strictObject({
      basis: z.enum(['minor', 'imminent_danger', 'legal_duty']),
      /** The law or order creating the duty (required for `legal_duty`). Not personal data. */
      citation: z.string().trim().max(500).optional(),
      /** Why the exception applies, in the advocate's words (stored encrypted). */
      note: z.string().trim().max(2000).optional(),
    })
    .optional(),
});

export const listReportsQuery = z.strictObject({
  status: z.enum(REPORT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const refuseReportBody = z.strictObject({ reason: z.string().trim().min(3).max(2000) });
