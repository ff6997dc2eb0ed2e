import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DEFAULT_SLA, slaConfigSchema, slaTargetSeconds, type SlaConfig } from '../../shared/sla.js';
import { publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
import type { Tx } from '../db/db.js';
import { LIVE_CHANNEL } from '../queue/live.js';
import { priorityOf } from '../queue/priority.js';
import type { InboundSignal, RecordedSignal } from './intake.service.js';

/** A signal with its encryption and blind index done (CPU work outside any transaction), waiting for its batch. */
export interface PreparedSignal {
  signal: InboundSignal;
  receivedAt: Date;
  threadIndex: Buffer | null;
  correspondent: Buffer | null;
  body: Buffer | null;
  subject: Buffer | null;
}

interface Pending {
  prepared: PreparedSignal;
  resolve: (value: RecordedSignal) => void;
  reject: (error: unknown) => void;
}

/** Tunables, measured with bench/intake.bench.ts (docs/intake-voice-api.md): more in flight only adds lock waits. */
export const BATCH_LIMITS = { maxSignals: 250, maxInFlight: 2 };

/**
 * Group commit for the intake door. Signals that arrive while earlier batches are committing wait (no timer: a lone
 * signal goes at once) and are then written together in ONE transaction with multi-row statements — about ten round
 * trips and one commit (one WAL flush) for the whole batch instead of per signal. Every caller's promise settles only
 * after its batch commits, so a channel still acknowledges only what is in the database. If a batch fails (a retried
 * delivery racing its original on the unique external id, a deadlock, a lost connection), nothing of it is stored and
 * each of its signals is recorded again on its own through the one-signal path, which answers duplicates.
 */
export class IntakeBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private ctx: AppContext,
    private recordAlone: (prepared: PreparedSignal) => Promise<RecordedSignal>,
  ) {}

  submit(prepared: PreparedSignal): Promise<RecordedSignal> {
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < BATCH_LIMITS.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_LIMITS.maxSignals);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]) {
    if (batch.length === 1) {
      // Alone: the one-signal path is the same work with fewer statements.
      const [only] = batch;
      await this.recordAlone(only.prepared).then(only.resolve, only.reject);
      return;
    }
    // The same delivery twice in one batch (a provider's retry racing the original): store it once, answer both.
    const firstByExternal = new Map<string, Pending>();
    const unique: Pending[] = [];
    const repeats: { pending: Pending; of: Pending }[] = [];
    for (const p of batch) {
      const { externalId, hotlineId } = p.prepared.signal;
      const key = externalId ? `${hotlineId}|${externalId}` : null;
      const first = key ? firstByExternal.get(key) : undefined;
      if (first) repeats.push({ pending: p, of: first });
      else {
        if (key) firstByExternal.set(key, p);
        unique.push(p);
      }
    }
    let results: RecordedSignal[];
    try {
      results = await recordBatch(this.ctx, unique.map((p) => p.prepared));
    } catch (error) {
      this.ctx.log.debug({ err: error, size: unique.length }, 'intake batch failed; recording its signals one by one');
      await Promise.all(batch.map((p) => this.recordAlone(p.prepared).then(p.resolve, p.reject)));
      return;
    }
    const byPending = new Map<Pending, RecordedSignal>();
    unique.forEach((p, i) => {
      byPending.set(p, results[i]);
      p.resolve(results[i]);
    });
    for (const { pending, of } of repeats) pending.resolve({ ...byPending.get(of)!, isNewContact: false, isDuplicate: true });
  }
}

const batchers = new WeakMap<AppContext, IntakeBatcher>();

/** Service-level targets change rarely: a batch re-reads them at most once a second per hotline. */
const SLA_CACHE_MS = 1_000;
const slaCache = new WeakMap<AppContext, Map<string, { at: number; value: SlaConfig }>>();
async function slaOf(ctx: AppContext, tx: Tx, hotlineId: string): Promise<SlaConfig> {
  let cache = slaCache.get(ctx);
  if (!cache) slaCache.set(ctx, (cache = new Map()));
  const hit = cache.get(hotlineId);
  if (hit && Date.now() - hit.at < SLA_CACHE_MS) return hit.value;
  const value = (await publishedConfig(tx, hotlineId, 'sla', slaConfigSchema, DEFAULT_SLA)).data;
  cache.set(hotlineId, { at: Date.now(), value });
  return value;
}

export function batcherFor(ctx: AppContext, recordAlone: (prepared: PreparedSignal) => Promise<RecordedSignal>): IntakeBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new IntakeBatcher(ctx, recordAlone)));
  return batcher;
}

