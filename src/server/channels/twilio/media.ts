import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { RetryingWorker } from '../retrying-worker.js';
import { notifyLive } from '../../queue/live.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { retryDelayMs } from '../outbound/sms-outbox.js';
import { twilioApiBase } from '../outbound/twilio-rest.js';
import { detectAttachmentType } from '../webform/webform.files.js';
import '../voice/voice.schema.js';

/**
 * Photos, voice notes, videos and documents sent by MMS or WhatsApp. Twilio's webhook names them (`MediaUrl{N}`); the
 * bytes stay at Twilio until fetched with the line's credentials. Each address is stored (encrypted) before the webhook
 * is acknowledged, so an acknowledged file is never lost; then this fetcher downloads it and keeps it as an encrypted
 * attachment of the message, retrying what the provider could not give yet. See docs/intake-voice-api.md "Media".
 */
export const MEDIA_LIMITS = { maxPerMessage: 10, maxBytes: 16 * 1024 * 1024, maxAttempts: 6 };
const SOURCE = 'twilio:media';
const LEASE_MS = 120_000;
const SWEEP_MS = 10_000;
const TIMEOUT_MS = 30_000;

export interface WebhookMedia {
  position: number;
  url: string;
  declaredType: string | null;
}

/**
 * The media of a messaging webhook: `MediaUrl0…` up to `NumMedia`, only those on the Twilio API's own origin — never an
 * address elsewhere, so a forged or odd request cannot make the server fetch from the network at large.
 */
export function mediaOf(params: Record<string, unknown>, base = twilioApiBase()): WebhookMedia[] {
  const count = Math.min(Number.parseInt(String(params.NumMedia ?? '0'), 10) || 0, MEDIA_LIMITS.maxPerMessage);
  if (count <= 0) return [];
  const origin = new URL(base).origin;
  const media: WebhookMedia[] = [];
  for (let position = 0; position < count; position++) {
    const raw = params[`MediaUrl${position}`];
    if (typeof raw !== 'string' || raw.length > 2000) continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.origin !== origin) continue;
    const declared = params[`MediaContentType${position}`];
    media.push({ position, url: url.toString(), declaredType: typeof declared === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(declared) ? declared.toLowerCase() : null });
  }
  return media;
}

