import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { byteaArray } from '../db/binary-array.js';
import type { Db, DbOrTx } from '../db/db.js';

export const INSTALL_CHAIN = 'install';
const GENESIS = Buffer.alloc(32);
const SEAL_LOCK = 0x6361_7564; // advisory lock id: one sealer at a time across every server sharing the database

export interface AuditEntry {
  hotlineId: string | null;
  actorId: string | null;
  actorLabel: string;
  action: string;
  recordType?: string | null;
  recordId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
}

interface ChainedFields {
  chain: string;
  seq: number;
  hotlineId: string | null;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  recordType: string | null;
  recordId: string | null;
  reason: string | null;
  details: unknown;
  ip: string | null;
}

/** The hash covers every column and the previous row's hash, so editing, inserting or deleting a row breaks the chain. */
export function hashAuditRow(prevHash: Buffer, row: ChainedFields): Buffer {
  const canonical = JSON.stringify([
    row.chain, row.seq, row.hotlineId, row.at, row.actorId, row.actorLabel, row.action,
    row.recordType, row.recordId, row.reason, canonicalJson(row.details), row.ip,
  ]);
  return createHash('sha256').update(prevHash).update(canonical).digest();
}

/** JSON with sorted keys: jsonb does not keep key order, so the hash must not depend on it. */
function canonicalJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(value));
}

/**
 * Records one audit entry. Call it with the transaction that does the audited read or write, so the entry and the
 * work commit or roll back together. It takes no lock: chaining happens after commit, in `sealAudit`.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await auditInsert(tx, entry).execute();
}

/**
 * The insert of one audit entry as a query, so a read can carry its own audit in a data-modifying CTE: one statement,
 * one round trip, still atomic (`db.with('audit', (qb) => auditInsert(qb, entry)).selectFrom(...)`).
 */
export function auditInsert(qb: Pick<DbOrTx, 'insertInto'>, entry: AuditEntry) {
  return qb
    .insertInto('audit_log')
    .values({
      chain: entry.hotlineId ?? INSTALL_CHAIN,
      hotline_id: entry.hotlineId,
      at: new Date(),
      actor_id: entry.actorId,
      actor_label: entry.actorLabel,
      action: entry.action,
      record_type: entry.recordType ?? null,
      record_id: entry.recordId ?? null,
      reason: entry.reason ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      ip: entry.ip ?? null,
    })
    .returning('id');
}

const fieldsOf = (row: { chain: string; hotline_id: string | null; at: Date; actor_id: string | null; actor_label: string; action: string; record_type: string | null; record_id: string | null; reason: string | null; details: unknown; ip: string | null }, seq: number): ChainedFields => ({
  chain: row.chain, seq, hotlineId: row.hotline_id, at: row.at.toISOString(), actorId: row.actor_id, actorLabel: row.actor_label,
  action: row.action, recordType: row.record_type, recordId: row.record_id, reason: row.reason, details: row.details, ip: row.ip,
});

/**
 * Chains committed rows into their hotline's hash chain. Only rows written by transactions older than every running
 * one are sealed (their id of transaction is below the snapshot's xmin), so a transaction that commits later can never
 * need a place earlier in the chain. Safe to call from several servers at once: one seals, the others skip.
 */
