import { z } from 'zod';

/**
 * A consent record: who agreed, to which disclosure, to whom, when and how. Consent is per disclosure (DOMAIN.md §2
 * step 6 and §7): agreeing to a referral is not agreeing to a police report.
 */
export const CONSENT_GIVERS = ['victim', 'parent_or_guardian', 'legal_representative', 'signaler'] as const;
export const consentGiverSchema = z.enum(CONSENT_GIVERS);
export type ConsentGiver = z.infer<typeof consentGiverSchema>;

export const DISCLOSURES = ['report_to_authorities', 'referral_to_services', 'follow_up_contact'] as const;
export const disclosureSchema = z.enum(DISCLOSURES);
export type Disclosure = z.infer<typeof disclosureSchema>;

const isoDateTime = z.iso.datetime({ offset: true });

export const consentRecordSchema = z
  .strictObject({
    id: z.string().min(1),
    givenBy: consentGiverSchema,
    disclosure: disclosureSchema,
    /** Agency ids the consent covers, or every agency the jurisdiction designates for that report. */
    recipients: z.union([z.literal('any_designated_agency'), z.array(z.string().min(1)).min(1)]),
    givenAt: isoDateTime,
    method: z.enum(['verbal', 'written', 'electronic']),
    /** Staff member who recorded it. */
    recordedBy: z.string().min(1),
    /** What the person agreed may be shared, in their words as summarised by the advocate (no verbatim notes). */
    scopeNote: z.string().optional(),
    expiresAt: isoDateTime.optional(),
    withdrawnAt: isoDateTime.optional(),
  })
  .refine((consent) => !consent.withdrawnAt || Date.parse(consent.withdrawnAt) >= Date.parse(consent.givenAt), {
    message: 'consent cannot be withdrawn before it was given',
    path: ['withdrawnAt'],
  });
export type ConsentRecord = z.infer<typeof consentRecordSchema>;
