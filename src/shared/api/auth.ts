import { z } from 'zod';
import { LOCALES } from '../roles.js';

export const loginBody = z.object({
  email: z.string().trim().min(3).max(320).email(),
  password: z.string().min(1).max(1024),
});

export const totpCodeBody = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'must be 6 digits') });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

export const updateMeBody = z.object({ locale: z.enum(LOCALES) }).strict();
