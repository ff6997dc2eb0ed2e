import { z } from 'zod';
import { CHANNELS, REQUEST_TYPES, contactFlagsSchema } from '../intake.js';

/** What an intake API key may do: create contacts, and read the status of the contacts it created. */
export const API_KEY_SCOPES = ['intake:write', 'intake:read-own'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).refine((s) => new Set(s).size === s.length, 'scopes must not repeat'),
  })
  .strict();

export const apiKeyView = z.object({
  id: z.string(),
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createApiKeyResponse = z.object({ apiKey: apiKeyView, secret: z.string().describe('Shown once: store it in the calling system’s secret store') });
export const apiKeyIdParams = z.object({ id: z.string().uuid() });

/** Headers of a signed intake API request (see docs/intake-voice-api.md). */
export const intakeApiHeaders = z.object({
  'x-catalyst-key': z.string().describe('The key id, e.g. ck_0123456789abcdef'),
  'x-catalyst-timestamp': z.string().describe('Unix time in seconds; must be within 5 minutes of the server clock'),
  'x-catalyst-signature': z.string().describe('hex(HMAC-SHA256(secret, METHOD + "\\n" + path + "\\n" + timestamp + "\\n" + hex(SHA-256(body))))'),
});

const phone = z.string().trim().min(3).max(40).regex(/^\+?[0-9 ().-]+$/, 'must be a phone number');
const email = z.string().trim().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const intakeContactBody = z
  .object({
    channel: z.enum(CHANNELS).default('other'),
    correspondent: z
      .object({ phone: phone.optional(), email: email.optional() })
      .strict()
      .refine((c) => (c.phone === undefined) !== (c.email === undefined), 'give exactly one of phone or email')
      .optional(),
    body: z.string().min(1).max(20_000),
    subject: z.string().max(500).optional(),
    /** Your system's id for this signal, unique per API key: sending it again returns the same contact. */
    externalId: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'a BCP 47 language tag such as es or fr-CA').optional(),
    requestType: z.enum(REQUEST_TYPES).optional(),
    flags: contactFlagsSchema.optional(),
  })
  .strict();
export type IntakeContactBody = z.infer<typeof intakeContactBody>;

export const intakeContactResponse = z.object({
  contact: z.object({ id: z.string(), reference: z.string(), number: z.number(), isNewContact: z.boolean(), isDuplicate: z.boolean() }),
});

export const intakeContactParams = z.object({ id: z.string().uuid() });
export const intakeContactStatusResponse = z.object({
  contact: z.object({ id: z.string(), reference: z.string(), status: z.string(), receivedAt: z.string(), answeredAt: z.string().nullable(), endedAt: z.string().nullable() }),
});
