import { z } from 'zod';
import { CHANNELS } from '../intake.js';
import { LOCALES, ROLES } from '../roles.js';

/** A team name as access points route to it: lower case, digits, '-' and '_' (e.g. `spanish-line`). */
export const teamName = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a team is lower-case letters, digits, - or _ (at most 40)');

/**
 * What routes contacts to a person (the queue puts matching contacts first; "next contact" takes them first):
 * languages they work in (ISO 639-1), channels they are certified for, teams they are in. Empty: any.
 */
export const routingFields = {
  languages: z.array(z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, 'a two-letter language code (ISO 639-1)')).max(20).optional(),
  skills: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  teams: z.array(teamName).max(10).optional(),
};

export const userIdParams = z.object({ id: z.string().uuid() });

export const createUserBody = z
  .object({
    email: z.string().trim().toLowerCase().email().max(320),
    displayName: z.string().trim().min(1).max(200),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    locale: z.enum(LOCALES).optional(),
    organisationId: z.string().uuid().nullable().optional(),
  })
  .strict();

export const updateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
    locale: z.enum(LOCALES).optional(),
    organisationId: z.string().uuid().nullable().optional(),
    ...routingFields,
  })
  .strict();

export const auditQuery = z.object({
  action: z.string().max(100).optional(),
  actorId: z.string().uuid().optional(),
  recordType: z.string().max(100).optional(),
  recordId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
