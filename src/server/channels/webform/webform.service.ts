import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ContactFlags } from '../../../shared/intake.js';
import type { Locale } from '../../../shared/roles.js';
import { appendAudit } from '../../audit/audit.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { AppContext } from '../../context.js';
import { recordInboundSignal } from '../../intake/intake.service.js';
import type { AttachmentType } from './webform.files.js';
import { newPassphrase, newReferenceCode } from './webform.secrets.js';
import { STAFF_LABELS, TEXT } from './webform.text.js';
import './webform.tables.js';

export type Answer = 'yes' | 'no' | 'unknown';

export interface CheckedFile {
  filename: string;
  contentType: AttachmentType;
  data: Buffer;
}

export interface WebformTarget {
  hotlineId: string;
  accessPointId: string;
  team: string | null;
  /** The hotline's own language: the labels of the message advocates read. */
  staffLocale: Locale;
}

export interface TipInput {
  nonce: string;
  what: string;
  where: string;
  when: string;
  danger: Answer;
  minor: Answer;
  phone: string;
  email: string;
  preferredLanguage: string;
  files: CheckedFile[];
  ip: string;
}

export type TipOutcome =
  | { kind: 'created' | 'reissued'; code: string; passphrase: string; contactNumber: number }
  /** The form's token was used before for a different text: nothing stored; the person is asked to send again. */
  | { kind: 'token_used' };

const SOURCE = 'webform';
const FOLLOW_UP = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const threadKeyIndex = (ctx: AppContext, hotlineId: string, code: string) => ctx.keys.blindIndex(hotlineId, 'text', `webform:${code}`);

/** One readable message for the advocate, labelled in the hotline's language; the person's words are kept as written. */
function tipBody(locale: Locale, input: TipInput): string {
  const l = STAFF_LABELS[locale];
  const lines = [`[${l.heading}]`, '', `${l.what}:`, input.what.trim(), ''];
  if (input.where.trim()) lines.push(`${l.where}: ${input.where.trim()}`);
  if (input.when.trim()) lines.push(`${l.when}: ${input.when.trim()}`);
  lines.push(`${l.danger}: ${l.answers[input.danger]}`, `${l.minor}: ${l.answers[input.minor]}`, `${l.language}: ${languageName(locale, input.preferredLanguage)}`);
  if (input.phone.trim()) lines.push(`${l.phone}: ${input.phone.trim()}`);
  if (input.email.trim()) lines.push(`${l.email}: ${input.email.trim()}`);
  if (input.files.length > 0) lines.push(`${l.attachments}: ${input.files.length} (${input.files.map((f) => f.filename).join(', ')})`);
  return lines.join('\n');
}

function languageName(staffLocale: Locale, code: string): string {
  return code === 'en' || code === 'es' || code === 'fr' ? TEXT[code].languageName : TEXT[staffLocale].otherLanguage;
}

function followUpBody(locale: Locale, text: string, danger: Answer, files: CheckedFile[]): string {
  const l = STAFF_LABELS[locale];
  const lines = [`[${l.followUpHeading}]`, '', text.trim()];
  if (danger !== 'unknown') lines.push('', `${l.danger}: ${l.answers[danger]}`);
  if (files.length > 0) lines.push('', `${l.attachments}: ${files.length} (${files.map((f) => f.filename).join(', ')})`);
  return lines.join('\n');
}

export function triage(danger: Answer, minor: Answer): { requestType: string; flags: ContactFlags } {
  const flags: ContactFlags = {};
  if (danger === 'yes') flags.imminent_danger = true;
  if (minor === 'yes') flags.minor = true;
  return { requestType: danger === 'yes' ? 'crisis' : 'tip', flags };
}

/** A reference code no thread of any hotline uses (the unique index is install-wide). */
async function freshCode(ctx: AppContext, hotlineId: string): Promise<{ code: string; index: Buffer }> {
  for (;;) {
    const code = newReferenceCode();
    const index = await threadKeyIndex(ctx, hotlineId, code);
    const taken = await ctx.db
      .selectFrom('contact_thread')
      .select('id')
      .where((eb) => eb.or([eb('follow_up_code', '=', code), eb.and([eb('hotline_id', '=', hotlineId), eb('channel', '=', 'webform'), eb('correspondent_index', '=', index)])]))
      .executeTakeFirst();
    if (!taken) return { code, index };
  }
}