/** Stores the media of a message to fetch (a retried webhook adds nothing) and returns the ids to fetch now. */
export async function queueMedia(ctx: AppContext, accessPoint: ActiveAccessPoint, messageId: string, media: WebhookMedia[]): Promise<string[]> {
  if (media.length === 0) return [];
  const rows = await Promise.all(
    media.map(async (m) => ({
      hotline_id: accessPoint.hotlineId, message_id: messageId, access_point_id: accessPoint.id, position: m.position, declared_type: m.declaredType,
      // Node's clock, as the fetcher's comparisons use: the database's now() has microseconds, so a fetch started in
      // the same millisecond would find the row not yet due.
      url: await ctx.keys.encrypt(accessPoint.hotlineId, 'media_fetch.url', m.url), next_attempt_at: new Date(), updated_at: new Date(),
    })),
  );
  const inserted = await ctx.db.insertInto('media_fetch').values(rows).onConflict((oc) => oc.columns(['message_id', 'position']).doNothing()).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** The kinds of file a phone sends, by their first bytes; anything else is kept as opaque bytes (served as a download). */
export function detectMediaType(data: Buffer): { type: string; extension: string } {
  const known = detectAttachmentType(data);
  if (known && known !== 'text/plain') return { type: known, extension: known === 'application/pdf' ? 'pdf' : known.split('/')[1].replace('jpeg', 'jpg') };
  const at = (offset: number, text: string) => data.length >= offset + text.length && data.toString('latin1', offset, offset + text.length) === text;
  if (at(0, 'OggS')) return { type: 'audio/ogg', extension: 'ogg' };
  if (at(0, '#!AMR')) return { type: 'audio/amr', extension: 'amr' };
  if (at(4, 'ftyp')) return at(8, 'M4A') ? { type: 'audio/mp4', extension: 'm4a' } : { type: 'video/mp4', extension: 'mp4' };
  if (at(0, 'ID3') || (data.length > 1 && data[0] === 0xff && (data[1] & 0xe0) === 0xe0)) return { type: 'audio/mpeg', extension: 'mp3' };
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return { type: 'image/gif', extension: 'gif' };
  if (known === 'text/plain') return { type: 'text/plain', extension: 'txt' };
  return { type: 'application/octet-stream', extension: 'bin' };
}

type Outcome = { kind: 'stored' } | { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string };

/**
 * Fetches queued media, one attempt at a time per file (a lease in the row, so several servers can run it), retrying
 * 5xx, 429 and network failures with exponential backoff; a sweep picks up what a crash or restart left behind.
 */
export class MediaFetcher extends RetryingWorker {
  constructor(ctx: AppContext) {
    super(ctx, 'media fetch', SWEEP_MS);
  }

  protected async dueIds() {
    const due = await this.ctx.db
      .selectFrom('media_fetch')
      .select('id')
      .where('is_done', '=', false)
      .where('next_attempt_at', '<=', new Date())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .orderBy('next_attempt_at')
      .limit(50)
      .execute();
    return due.map((row) => row.id);
  }

  async attempt(id: string): Promise<void> {
    const { ctx } = this;
    const claimed = await ctx.db
      .updateTable('media_fetch')
      .set({ locked_until: new Date(Date.now() + LEASE_MS), attempts: sql`attempts + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .where('is_done', '=', false)
      .where('next_attempt_at', '<=', new Date())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .returning(['hotline_id', 'message_id', 'access_point_id', 'position', 'url', 'attempts'])
      .executeTakeFirst();
    if (!claimed) return;
    const hotlineId = claimed.hotline_id;
    const line = await ctx.db.selectFrom('access_point').select(['channel', 'secret', 'settings']).where('id', '=', claimed.access_point_id).where('hotline_id', '=', hotlineId).executeTakeFirst();
    const accountSid = (line?.settings as { twilioAccountSid?: string } | undefined)?.twilioAccountSid;
    const token = line ? await ctx.keys.decryptOptional(hotlineId, 'access_point.secret', line.secret) : null;
    let outcome: Outcome;
    let data: Buffer | null = null;
    if (!line || !accountSid || !token) {
      outcome = { kind: 'failed', reason: 'not_configured' };
    } else {
      const url = await ctx.keys.decrypt(hotlineId, 'media_fetch.url', claimed.url);
      ({ outcome, data } = await download(url, accountSid, token));
    }

    if (outcome.kind === 'stored' && data) {
      const message = await ctx.db.selectFrom('contact_message').select('contact_id').where('id', '=', claimed.message_id).executeTakeFirstOrThrow();
      const { type, extension } = detectMediaType(data);
      const row = {
        hotline_id: hotlineId, contact_id: message.contact_id, message_id: claimed.message_id, content_type: type, size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        filename: await ctx.keys.encrypt(hotlineId, 'attachment.filename', `${line!.channel}-${claimed.position + 1}.${extension}`),
        data: await ctx.keys.encrypt(hotlineId, 'attachment.data', data),
      };
      await ctx.db.transaction().execute(async (tx) => {
        const attachment = await tx.insertInto('attachment').values(row).returning('id').executeTakeFirstOrThrow();
        await tx.updateTable('media_fetch').set({ is_done: true, locked_until: null, failure_reason: null, attachment_id: attachment.id, updated_at: new Date() }).where('id', '=', id).execute();
        await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: 'attachment.create', recordType: 'attachment', recordId: attachment.id, details: { contactId: message.contact_id, contentType: type, size: data!.length } });
        await notifyLive(tx, { hotlineId, kind: 'contact.message', contactId: message.contact_id });
      });
      // Kept (encrypted) here: the provider's copy goes, so the person's photo does not stay on a third party's servers.
      const url = await ctx.keys.decrypt(hotlineId, 'media_fetch.url', claimed.url);
      const deleted = await deleteAtProvider(url, accountSid!, token!);
      await ctx.db.updateTable('media_fetch').set(deleted.ok ? { provider_deleted_at: new Date() } : { provider_delete_failure: deleted.reason }).where('id', '=', id).execute();
      if (!deleted.ok) ctx.log.warn({ mediaId: id, reason: deleted.reason }, 'the provider’s copy of a media file could not be deleted');
      return;
    }
    if (outcome.kind === 'retry' && claimed.attempts < MEDIA_LIMITS.maxAttempts) {
      const delay = retryDelayMs(claimed.attempts);
      await ctx.db.updateTable('media_fetch').set({ locked_until: null, next_attempt_at: new Date(Date.now() + delay), failure_reason: outcome.reason, updated_at: new Date() }).where('id', '=', id).execute();
      this.kick(id, delay);
      return;
    }
    const reason = outcome.kind === 'retry' ? `retries_exhausted:${outcome.reason}` : (outcome as { reason: string }).reason;
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('media_fetch').set({ is_done: true, locked_until: null, failure_reason: reason, updated_at: new Date() }).where('id', '=', id).execute();
      const message = await tx.selectFrom('contact_message').select('contact_id').where('id', '=', claimed.message_id).executeTakeFirst();
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: 'attachment.fetch_failed', recordType: 'contact', recordId: message?.contact_id ?? null, details: { messageId: claimed.message_id, position: claimed.position, reason } });
    });
    ctx.log.warn({ mediaId: id, reason }, 'a media file could not be fetched');
  }
}

/** DELETE of the media resource (Twilio: the media URL with `.json`); 404 means it is gone already. */
async function deleteAtProvider(url: string, accountSid: string, token: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const response = await fetch(url.endsWith('.json') ? url : `${url}.json`, {
      method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${token}`).toString('base64')}` }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.ok || response.status === 404 ? { ok: true } : { ok: false, reason: `http_${response.status}` };
  } catch {
    return { ok: false, reason: 'network' };
  }
}

/** GET with the line's credentials (dropped by fetch on a redirect to another origin, where Twilio keeps the bytes). */
async function download(url: string, accountSid: string, token: string): Promise<{ outcome: Outcome; data: Buffer | null }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${token}`).toString('base64')}` }, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return { outcome: { kind: 'retry', reason: 'network' }, data: null };
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel().catch(() => undefined);
    return { outcome: { kind: 'retry', reason: `http_${response.status}` }, data: null };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { outcome: { kind: 'failed', reason: `http_${response.status}` }, data: null };
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MEDIA_LIMITS.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { outcome: { kind: 'failed', reason: 'too_large' }, data: null };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MEDIA_LIMITS.maxBytes) return { outcome: { kind: 'failed', reason: 'too_large' }, data: null };
      chunks.push(Buffer.from(chunk));
    }
  } catch {
    return { outcome: { kind: 'retry', reason: 'network' }, data: null };
  }
  if (size === 0) return { outcome: { kind: 'failed', reason: 'empty' }, data: null };
  return { outcome: { kind: 'stored' }, data: Buffer.concat(chunks) };
}
