import { z } from 'zod';

/**
 * A staff reply by email: plain text (the subject and threading headers are derived from the conversation). It goes to
 * the address that opened the conversation unless `to` names another address that wrote in it: a message threaded in
 * from a new address never silently redirects the hotline's replies.
 */
export const emailReplyBody = z.object({ body: z.string().trim().min(1).max(50_000), to: z.string().trim().email().max(320).optional() }).strict();

export const emailAttachmentParams = z.object({ id: z.string().uuid(), attachmentId: z.string().uuid() });

/** Delivery state of one email reply: no content, no address. */
export const emailReplyView = z.object({
  id: z.string(),
  contactId: z.string(),
  direction: z.literal('outbound'),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
});

/** The email details of the messages of a contact's conversation (decrypted for the console; the read is audited). */
export const emailMessagesResponse = z.object({
  items: z.array(
    z.object({
      messageId: z.string(),
      contactId: z.string(),
      direction: z.enum(['inbound', 'outbound']),
      /** Inbound: who wrote (the From address); outbound: who it was sent to. */
      address: z.string().nullable(),
      subject: z.string().nullable(),
      status: z.string(),
      attempts: z.number(),
      failureReason: z.string().nullable(),
      createdAt: z.string(),
      attachments: z.array(z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() })),
      droppedAttachments: z.array(z.object({ reason: z.string(), contentType: z.string(), size: z.number() })),
    }),
  ),
});