/** Attachments of one message, encrypted, with their audit rows, in one transaction. */
async function storeAttachments(ctx: AppContext, target: WebformTarget, contactId: string, messageId: string, files: CheckedFile[], ip: string) {
  if (files.length === 0) return;
  const { hotlineId } = target;
  const rows = await Promise.all(
    files.map(async (f) => ({
      hotline_id: hotlineId,
      contact_id: contactId,
      message_id: messageId,
      filename: await ctx.keys.encrypt(hotlineId, 'attachment.filename', f.filename),
      content_type: f.contentType,
      size: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
      data: await ctx.keys.encrypt(hotlineId, 'attachment.data', f.data),
    })),
  );
  await ctx.db.transaction().execute(async (tx) => {
    const inserted = await tx.insertInto('attachment').values(rows).returning(['id', 'content_type', 'size']).execute();
    for (const a of inserted) {
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: 'attachment.create', recordType: 'attachment', recordId: a.id, ip, details: { contactId, contentType: a.content_type, size: a.size } });
    }
  });
}

/**
 * Stores a new tip through the one intake door, then gives its thread a reference code and the hash of a passphrase
 * shown once. The form token's nonce is the delivery id: a retried POST of the same form (a lost response, a reload)
 * stores nothing twice and hands out a new passphrase for the same reference instead — the old one may never have
 * been seen. The same token with another text is refused, never merged into someone's report.
 */
export async function submitTip(ctx: AppContext, target: WebformTarget, input: TipInput): Promise<TipOutcome> {
  const { hotlineId } = target;
  const body = tipBody(target.staffLocale, input);
  const { requestType, flags } = triage(input.danger, input.minor);
  const passphrase = newPassphrase();
  const [secretHash, { code, index }] = await Promise.all([hashPassword(passphrase), freshCode(ctx, hotlineId)]);
  const recorded = await recordInboundSignal(ctx, {
    hotlineId, channel: 'webform', accessPointId: target.accessPointId, threadKey: code, externalId: `webform:${input.nonce}`, body,
    // "Another language" routes to anyone (no language), rather than to nobody.
    language: input.preferredLanguage === 'other' ? null : input.preferredLanguage, requestType, flags, team: target.team, source: SOURCE, ip: input.ip,
  });

  if (recorded.isDuplicate) {
    const stored = await ctx.db.selectFrom('contact_message').select('body').where('hotline_id', '=', hotlineId).where('id', '=', recorded.messageId!).executeTakeFirst();
    const storedBody = stored?.body ? await ctx.keys.decrypt(hotlineId, 'contact_message.body', stored.body) : null;
    if (storedBody !== body) return { kind: 'token_used' };
  }
  // A new thread gets its code; a retried one keeps the code it has (or gets this one, if the first try died here).
  const thread = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('contact_thread')
      .set({
        follow_up_code: sql<string>`coalesce(follow_up_code, ${code})`,
        correspondent_index: sql<Buffer>`case when follow_up_code is null then ${index} else correspondent_index end`,
        follow_up_secret_hash: secretHash,
      })
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', recorded.threadId)
      .returning('follow_up_code')
      .executeTakeFirstOrThrow();
    if (recorded.isDuplicate) {
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: 'webform.passphrase_reissued', recordType: 'contact', recordId: recorded.contactId, ip: input.ip, details: { reason: 'retried_submission' } });
    }
    return row;
  });
  const already = recorded.isDuplicate
    ? Number((await ctx.db.selectFrom('attachment').select((eb) => eb.fn.countAll<string>().as('n')).where('hotline_id', '=', hotlineId).where('message_id', '=', recorded.messageId!).executeTakeFirstOrThrow()).n)
    : 0;
  if (already === 0) await storeAttachments(ctx, target, recorded.contactId, recorded.messageId!, input.files, input.ip);
  return { kind: recorded.isDuplicate ? 'reissued' : 'created', code: thread.follow_up_code!, passphrase, contactNumber: recorded.contactNumber };
}

export interface FollowUpInput {
  nonce: string;
  code: string | null;
  passphrase: string | null;
  text: string;
  danger: Answer;
  language: string;
  files: CheckedFile[];
  ip: string;
}

export type FollowUpOutcome = { kind: 'added' } | { kind: 'wrong' } | { kind: 'locked' } | { kind: 'token_used' };

/**
 * Adds information to a tip. The code and passphrase are checked against the argon2 hash; failures count per code
 * (also for codes that do not exist, so a lockout reveals nothing) and lock the code for a while. Nothing of the tip
 * is ever read back: the answer is only "added" or not.
 */
