import { z } from 'zod';
import { LOCALES, ROLES } from '../roles.js';

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
