import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/db.js';

export const INSTALL_CHAIN = 'install';
const GENESIS = Buffer.alloc(32);

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
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as any)[k])])) : v;
  return JSON.stringify(sort(value));
}

/**
 * Appends one entry to the hotline's chain. Call it with the transaction that does the audited read or write, so the
 * entry and the work commit or roll back together. The head row lock serialises writers of one chain.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<number> {
  const chain = entry.hotlineId ?? INSTALL_CHAIN;
  await sql`insert into audit_head (chain, seq, hash) values (${chain}, 0, ${GENESIS}) on conflict (chain) do nothing`.execute(tx);
  const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', chain).forUpdate().executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  // Microsecond precision, as PostgreSQL stores it, so the hash can be recomputed from the stored row.
  const at = new Date();
  const fields: ChainedFields = {
    chain,
    seq,
    hotlineId: entry.hotlineId,
    at: at.toISOString(),
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    recordType: entry.recordType ?? null,
    recordId: entry.recordId ?? null,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
    ip: entry.ip ?? null,
  };
  const hash = hashAuditRow(head.hash, fields);
  await tx
    .insertInto('audit_log')
    .values({
      chain,
      seq,
      hotline_id: fields.hotlineId,
      at,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      record_type: fields.recordType,
      record_id: fields.recordId,
      reason: fields.reason,
      details: fields.details === null ? null : JSON.stringify(fields.details),
      ip: fields.ip,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await tx.updateTable('audit_head').set({ seq, hash }).where('chain', '=', chain).execute();
  return seq;
}

export interface AuditProblem {
  chain: string;
  seq: number;
  kind: 'edited' | 'missing' | 'broken_link' | 'head_mismatch';
  message: string;
}

/** Re-computes every chain (or one hotline's) and names each edited, missing or re-linked row. */
export async function verifyAudit(db: Db, opts: { hotlineId?: string; onProgress?: (done: number, total: number) => void } = {}) {
  let headsQuery = db.selectFrom('audit_head').selectAll();
  if (opts.hotlineId) headsQuery = headsQuery.where('chain', '=', opts.hotlineId);
  const heads = await headsQuery.execute();
  const chainsInLog = await db.selectFrom('audit_log').select('chain').distinct().execute();
  const chains = new Set([...heads.map((h) => h.chain), ...chainsInLog.map((c) => c.chain).filter((c) => !opts.hotlineId || c === opts.hotlineId)]);
  const total = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).$if(!!opts.hotlineId, (q) => q.where('chain', '=', opts.hotlineId!)).executeTakeFirstOrThrow()).n);
  const problems: AuditProblem[] = [];
  let checked = 0;
  for (const chain of chains) {
    let prevHash: Buffer = GENESIS;
    let expectedSeq = 1;
    let lastSeq = 0;
    let lastHash: Buffer = GENESIS;
    // Stream the chain in pages to keep memory flat on large logs.
    for (let after = 0; ; ) {
      const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', chain).where('seq', '>', after).orderBy('seq').limit(5000).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) {
          for (let missing = expectedSeq; missing < seq; missing++) {
            problems.push({ chain, seq: missing, kind: 'missing', message: `audit row ${chain}#${missing} is missing (deleted)` });
          }
        }
        const fields: ChainedFields = {
          chain, seq, hotlineId: row.hotline_id, at: row.at.toISOString(), actorId: row.actor_id, actorLabel: row.actor_label,
          action: row.action, recordType: row.record_type, recordId: row.record_id, reason: row.reason, details: row.details, ip: row.ip,
        };
        if (seq === expectedSeq && !row.prev_hash.equals(prevHash)) {
          problems.push({ chain, seq, kind: 'broken_link', message: `audit row ${chain}#${seq} does not link to the row before it` });
        }
        const recomputed = hashAuditRow(row.prev_hash, fields);
        if (!recomputed.equals(row.hash)) {
          problems.push({ chain, seq, kind: 'edited', message: `audit row ${chain}#${seq} was edited after it was written (action ${row.action})` });
        }
        prevHash = row.hash;
        expectedSeq = seq + 1;
        lastSeq = seq;
        lastHash = row.hash;
        checked++;
        opts.onProgress?.(checked, total);
      }
      after = lastSeq;
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
  }
  return { ok: problems.length === 0, checked, problems };
}
