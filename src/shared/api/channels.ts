import { z } from 'zod';
import { CHANNELS } from '../intake.js';
import { LOCALES } from '../roles.js';

const localized = z.partialRecord(z.enum(LOCALES), z.string().trim().max(1000));
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** Settings of one access point; which ones matter depends on the channel (see docs/intake.md). */
export const accessPointSettings = z
  .object({
    greetings: localized.optional(),
    /** Opening hours in the hotline's time zone; absent means 24/7. */
    hours: z.array(z.object({ day: weekday, open: z.string().regex(/^\d{2}:\d{2}$/), close: z.string().regex(/^\d{2}:\d{2}$/) }).strict()).max(50).optional(),
    afterHoursMessage: localized.optional(),
    languages: z.array(z.enum(LOCALES)).min(1).optional(),
    twilioAccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex characters').optional(),
    allowedOrigins: z.array(z.string().url()).max(50).optional(),
    /** Chat: offer new chats only while someone who can answer is signed in and available (or busy). */
    onlyWhenStaffed: z.boolean().optional(),
    smtpHost: z.string().max(255).optional(),
    smtpPort: z.number().int().min(1).max(65535).optional(),
    smtpUser: z.string().max(255).optional(),
  })
  .strict();

export const createAccessPointBody = z
  .object({
    channel: z.enum(CHANNELS),
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().min(1).max(320),
    team: z.string().trim().max(100).nullable().optional(),
    settings: accessPointSettings.default({}),
    secret: z.string().min(1).max(500).optional(),
  })
  .strict();

export const updateAccessPointBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    team: z.string().trim().max(100).nullable().optional(),
    settings: accessPointSettings.optional(),
    secret: z.string().min(1).max(500).optional(),
    isActive: z.boolean().optional(),
    version: z.number().int().min(1),
  })
  .strict();