export async function addFollowUp(ctx: AppContext, target: WebformTarget, input: FollowUpInput): Promise<FollowUpOutcome> {
  const { hotlineId } = target;
  const attemptKey = input.code ?? '(malformed)';
  const attempt = await ctx.db.selectFrom('webform_follow_up_attempt').select(['locked_until']).where('hotline_id', '=', hotlineId).where('code', '=', attemptKey).executeTakeFirst();
  if (attempt?.locked_until && attempt.locked_until.getTime() > Date.now()) {
    await burnPasswordCheck(input.passphrase ?? '');
    return { kind: 'locked' };
  }
  const thread = input.code
    ? await ctx.db.selectFrom('contact_thread').select(['id', 'follow_up_secret_hash']).where('hotline_id', '=', hotlineId).where('channel', '=', 'webform').where('follow_up_code', '=', input.code).executeTakeFirst()
    : undefined;
  let isValid = false;
  if (thread?.follow_up_secret_hash && input.passphrase) isValid = await verifyPassword(thread.follow_up_secret_hash, input.passphrase);
  else await burnPasswordCheck(input.passphrase ?? ''); // an unknown code costs the same time as a wrong passphrase

  if (!isValid) {
    const locked = await recordFailure(ctx, hotlineId, attemptKey, thread?.id ?? null, input.ip);
    return { kind: locked ? 'locked' : 'wrong' };
  }
  await ctx.db.deleteFrom('webform_follow_up_attempt').where('hotline_id', '=', hotlineId).where('code', '=', attemptKey).execute();
  const { requestType, flags } = triage(input.danger, 'unknown');
  const body = followUpBody(target.staffLocale, input.text, input.danger, input.files);
  const recorded = await recordInboundSignal(ctx, {
    hotlineId, channel: 'webform', accessPointId: target.accessPointId, threadKey: input.code, externalId: `webform:${input.nonce}`, body,
    language: input.language, requestType, flags, team: target.team, source: SOURCE, ip: input.ip,
  });
  if (recorded.isDuplicate) {
    const stored = await ctx.db.selectFrom('contact_message').select(['body', 'thread_id']).where('hotline_id', '=', hotlineId).where('id', '=', recorded.messageId!).executeTakeFirst();
    const storedBody = stored?.body ? await ctx.keys.decrypt(hotlineId, 'contact_message.body', stored.body) : null;
    if (storedBody !== body || stored?.thread_id !== thread!.id) return { kind: 'token_used' };
    return { kind: 'added' };
  }
  if (recorded.threadId !== thread!.id) {
    // The code's thread key must lead back to the same thread; anything else is a defect worth stopping for.
    throw new Error('webform follow-up landed in another thread');
  }
  await storeAttachments(ctx, target, recorded.contactId, recorded.messageId!, input.files, input.ip);
  return { kind: 'added' };
}

/** Counts one failed attempt for a code in a fixed window; returns whether the code is now locked. */
async function recordFailure(ctx: AppContext, hotlineId: string, code: string, threadId: string | null, ip: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const windowStart = new Date(Date.now() - FOLLOW_UP.windowMs);
    const row = await tx
      .insertInto('webform_follow_up_attempt')
      .values({ hotline_id: hotlineId, code, failures: 1, window_start: new Date(), locked_until: null })
      .onConflict((oc) =>
        oc.columns(['hotline_id', 'code']).doUpdateSet({
          failures: sql<number>`case when webform_follow_up_attempt.window_start < ${windowStart} then 1 else webform_follow_up_attempt.failures + 1 end`,
          window_start: sql<Date>`case when webform_follow_up_attempt.window_start < ${windowStart} then now() else webform_follow_up_attempt.window_start end`,
        }),
      )
      .returning(['failures'])
      .executeTakeFirstOrThrow();
    const locked = row.failures >= FOLLOW_UP.maxFailures;
    if (locked) {
      await tx.updateTable('webform_follow_up_attempt').set({ locked_until: new Date(Date.now() + FOLLOW_UP.lockMs), failures: 0, window_start: new Date() }).where('hotline_id', '=', hotlineId).where('code', '=', code).execute();
    }
    // Failed attempts on a real report are worth a supervisor's eye; on unknown codes they are only counted.
    if (threadId) {
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: locked ? 'webform.follow_up_locked' : 'webform.follow_up_failed', recordType: 'contact_thread', recordId: threadId, ip });
    }
    // Old counters of codes nobody tries any more are dropped now and then.
    if (Math.random() < 0.02) await tx.deleteFrom('webform_follow_up_attempt').where('window_start', '<', new Date(Date.now() - 24 * 3600_000)).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())])).execute();
    return locked;
  });
}
