import { sql } from 'kysely';
import { byteaArray } from '../db/binary-array.js';
import { DEFAULT_SLA, slaConfigSchema, slaTargetSeconds, type SlaConfig } from '../../shared/sla.js';
import { publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
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

/**
 * Tunables, measured with bench/intake.bench.ts (docs/intake-throughput.md): with two calls in flight the batches
 * were half as big, so twice the calls, and PostgreSQL spent 15–25 points more CPU for a worse tail.
 */
export const BATCH_LIMITS = { maxSignals: 250, maxInFlight: 1 };

/**
 * Group commit for the intake door. Signals that arrive while earlier batches are being recorded wait (no timer: a
 * lone signal goes at once) and are then recorded together by one call of `recordSignals` — one round trip and one
 * commit (one WAL flush) for the whole batch instead of per signal. Every caller's promise settles only after its
 * batch commits, so a channel still acknowledges only what is in the database. A batch holding a retry of a stored
 * delivery is refused whole by the unique index and goes again once, looking for retries. If a batch fails otherwise
 * (a deadlock, a lost connection), nothing of it is stored and each of its signals is recorded again on its own.
 */
export class IntakeBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private ctx: AppContext) {}

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
      results = unique.length === 1 ? [await recordAlone(this.ctx, unique[0].prepared)] : await recordWithRetries(this.ctx, unique.map((p) => p.prepared));
    } catch (error) {
      if (unique.length === 1) {
        for (const p of batch) p.reject(error);
        return;
      }
      this.ctx.log.debug({ err: error, size: unique.length }, 'intake batch failed; recording its signals one by one');
      await Promise.all(batch.map((p) => recordAlone(this.ctx, p.prepared).then(p.resolve, p.reject)));
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

/** Unique-index refusal: a delivery in the call was stored before (a provider's retry). */
const isRetryRefused = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * A batch, first without looking for retries (the common case, and the look-up is not free); if the unique index
 * refuses it, nothing was stored and the same batch goes again once with the look-up, which answers the retries.
 */
async function recordWithRetries(ctx: AppContext, signals: PreparedSignal[]): Promise<RecordedSignal[]> {
  try {
    return await recordSignals(ctx, signals);
  } catch (error) {
    if (!isRetryRefused(error)) throw error;
    return recordSignals(ctx, signals, { findRetries: true });
  }
}

/** One signal on its own: the same call, and the answer to a retry of a stored delivery. */
async function recordAlone(ctx: AppContext, prepared: PreparedSignal): Promise<RecordedSignal> {
  try {
    return (await recordSignals(ctx, [prepared]))[0];
  } catch (error) {
    // A retry of a stored delivery (or two deliveries of one message without a thread key, which no lock serialises):
    // the unique index refused it; it is stored, once.
    const { externalId, hotlineId } = prepared.signal;
    if (externalId && isRetryRefused(error)) {
      const existing = await findByExternalId(ctx, hotlineId, externalId);
      if (existing) return existing;
    }
    throw error;
  }
}

async function findByExternalId(ctx: AppContext, hotlineId: string, externalId: string): Promise<RecordedSignal | null> {
  const row = await ctx.db
    .selectFrom('contact_message as m')
    .innerJoin('contact as c', 'c.id', 'm.contact_id')
    .select(['m.id', 'm.thread_id', 'c.id as contact_id', 'c.number'])
    .where('m.hotline_id', '=', hotlineId)
    .where('m.external_id', '=', externalId)
    .executeTakeFirst();
  return row ? { contactId: row.contact_id, contactNumber: Number(row.number), threadId: row.thread_id, messageId: row.id, isNewContact: false, isDuplicate: true } : null;
}

const batchers = new WeakMap<AppContext, IntakeBatcher>();

export function batcherFor(ctx: AppContext): IntakeBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new IntakeBatcher(ctx)));
  return batcher;
}

