import { createHash } from 'node:crypto';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import { cleanFilename, detectAttachmentType, type AttachmentType } from '../webform/webform.files.js';
import type { DroppedAttachment } from './email.tables.js';

/** Limits of one inbound email. The whole message (headers, text, attachments, encoded) is capped by the listener. */
export const EMAIL_LIMITS = {
  maxMessageBytes: 15 * 1024 * 1024,
  maxAttachments: 10,
  maxAttachmentBytes: 10 * 1024 * 1024,
  /** Message-IDs read from In-Reply-To and References: a long chain is cut to its root and its newest ids. */
  maxRefs: 50,
  maxRecipients: 10,
};

/** What Catalyst keeps from one parsed email: plain values, decided here so the rest of the channel stays simple. */
export interface InboundEmail {
  /** The Message-ID as sent (with its angle brackets), or null when the sender gave none. */
  messageId: string | null;
  /** In-Reply-To then References, newest first, each as `<id>`. */
  refs: string[];
  /** The References header to carry on, as sent (root first). */
  references: string[];
  from: string | null;
  subject: string | null;
  text: string;
  attachments: KeptAttachment[];
  dropped: DroppedAttachment[];
  /** Sent by a machine (an auto-reply, a bounce, a list): never answered automatically (RFC 3834). */
  isAutomatic: boolean;
}

export interface KeptAttachment {
  filename: string;
  contentType: AttachmentType;
  size: number;
  sha256: string;
  data: Buffer;
}

const ID_PATTERN = /<[^<>\s]{1,995}>/g;

/** The `<…>` tokens of a Message-ID list header (In-Reply-To, References), in order, without duplicates. */
export function parseIdList(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  const ids = joined.match(ID_PATTERN) ?? joined.split(/\s+/).filter((t) => /^[^<>\s]{1,995}@[^<>\s]+$/.test(t)).map((t) => `<${t}>`);
  return [...new Set(ids)];
}

/** One normal form for matching: no brackets, no surrounding space, lower case (ids differ in case in practice). */
export function messageIdKey(id: string): string {
  return id.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

/** The sender: the From header's first address, else the envelope sender (MAIL FROM); null for an empty bounce. */
export function senderOf(from: AddressObject | AddressObject[] | undefined, envelopeFrom: string | false | undefined): string | null {
  const objects = Array.isArray(from) ? from : from ? [from] : [];
  for (const object of objects) {
    for (const entry of object.value ?? []) {
      const address = firstAddress(entry);
      if (address) return address;
    }
  }
  return envelopeFrom && isAddress(envelopeFrom) ? envelopeFrom.trim() : null;
}

function firstAddress(entry: { address?: string; group?: { address?: string }[] }): string | null {
  if (entry.address && isAddress(entry.address)) return entry.address.trim();
  for (const member of entry.group ?? []) if (member.address && isAddress(member.address)) return member.address.trim();
  return null;
}

const isAddress = (value: string) => value.length <= 320 && /^[^\s@<>]+@[^\s@<>]+$/.test(value.trim());

/** The message's text: its text part, else the text mailparser derives from the HTML part (scripts and styles dropped). */
export function textOf(parsed: Pick<ParsedMail, 'text' | 'html'>): string {
  if (parsed.text && parsed.text.trim()) return parsed.text.trim();
  if (typeof parsed.html === 'string' && parsed.html.trim()) return stripHtml(parsed.html);
  return '';
}

/** A last resort for HTML without a text rendering: no markup, no scripts, entities for the common characters only. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}

/**
 * Keeps photos, PDFs and plain text (the type read from the bytes, never the sender's claim), up to the count and
 * size limits; everything else is listed as dropped (type, size and reason: the advocate sees that something came).
 */
export function sortAttachments(attachments: Pick<Attachment, 'content' | 'contentType' | 'filename' | 'size'>[]) {
  const kept: KeptAttachment[] = [];
  const dropped: DroppedAttachment[] = [];
  for (const attachment of attachments) {
    const data = Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.alloc(0);
    const declared = String(attachment.contentType ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, 100) || 'application/octet-stream';
    if (data.length === 0) {
      dropped.push({ reason: 'empty', contentType: declared, size: 0 });
      continue;
    }
    if (data.length > EMAIL_LIMITS.maxAttachmentBytes) {
      dropped.push({ reason: 'too_large', contentType: declared, size: data.length });
      continue;
    }
    const type = detectAttachmentType(data);
    if (!type) {
      dropped.push({ reason: 'type_not_allowed', contentType: declared, size: data.length });
      continue;
    }
    if (kept.length >= EMAIL_LIMITS.maxAttachments) {
      dropped.push({ reason: 'too_many', contentType: type, size: data.length });
      continue;
    }
    kept.push({ filename: cleanFilename(attachment.filename), contentType: type, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), data });
  }
  return { kept, dropped };
}

