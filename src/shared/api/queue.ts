import { z } from 'zod';
import { CONTACT_FLAGS, HEARD_ABOUT, REQUEST_TYPES, SIGNALER_TYPES, contactFlagsSchema } from '../intake.js';
import { LOCALES } from '../roles.js';

export const contactIdParams = z.object({ id: z.string().uuid() });

export const transferBody = z.union([
  z.object({ toUserId: z.string().uuid(), note: z.string().max(500).optional() }).strict(),
  z.object({ toRole: z.literal('supervisor'), note: z.string().max(500).optional() }).strict(),
]);

export const availabilityBody = z.object({ availability: z.enum(['available', 'busy', 'break', 'offline']) }).strict();

export const updateContactBody = z
  .object({
    version: z.number().int().min(1),
    language: z.string().trim().min(2).max(35).nullable().optional(),
    interpreterUsed: z.boolean().optional(),
    signalerType: z.enum(SIGNALER_TYPES).nullable().optional(),
    requestType: z.enum(REQUEST_TYPES).nullable().optional(),
    heardAbout: z.enum(HEARD_ABOUT).nullable().optional(),
    areaCode: z.string().trim().max(20).nullable().optional(),
    flags: contactFlagsSchema.optional(),
    summary: z.string().max(20_000).nullable().optional(),
    notes: z.string().max(100_000).nullable().optional(),
    sensitivity: z.enum(['normal', 'restricted']).optional(),
    /** Answers to the hotline's own questions (validated against its current contact form). */
    formData: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const closeContactBody = z.object({ version: z.number().int().min(1), status: z.enum(['wrap_up', 'closed']).default('closed') }).strict();

export const replyBody = z.object({ body: z.string().trim().min(1).max(1600) }).strict();

export { CONTACT_FLAGS, LOCALES };