/** Service-level targets change rarely: intake re-reads them at most once a second per hotline (at once after a publish here). */
const SLA_CACHE_MS = 1_000;
const slaCache = new WeakMap<AppContext, Map<string, { at: number; value: SlaConfig }>>();
async function slaOf(ctx: AppContext, hotlineId: string): Promise<SlaConfig> {
  let cache = slaCache.get(ctx);
  if (!cache) slaCache.set(ctx, (cache = new Map()));
  const hit = cache.get(hotlineId);
  if (hit && Date.now() - hit.at < SLA_CACHE_MS) return hit.value;
  const value = (await publishedConfig(ctx.db, hotlineId, 'sla', slaConfigSchema, DEFAULT_SLA)).data;
  cache.set(hotlineId, { at: Date.now(), value });
  return value;
}

/** After a new service-level configuration is published through this server: the next signal uses it. */
export function forgetSlaTargets(ctx: AppContext, hotlineId: string) {
  slaCache.get(ctx)?.delete(hotlineId);
}


/**
 * Records signals in ONE call of the database function `intake_record_signals` (migration 0032), which PostgreSQL runs
 * as one transaction: thread locks, look-ups of threads and open contacts, new threads and contacts, messages, audit
 * entries and live events — one round trip whatever the number of signals. Results are in the order of `signals`.
 * A delivery stored before (a provider's retry) makes the unique index refuse the whole call (code 23505, nothing
 * stored) unless `findRetries` is set: then it comes back as a duplicate of the stored message.
 */
export async function recordSignals(ctx: AppContext, signals: PreparedSignal[], options: { findRetries?: boolean } = {}): Promise<RecordedSignal[]> {
  const slas = new Map<string, SlaConfig>();
  for (const hotlineId of new Set(signals.map((s) => s.signal.hotlineId))) slas.set(hotlineId, await slaOf(ctx, hotlineId));
  const col = <T>(pick: (prepared: PreparedSignal, signal: InboundSignal) => T) => signals.map((p) => pick(p, p.signal));
  const { rows } = await sql<{ ord: number; thread_id: string; contact_id: string; contact_number: string; message_id: string | null; is_new_contact: boolean; is_duplicate: boolean }>`
    select * from intake_record_signals(
      ${col((_, s) => s.hotlineId)}::uuid[], ${col((_, s) => s.channel)}::text[], ${col((_, s) => s.accessPointId ?? null)}::uuid[],
      ${byteaArray(col((p) => p.threadIndex))}::bytea[], ${byteaArray(col((p) => p.correspondent))}::bytea[], ${byteaArray(col((p) => p.subject))}::bytea[],
      ${col((p) => p.receivedAt.toISOString())}::timestamptz[], ${byteaArray(col((p) => p.body))}::bytea[], ${col((_, s) => s.externalId ?? null)}::text[],
      ${col((_, s) => priorityOf({ channel: s.channel, requestType: s.requestType, flags: s.flags }))}::int[],
      ${col((p, s) => new Date(p.receivedAt.getTime() + slaTargetSeconds(slas.get(s.hotlineId)!, s.channel, s.requestType ?? null) * 1000).toISOString())}::timestamptz[],
      ${col((_, s) => s.team ?? null)}::text[], ${col((_, s) => s.language ?? null)}::text[], ${col((_, s) => s.requestType ?? null)}::text[],
      ${col((_, s) => JSON.stringify(s.flags ?? {}))}::jsonb[], ${col((_, s) => s.source)}::text[], ${col((_, s) => s.ip ?? null)}::text[],
      ${LIVE_CHANNEL}, ${options.findRetries ?? false})`.execute(ctx.db);
  return rows.map((row) => ({
    contactId: row.contact_id,
    contactNumber: Number(row.contact_number),
    threadId: row.thread_id,
    messageId: row.message_id,
    isNewContact: row.is_new_contact,
    isDuplicate: row.is_duplicate,
  }));
}
