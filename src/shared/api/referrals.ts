import { z } from 'zod';

/**
 * Request shapes of the referral and staff directory endpoints (docs/referrals.md), shared by server and web.
 */

/** The only case fields a referral may carry to a partner; each one is chosen explicitly by the advocate. */
export const SHAREABLE_FIELDS = ['given_names', 'family_names', 'phone', 'email', 'languages', 'age_range', 'gender', 'nationality', 'message'] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];
/** Fields read from the person the referral is about (the rest come from the case or the advocate). */
export const PERSON_FIELDS: readonly ShareableField[] = ['given_names', 'family_names', 'phone', 'email', 'languages', 'age_range', 'gender', 'nationality'];

export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'closed', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_OUTCOMES = ['contacted', 'services_provided', 'could_not_reach', 'declined'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
/** Outcomes that close the loop (the partner link is spent); `contacted` is a step on the way. */
export const FINAL_OUTCOMES: readonly ReferralOutcome[] = ['services_provided', 'could_not_reach', 'declined'];

const areaCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}(-[A-Z0-9]{1,10})*$/, 'an ISO 3166-2 style code such as CA-ON');
const needKey = z.string().trim().min(1).max(64);

export const referralIdParams = z.object({ id: z.string().uuid() });
export const caseReferralParams = z.object({ caseId: z.string().uuid() });

export const createReferralBody = z
  .strictObject({
    /** One referral is made per service (each partner gets its own link). */
    serviceIds: z.array(z.string().uuid()).min(1).max(5),
    needs: z.array(needKey).min(1).max(10),
    /** A consent to `referral_to_services` on a contact of this case: refused without one. */
    consentId: z.string().uuid(),
    /** The person the referral is about (required when a person field is shared). */
    personId: z.string().uuid().optional(),
    fields: z.array(z.enum(SHAREABLE_FIELDS)).max(SHAREABLE_FIELDS.length).default([]),
    /** A note to the partner (shared only when `message` is among the fields; stored encrypted). */
    message: z.string().trim().max(2000).optional(),
    areaCode: areaCode.optional(),
    language: z.string().trim().max(35).optional(),
    acknowledgeWithinHours: z.number().int().min(1).max(168).default(24),
    outcomeWithinDays: z.number().int().min(1).max(90).default(14),
    linkValidDays: z.number().int().min(1).max(30).default(7),
  })
  .refine((b) => !b.fields.includes('message') || !!b.message, { message: 'write the message to share it', path: ['message'] })
  .refine((b) => !b.fields.some((f) => PERSON_FIELDS.includes(f)) || !!b.personId, { message: 'choose the person whose details are shared', path: ['personId'] });

/**
 * Sending an approved report (POST /api/reports/:id/send). When the report's agency is in the directory and the
 * contact is on a case, the case is referred to the agency with these fields (the report's consent or exception is the
 * basis); otherwise the report is only recorded as sent. Every part is optional: an empty body shares nothing but
 * the report itself (its kind).
 */
export const sendReportBody = z
  .strictObject({
    /** The case to refer (one the contact is on); default: the contact's most recent case. */
    caseId: z.string().uuid().optional(),
    personId: z.string().uuid().optional(),
    fields: z.array(z.enum(SHAREABLE_FIELDS)).max(SHAREABLE_FIELDS.length).default([]),
    message: z.string().trim().max(2000).optional(),
    acknowledgeWithinHours: z.number().int().min(1).max(168).default(4),
    outcomeWithinDays: z.number().int().min(1).max(90).default(14),
    linkValidDays: z.number().int().min(1).max(30).default(7),
  })
  .refine((b) => !b.fields.includes('message') || !!b.message, { message: 'write the message to share it', path: ['message'] })
  .refine((b) => !b.fields.some((f) => PERSON_FIELDS.includes(f)) || !!b.personId, { message: 'choose the person whose details are shared', path: ['personId'] });
export type SendReportBody = z.infer<typeof sendReportBody>;

/** Marks a directory organisation as one of the jurisdiction's reporting agencies (or clears it with null). */
export const reportingAgencyBody = z.strictObject({ agencyId: z.string().min(1).max(100).nullable() });

export const listReferralsQuery = z.strictObject({
  status: z.enum(REFERRAL_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  caseId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const warmTransferBody = z
  .strictObject({ startedAt: z.iso.datetime({ offset: true }), endedAt: z.iso.datetime({ offset: true }) })
  .refine((b) => Date.parse(b.endedAt) >= Date.parse(b.startedAt), { message: 'a transfer ends after it starts', path: ['endedAt'] });

export const reissueLinkBody = z.strictObject({ linkValidDays: z.number().int().min(1).max(30).default(7) });

// ---- the partner link (no sign-in: the token is the credential, sent in the body, never in a URL) --------------
const token = z.string().min(20).max(200);
export const partnerTokenBody = z.strictObject({ token });
export const partnerRespondBody = z.strictObject({ token, decision: z.enum(['accept', 'decline']), note: z.string().trim().max(2000).optional() });
export const partnerOutcomeBody = z.strictObject({ token, outcome: z.enum(REFERRAL_OUTCOMES), note: z.string().trim().max(2000).optional() });

// ---- partner staff signed in (role `partner`): the same answers, the referral named by id ------------------------
export const partnerAccountRespondBody = z.strictObject({ decision: z.enum(['accept', 'decline']), note: z.string().trim().max(2000).optional() });
export const partnerAccountOutcomeBody = z.strictObject({ outcome: z.enum(REFERRAL_OUTCOMES), note: z.string().trim().max(2000).optional() });
/** Link a directory organization to an account organisation (an existing one, else a new one named after it). */
export const linkAccountOrganisationBody = z.strictObject({ organisationId: z.string().uuid().optional(), locale: z.enum(['en', 'es', 'fr']).optional() });
/** The directory organization (HSDS id) a partner-role user works for. */
export const partnerOrganizationBody = z.strictObject({ organizationId: z.string().uuid() });

// ---- staff directory ---------------------------------------------------------------------------------------------
const bool = z.enum(['true', 'false']).optional();
export const directorySearchQuery = z.strictObject({
  /** Comma-separated need keys. */
  needs: z.string().max(500).optional(),
  areaCode: areaCode.optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  /** Only services within this distance of the point (km). */
  withinKm: z.coerce.number().positive().max(5000).optional(),
  language: z.string().trim().max(35).optional(),
  men: bool,
  minors: bool,
  lgbtq: bool,
  foreign_nationals: bool,
  openNow: bool,
  includeUnvetted: bool,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const organizationParams = z.object({ id: z.string().uuid() });
