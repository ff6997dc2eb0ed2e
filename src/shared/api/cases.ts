import { z } from 'zod';

export const CASE_STATUSES = ['open', 'active', 'follow_up', 'closed', 'closed_referred'] as const;
export const PERSON_ROLES = ['potential_victim', 'signaler', 'suspected_trafficker', 'witness', 'other'] as const;
// One list of trafficking types for assessment and cases.
export { TRAFFICKING_TYPES } from '../assessment/vocabulary.js';
import { TRAFFICKING_TYPES } from '../assessment/vocabulary.js';

export const caseIdParams = z.object({ id: z.string().uuid() });

export const createCaseBody = z
  .object({
    title: z.string().trim().min(1).max(300),
    traffickingTypes: z.array(z.enum(TRAFFICKING_TYPES)).max(2).default([]),
    typologyCode: z.string().max(20).nullable().optional(),
    sensitivity: z.enum(['normal', 'restricted']).default('normal'),
    fromContactId: z.string().uuid().optional(),
  })
  .strict();

export const updateCaseBody = z
  .object({
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(300).optional(),
    status: z.enum(CASE_STATUSES).optional(),
    traffickingTypes: z.array(z.enum(TRAFFICKING_TYPES)).max(2).optional(),
    typologyCode: z.string().max(20).nullable().optional(),
    sensitivity: z.enum(['normal', 'restricted']).optional(),
    assigneeId: z.string().uuid().nullable().optional(),
  })
  .strict();

export const personDetails = z
  .object({
    givenNames: z.string().trim().max(200).optional(),
    familyNames: z.string().trim().max(200).optional(),
    aliases: z.array(z.string().trim().max(200)).max(20).default([]),
    dateOfBirth: z.iso.date().optional(),
    phones: z.array(z.string().trim().min(3).max(40)).max(10).default([]),
    emails: z.array(z.string().trim().email().max(320)).max(10).default([]),
    socialHandles: z.array(z.string().trim().max(200)).max(20).default([]),
    languages: z.array(z.string().max(35)).max(10).default([]),
    identifyingDetails: z.string().max(5000).optional(),
  })
  .strict();

export const addPersonBody = z
  .object({
    role: z.enum(PERSON_ROLES),
    details: personDetails,
    gender: z.enum(['female', 'male', 'non_binary', 'other', 'unknown']).optional(),
    ageRange: z.enum(['under_12', '12_17', '18_24', '25_34', '35_49', '50_plus', 'unknown']).optional(),
    nationality: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .strict();

export const linkContactBody = z.object({ contactId: z.string().uuid() }).strict();
export const noteBody = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();
export const breakGlassBody = z.object({ reason: z.string().trim().min(10, 'give a reason of at least 10 characters').max(2000) }).strict();
export const nameUserBody = z.object({ userId: z.string().uuid() }).strict();
export const listCasesQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  assigneeId: z.string().uuid().optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** ISIC Rev. 4 sections (A agriculture … U extraterritorial organisations), for an organisation's industry. */
export const ISIC_SECTIONS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U'] as const;
export const ENTITY_KINDS = ['organisation', 'place'] as const;

/** A business or venue (organisation), or a place, on a case. Name, address, coordinates and description are encrypted. */
export const addEntityBody = z
  .object({
    kind: z.enum(ENTITY_KINDS),
    name: z.string().trim().min(1).max(200),
    aliases: z.array(z.string().trim().min(1).max(200)).max(10).default([]),
    industry: z.string().trim().max(200).optional(),
    isicSection: z.enum(ISIC_SECTIONS).optional(),
    address: z.object({ street: z.string().trim().max(200).optional(), city: z.string().trim().max(100).optional(), postcode: z.string().trim().max(20).optional(), country: z.string().regex(/^[A-Z]{2}$/).optional() }).strict().optional(),
    adminArea: z.string().trim().max(40).optional(),
    coordinates: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();