/**
 * Whether a message came from a machine, so an automatic answer would start a mail loop or spam a list (RFC 3834):
 * `Auto-Submitted` other than `no`, `Precedence: bulk|list|junk`, list headers, Microsoft's `X-Auto-Response-Suppress`,
 * an empty envelope sender (a bounce), or a mailer-daemon / postmaster / no-reply address.
 */
export function isAutomaticEmail(headerLines: ParsedMail['headerLines'], envelopeFrom: string | false | undefined, from: string | null): boolean {
  // The raw header lines: mailparser folds some (List-*) into structured values under other names.
  const header = (name: string) => headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim()).join(' ');
  const has = (name: string) => headerLines.some((h) => h.key === name);
  const autoSubmitted = header('auto-submitted').toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return true;
  if (/\b(bulk|list|junk)\b/i.test(header('precedence'))) return true;
  if (has('list-id') || has('list-unsubscribe') || has('list-post')) return true;
  if (/\b(all|autoreply|oof)\b/i.test(header('x-auto-response-suppress'))) return true;
  if (envelopeFrom === '') return true;
  const local = (from ?? (typeof envelopeFrom === 'string' ? envelopeFrom : '')).split('@')[0].toLowerCase();
  return /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)$/.test(local);
}

/** Everything Catalyst keeps from a parsed message. */
export function readInboundEmail(parsed: ParsedMail, envelopeFrom: string | false | undefined): InboundEmail {
  const messageId = parsed.messageId ? (parseIdList(parsed.messageId)[0] ?? null) : null;
  const inReplyTo = parseIdList(parsed.inReplyTo);
  const references = parseIdList(parsed.references);
  // The most telling ids first (In-Reply-To, then References from the newest), and the root, when the chain is long.
  const newestFirst = [...new Set([...inReplyTo, ...[...references].reverse()])];
  const refs = newestFirst.length > EMAIL_LIMITS.maxRefs ? [...newestFirst.slice(0, EMAIL_LIMITS.maxRefs - 1), references[0]] : newestFirst;
  const { kept, dropped } = sortAttachments(parsed.attachments ?? []);
  const subject = parsed.subject?.trim() ? parsed.subject.trim().slice(0, 1000) : null;
  const from = senderOf(parsed.from, envelopeFrom);
  return {
    messageId, refs, references: references.slice(-EMAIL_LIMITS.maxRefs), from, subject, text: textOf(parsed), attachments: kept, dropped,
    isAutomatic: isAutomaticEmail(parsed.headerLines ?? [], envelopeFrom, from),
  };
}

/** "Re: <subject>", without piling up prefixes. */
export function replySubject(subject: string | null): string {
  const base = (subject ?? '').trim();
  if (!base) return 'Re: your message';
  return /^(re|aw|sv|rv|r)\s*:/i.test(base) ? base : `Re: ${base}`;
}

/** The References of a reply to `parent`: its References plus its own id, kept to the root and the newest ids. */
export function replyReferences(parentReferences: string[], parentMessageId: string | null): string[] {
  const chain = [...new Set([...parentReferences, ...(parentMessageId ? [parentMessageId] : [])])];
  return chain.length > EMAIL_LIMITS.maxRefs ? [chain[0], ...chain.slice(-(EMAIL_LIMITS.maxRefs - 1))] : chain;
}
