import { z } from 'zod';

/**
 * The chat wire protocol (JSON text frames), both sides. Documented for client authors in docs/intake-chat.md; the
 * schemas here are the source of truth. Every frame is validated; a frame that does not parse gets an `error` frame.
 */

export const CHAT_LANGUAGES = ['en', 'es', 'fr'] as const;
export const AGE_RANGES = ['under_18', '18_24', '25_39', '40_plus', 'prefer_not_to_say'] as const;
export const MAX_BODY = 4000;

/** A client's own id for a message it sends: the server stores a message once per client id (exactly once). */
export const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
const body = z.string().max(MAX_BODY).refine((s) => s.trim().length > 0, 'must not be empty');
const messageId = z.string().uuid();

export const visitorFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    language: z.enum(CHAT_LANGUAGES),
    nickname: z.string().trim().max(60).optional(),
    safeToTalk: z.enum(['yes', 'no']).optional(),
    ageRange: z.enum(AGE_RANGES).optional(),
  }).strict(),
  z.object({ type: z.literal('resume'), token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict(),
  z.object({ type: z.literal('message'), clientId, body }).strict(),
  z.object({ type: z.literal('typing'), on: z.boolean() }).strict(),
  z.object({ type: z.literal('read'), upto: messageId }).strict(),
  z.object({ type: z.literal('leave') }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);
export type VisitorFrame = z.infer<typeof visitorFrame>;

export const agentFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), contactId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('leave'), contactId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('send'), contactId: z.string().uuid(), clientId, body }).strict(),
  z.object({ type: z.literal('typing'), contactId: z.string().uuid(), on: z.boolean() }).strict(),
  z.object({ type: z.literal('read'), contactId: z.string().uuid(), upto: messageId }).strict(),
  z.object({ type: z.literal('end'), contactId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);
export type AgentFrame = z.infer<typeof agentFrame>;

/** REST bodies for the advocate side (the same operations as the socket). */
export const chatContactParams = z.object({ id: z.string().uuid() });
export const chatSendBody = z.object({ clientId, body }).strict();
export const chatReadBody = z.object({ upto: messageId }).strict();
export const chatTypingBody = z.object({ on: z.boolean() }).strict();

/** Parses one text frame: JSON, then the schema. Returns a short reason instead of throwing. */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string): { ok: true; frame: T } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'frame is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue.path.join('.') || 'frame'}: ${issue.message}` };
  }
  return { ok: true, frame: parsed.data };
}
