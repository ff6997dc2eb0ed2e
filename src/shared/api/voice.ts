import { z } from 'zod';

/**
 * Twilio voice webhooks (form-encoded). Only the fields Catalyst uses are validated; Twilio sends many more, which are
 * kept out (never stored). Signatures are checked before this validation runs.
 */
const callSid = z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio CallSid');
const address = z.string().max(100);

export const incomingCallParams = z.object({
  CallSid: callSid,
  From: address.default(''),
  To: z.string().min(1).max(100),
  CallStatus: z.string().max(40).optional(),
});

export const QUEUE_RESULTS = ['bridged', 'bridging-in-process', 'queue-full', 'redirected', 'hangup', 'error', 'system-error', 'leave'] as const;
export const queueResultParams = z.object({
  CallSid: callSid,
  To: z.string().min(1).max(100),
  QueueResult: z.enum(QUEUE_RESULTS),
  QueueTime: z.string().regex(/^\d{1,7}$/).optional(),
  QueueSid: z.string().max(64).optional(),
});

export const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export const callStatusParams = z.object({
  CallSid: callSid,
  To: z.string().min(1).max(100),
  CallStatus: z.enum(CALL_STATUSES),
  CallDuration: z.string().regex(/^\d{1,7}$/).optional(),
  SequenceNumber: z.string().regex(/^\d{1,6}$/).optional(),
  Timestamp: z.string().max(64).optional(),
});

export const waitParams = z.object({
  CallSid: callSid,
  To: z.string().min(1).max(100),
  QueuePosition: z.string().regex(/^\d{1,6}$/).optional(),
  QueueTime: z.string().regex(/^\d{1,7}$/).optional(),
});

/** Per-hotline voice configuration (hotline_config kind "voice"), versioned like the other hotline settings. */
export const voiceConfigSchema = z
  .object({
    /** A caller who hangs up within this many seconds of reaching the line is a short abandon (a misdial, usually). */
    shortAbandonSeconds: z.number().int().min(0).max(600).default(5),
  })
  .strict();
export type VoiceConfig = z.infer<typeof voiceConfigSchema>;
export const DEFAULT_VOICE_CONFIG: VoiceConfig = { shortAbandonSeconds: 5 };

/** What the console reads about the calls of one contact. */
export const contactCallsResponse = z.object({
  calls: z.array(
    z.object({
      callSid: z.string(),
      receivedAt: z.string(),
      isAfterHours: z.boolean(),
      queueResult: z.string().nullable(),
      queueSeconds: z.number().nullable(),
      answeredAt: z.string().nullable(),
      callStatus: z.string().nullable(),
      durationSeconds: z.number().nullable(),
      endedAt: z.string().nullable(),
      outcome: z.string().nullable(),
      isShortAbandon: z.boolean(),
    }),
  ),
});

/** Twilio message status callback (form-encoded, signed). */
export const MESSAGE_STATUSES = ['accepted', 'scheduled', 'canceled', 'queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'receiving', 'received', 'read', 'partially_delivered'] as const;
export const messageStatusParams = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio MessageSid'),
  MessageStatus: z.enum(MESSAGE_STATUSES),
  From: z.string().min(1).max(100),
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional(),
});
export const messageStatusQuery = z.object({ m: z.string().uuid().optional() });

export const smsReplyBody = z.object({ body: z.string().trim().min(1).max(1600) }).strict();
export const outboundMessageView = z.object({
  id: z.string(),
  contactId: z.string(),
  direction: z.literal('outbound'),
  status: z.string(),
  attempts: z.number(),
  failureReason: z.string().nullable(),
  providerSid: z.string().nullable(),
  createdAt: z.string(),
});