/** Writes several signals in one transaction: the same rows, audit entries and live events as one by one. */
export async function recordBatch(ctx: AppContext, signals: PreparedSignal[]): Promise<RecordedSignal[]> {
  return ctx.db.transaction().execute(async (tx) => {
    // Serialise per thread key, as the one-signal path does; always in one order, so two batches cannot deadlock.
    const lockKeys = [...new Set(signals.filter((s) => s.threadIndex).map((s) => s.threadIndex!.toString('hex')))];
    if (lockKeys.length > 0) {
      await sql`select count(pg_advisory_xact_lock(h)) from (select hashtextextended(k, 0) as h from unnest(${lockKeys}::text[]) as k order by 1) as keys`.execute(tx);
    }

    // Each keyed signal's latest thread and that thread's open contact, in one statement.
    const keyed = signals.map((s, i) => ({ s, i })).filter(({ s }) => s.threadIndex);
    const found = new Map<number, { threadId: string; contactId: string | null; number: number | null }>();
    if (keyed.length > 0) {
      const { rows } = await sql<{ ord: number; thread_id: string; contact_id: string | null; number: number | null }>`
        select k.ord, t.id as thread_id, c.id as contact_id, c.number
        from unnest(${keyed.map(({ i }) => i)}::int[], ${keyed.map(({ s }) => s.signal.hotlineId)}::uuid[], ${keyed.map(({ s }) => s.signal.channel)}::text[], ${keyed.map(({ s }) => s.threadIndex!)}::bytea[]) as k(ord, hotline_id, channel, idx)
        cross join lateral (
          select id from contact_thread t
          where t.hotline_id = k.hotline_id and t.channel = k.channel and t.correspondent_index = k.idx
          order by t.last_activity_at desc limit 1
        ) t
        left join lateral (
          select id, number from contact c where c.thread_id = t.id and c.status <> 'closed' order by c.received_at desc limit 1
        ) c on true`.execute(tx);
      for (const row of rows) found.set(row.ord, { threadId: row.thread_id, contactId: row.contact_id, number: row.number === null ? null : Number(row.number) });
    }

    // Walk the batch in arrival order: the first signal of a new correspondent opens the thread (and contact) that the
    // next ones from them join, exactly as if they had come one after another.
    const threadByKey = new Map<string, { threadId: string; contactId: string | null; number: number | null; isNew: boolean }>();
    const newThreads: { id: string; s: PreparedSignal }[] = [];
    const touchedThreads = new Map<string, Date>();
    const newContacts: { id: string; signal: PreparedSignal; index: number }[] = [];
    const plan: { threadId: string; contactId: string; isNewContact: boolean }[] = [];
    signals.forEach((s, i) => {
      const key = s.threadIndex ? `${s.signal.hotlineId}|${s.signal.channel}|${s.threadIndex.toString('hex')}` : null;
      let thread = key ? threadByKey.get(key) : undefined;
      if (!thread) {
        const existing = found.get(i);
        thread = existing ? { ...existing, isNew: false } : { threadId: randomUUID(), contactId: null, number: null, isNew: true };
        if (thread.isNew) newThreads.push({ id: thread.threadId, s });
        if (key) threadByKey.set(key, thread);
      }
      if (!thread.isNew) {
        const last = touchedThreads.get(thread.threadId);
        if (!last || last < s.receivedAt) touchedThreads.set(thread.threadId, s.receivedAt);
      }
      const isNewContact = !thread.contactId;
      if (!thread.contactId) {
        thread.contactId = randomUUID();
        newContacts.push({ id: thread.contactId, signal: s, index: i });
      }
      plan.push({ threadId: thread.threadId, contactId: thread.contactId, isNewContact });
    });

    // Everything else in ONE statement (data-modifying CTEs, one array parameter per column): new threads, the
    // activity time of known ones, new contacts (their numbers come back), messages, audit entries and live events.
    // Foreign keys between the CTEs' rows are checked at the end of the statement, when all of them exist.
    const slas = new Map<string, SlaConfig>();
    for (const hotlineId of new Set(newContacts.map((c) => c.signal.signal.hotlineId))) slas.set(hotlineId, await slaOf(ctx, tx, hotlineId));
    const touched = [...touchedThreads.keys()];
    const messageIds = signals.map((s) => (s.body !== null || s.signal.externalId ? randomUUID() : null));
    const withMessage = signals.map((_, i) => i).filter((i) => messageIds[i]);
    const now = new Date();
    const at = now.toISOString();
    const events = signals.map((s, i) => JSON.stringify({ hotlineId: s.signal.hotlineId, kind: plan[i].isNewContact ? 'contact.created' : 'contact.message', contactId: plan[i].contactId, status: 'waiting', at }));
    const col = <T, U>(rows: T[], pick: (row: T) => U) => rows.map(pick);
    const { rows } = await sql<{ contacts: { id: string; number: number }[] | null }>`
      with new_threads as (
        insert into contact_thread (id, hotline_id, channel, access_point_id, correspondent_index, correspondent, subject, last_activity_at)
        select * from unnest(${col(newThreads, (t) => t.id)}::uuid[], ${col(newThreads, (t) => t.s.signal.hotlineId)}::uuid[], ${col(newThreads, (t) => t.s.signal.channel)}::text[],
          ${col(newThreads, (t) => t.s.signal.accessPointId ?? null)}::uuid[], ${col(newThreads, (t) => t.s.threadIndex)}::bytea[], ${col(newThreads, (t) => t.s.correspondent)}::bytea[],
          ${col(newThreads, (t) => t.s.subject)}::bytea[], ${col(newThreads, (t) => t.s.receivedAt)}::timestamptz[])
        returning 1
      ), touched as (
        update contact_thread t set last_activity_at = greatest(t.last_activity_at, u.at)
        from unnest(${touched}::uuid[], ${touched.map((id) => touchedThreads.get(id)!)}::timestamptz[]) as u(id, at) where t.id = u.id
        returning 1
      ), new_contacts as (
        insert into contact (id, hotline_id, thread_id, access_point_id, channel, direction, status, priority, received_at, sla_due_at, team, language, request_type, flags, updated_at)
        select id, hotline_id, thread_id, access_point_id, channel, 'inbound', 'waiting', priority, received_at, sla_due_at, team, language, request_type, flags::jsonb, ${now}::timestamptz
        from unnest(${col(newContacts, (c) => c.id)}::uuid[], ${col(newContacts, (c) => c.signal.signal.hotlineId)}::uuid[], ${col(newContacts, (c) => plan[c.index].threadId)}::uuid[],
          ${col(newContacts, (c) => c.signal.signal.accessPointId ?? null)}::uuid[], ${col(newContacts, (c) => c.signal.signal.channel)}::text[],
          ${col(newContacts, ({ signal: { signal } }) => priorityOf({ channel: signal.channel, requestType: signal.requestType, flags: signal.flags }))}::int[],
          ${col(newContacts, (c) => c.signal.receivedAt)}::timestamptz[],
          ${col(newContacts, ({ signal: { signal, receivedAt } }) => new Date(receivedAt.getTime() + slaTargetSeconds(slas.get(signal.hotlineId)!, signal.channel, signal.requestType ?? null) * 1000))}::timestamptz[],
          ${col(newContacts, (c) => c.signal.signal.team ?? null)}::text[], ${col(newContacts, (c) => c.signal.signal.language ?? null)}::text[],
          ${col(newContacts, (c) => c.signal.signal.requestType ?? null)}::text[], ${col(newContacts, (c) => JSON.stringify(c.signal.signal.flags ?? {}))}::text[])
          as x(id, hotline_id, thread_id, access_point_id, channel, priority, received_at, sla_due_at, team, language, request_type, flags)
        returning id, number
      ), messages as (
        insert into contact_message (id, hotline_id, thread_id, contact_id, direction, body, external_id, created_at)
        select id, hotline_id, thread_id, contact_id, 'inbound', body, external_id, created_at
        from unnest(${col(withMessage, (i) => messageIds[i])}::uuid[], ${col(withMessage, (i) => signals[i].signal.hotlineId)}::uuid[], ${col(withMessage, (i) => plan[i].threadId)}::uuid[],
          ${col(withMessage, (i) => plan[i].contactId)}::uuid[], ${col(withMessage, (i) => signals[i].body)}::bytea[], ${col(withMessage, (i) => signals[i].signal.externalId ?? null)}::text[],
          ${col(withMessage, (i) => signals[i].receivedAt)}::timestamptz[]) as x(id, hotline_id, thread_id, contact_id, body, external_id, created_at)
        returning 1
      ), audit as (
        insert into audit_log (chain, hotline_id, at, actor_id, actor_label, action, record_type, record_id, details, ip)
        select hotline_id::text, hotline_id, ${now}::timestamptz, null, actor_label, action, 'contact', record_id, details::jsonb, ip
        from unnest(${col(signals, (s) => s.signal.hotlineId)}::uuid[], ${col(signals, (s) => s.signal.source)}::text[], ${col(plan, (p) => (p.isNewContact ? 'contact.create' : 'contact.message_received'))}::text[],
          ${col(plan, (p) => p.contactId)}::text[], ${col(signals, (s) => JSON.stringify({ channel: s.signal.channel }))}::text[], ${col(signals, (s) => s.signal.ip ?? null)}::text[])
          as x(hotline_id, actor_label, action, record_id, details, ip)
        returning 1
      )
      select (select json_agg(json_build_object('id', id, 'number', number)) from new_contacts) as contacts,
        (select count(pg_notify(${LIVE_CHANNEL}, e)) from unnest(${events}::text[]) as e) as notified`.execute(tx);
    const numbers = new Map<string, number>((rows[0].contacts ?? []).map((c) => [c.id, Number(c.number)]));

    // A contact opened earlier in this batch has its number now; one found in the database had it already.
    const foundNumbers = new Map<string, number>();
    for (const f of found.values()) if (f.contactId && f.number !== null) foundNumbers.set(f.contactId, f.number);
    return signals.map((_, i) => ({
      contactId: plan[i].contactId,
      contactNumber: numbers.get(plan[i].contactId) ?? foundNumbers.get(plan[i].contactId)!,
      threadId: plan[i].threadId,
      messageId: messageIds[i],
      isNewContact: plan[i].isNewContact,
      isDuplicate: false,
    }));
  });
}