export async function sealAudit(db: Db, { batch = 5000 } = {}): Promise<number> {
  let sealed = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as locked`.execute(tx);
      if (!rows[0].locked) return 0;
      const pending = await tx
        .selectFrom('audit_log')
        .selectAll()
        .where('hash', 'is', null)
        .where(sql<boolean>`tx < pg_snapshot_xmin(pg_current_snapshot())`)
        .orderBy('tx')
        .orderBy('id')
        .limit(batch)
        .execute();
      if (pending.length === 0) return 0;
      const chains = [...new Set(pending.map((r) => r.chain))];
      const heads = new Map((await tx.selectFrom('audit_head').selectAll().where('chain', 'in', chains).execute()).map((h) => [h.chain, { seq: Number(h.seq), hash: h.hash }]));
      const updates: { id: number; seq: number; prev: Buffer; hash: Buffer }[] = [];
      for (const row of pending) {
        const head = heads.get(row.chain) ?? { seq: 0, hash: GENESIS };
        const seq = head.seq + 1;
        const hash = hashAuditRow(head.hash, fieldsOf(row, seq));
        updates.push({ id: row.id, seq, prev: head.hash, hash });
        heads.set(row.chain, { seq, hash });
      }
      // One statement for the whole batch: sealing keeps up with thousands of entries a second.
      await sql`
        update audit_log as a set seq = u.seq, prev_hash = u.prev, hash = u.hash
        from unnest(${sql.val(updates.map((u) => u.id))}::bigint[], ${sql.val(updates.map((u) => u.seq))}::bigint[],
                    ${byteaArray(updates.map((u) => u.prev))}::bytea[], ${byteaArray(updates.map((u) => u.hash))}::bytea[]) as u(id, seq, prev, hash)
        where a.id = u.id`.execute(tx);
      for (const [chain, head] of heads) {
        await sql`insert into audit_head (chain, seq, hash) values (${chain}, ${head.seq}, ${head.hash})
                  on conflict (chain) do update set seq = excluded.seq, hash = excluded.hash`.execute(tx);
      }
      return pending.length;
    });
    sealed += n;
    if (n < batch) return sealed;
  }
}

/** Seals in the background every `intervalMs`; returns a stop function that performs a last seal. */
export function startAuditSealer(db: Db, onError: (error: unknown) => void, intervalMs = 250) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => sealAudit(db)).catch(onError);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await sealAudit(db).catch(onError);
  };
}

export interface AuditProblem {
  chain: string;
  seq: number;
  kind: 'edited' | 'missing' | 'broken_link' | 'head_mismatch' | 'unsealed';
  message: string;
}

const UNSEALED_GRACE_MS = 60_000;

/** Re-computes every chain (or one hotline's) and names each edited, missing or re-linked row. */
export async function verifyAudit(db: Db, opts: { hotlineId?: string; onProgress?: (done: number, total: number) => void } = {}) {
  await sealAudit(db);
  // One snapshot for the heads and the rows: the sealer (running on any server meanwhile) moves a head and seals its
  // rows in one transaction, so reading them at different moments reported a sound chain as "head does not match".
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute((tx) => verifyInSnapshot(tx, opts));
}

async function verifyInSnapshot(db: DbOrTx, opts: { hotlineId?: string; onProgress?: (done: number, total: number) => void }) {
  let headsQuery = db.selectFrom('audit_head').selectAll();
  if (opts.hotlineId) headsQuery = headsQuery.where('chain', '=', opts.hotlineId);
  const heads = await headsQuery.execute();
  const chainsInLog = await db.selectFrom('audit_log').select('chain').distinct().$if(!!opts.hotlineId, (q) => q.where('chain', '=', opts.hotlineId!)).execute();
  const chains = new Set([...heads.map((h) => h.chain), ...chainsInLog.map((c) => c.chain)]);
  const { n: total } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', 'is not', null)
    .$if(!!opts.hotlineId, (q) => q.where('chain', '=', opts.hotlineId!))
    .executeTakeFirstOrThrow();
  const problems: AuditProblem[] = [];
  let checked = 0;
  for (const chain of chains) {
    let prevHash: Buffer = GENESIS;
    let expectedSeq = 1;
    let lastSeq = 0;
    let lastHash: Buffer = GENESIS;
    // Stream the chain in pages to keep memory flat on large logs.
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', chain).where('seq', '>', lastSeq).orderBy('seq').limit(5000).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        for (let missing = expectedSeq; missing < seq; missing++) {
          problems.push({ chain, seq: missing, kind: 'missing', message: `audit row ${chain}#${missing} is missing (deleted)` });
        }
        if (seq === expectedSeq && !row.prev_hash!.equals(prevHash)) {
          problems.push({ chain, seq, kind: 'broken_link', message: `audit row ${chain}#${seq} does not link to the row before it` });
        }
        if (!hashAuditRow(row.prev_hash!, fieldsOf(row, seq)).equals(row.hash!)) {
          problems.push({ chain, seq, kind: 'edited', message: `audit row ${chain}#${seq} was edited after it was written (action ${row.action})` });
        }
        prevHash = row.hash!;
        expectedSeq = seq + 1;
        lastSeq = seq;
        lastHash = row.hash!;
        checked++;
        opts.onProgress?.(checked, total);
      }
    }
    const head = heads.find((h) => h.chain === chain);
    if (head && (Number(head.seq) !== lastSeq || !head.hash.equals(lastHash))) {
      const headSeq = Number(head.seq);
      if (headSeq > lastSeq) {
        for (let missing = lastSeq + 1; missing <= headSeq; missing++) {
          problems.push({ chain, seq: missing, kind: 'missing', message: `audit row ${chain}#${missing} is missing (deleted from the end of the chain)` });
        }
      } else {
        problems.push({ chain, seq: lastSeq, kind: 'head_mismatch', message: `the chain head of ${chain} does not match its last row #${lastSeq}` });
      }
    }
    const stale = await db
      .selectFrom('audit_log')
      .select(['id', 'action'])
      .where('chain', '=', chain)
      .where('hash', 'is', null)
      .where('at', '<', new Date(Date.now() - UNSEALED_GRACE_MS))
      .limit(100)
      .execute();
    for (const row of stale) {
      problems.push({ chain, seq: 0, kind: 'unsealed', message: `audit row id ${row.id} (${row.action}) has stayed unsealed for over a minute: a long transaction, or a row stripped of its seal` });
    }
  }
  return { ok: problems.length === 0, checked, problems };
}
