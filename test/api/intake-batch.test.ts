import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/server/audit/audit.js';
import { recordSignals } from '../../src/server/intake/intake.batch.js';
import { prepareSignal, recordInboundSignal, type InboundSignal } from '../../src/server/intake/intake.service.js';
import type { LiveEvent } from '../../src/server/queue/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Group commit (intake.batch.ts): signals written together must leave exactly the rows one-by-one writing leaves. */
let server: TestServer;
const events: LiveEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  server.ctx.live!.subscribe(server.hotline.id, (e) => events.push(e));
});
afterAll(() => server?.close());

const sid = () => `SM${randomBytes(16).toString('hex')}`;
const phone = () => `+1514${Math.floor(1000000 + Math.random() * 8999999)}`;
const sms = (from: string, body: string, externalId: string | null = sid()): InboundSignal => ({
  hotlineId: server.hotline.id, channel: 'sms', correspondent: { kind: 'phone', value: from }, externalId, body, source: 'twilio:sms', ip: '127.0.0.1',
});
const count = async (table: 'contact' | 'contact_thread' | 'contact_message', where: (qb: any) => any = (qb) => qb) =>
  Number((await where(server.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))).executeTakeFirstOrThrow()).n);

describe('one batch, one transaction', () => {
  it('threads new and known correspondents as one-by-one writing would, with one audit row and live event per signal', async () => {
    const known = phone();
    const closed = phone();
    const first = await recordInboundSignal(server.ctx, sms(known, 'earlier'));
    const old = await recordInboundSignal(server.ctx, sms(closed, 'earlier'));
    await server.db.updateTable('contact').set({ status: 'closed' }).where('id', '=', old.contactId).execute();
    const fresh = phone();
    const signals = [sms(fresh, 'one'), sms(known, 'later'), sms(fresh, 'two'), sms(closed, 'again'), sms(fresh, 'three'), { ...sms(phone(), 'x', null), correspondent: null }];
    const eventsBefore = events.length;
    const results = await recordSignals(server.ctx, await Promise.all(signals.map((s) => prepareSignal(server.ctx, s))));

    // The new correspondent: one thread, one contact, three messages; only the first opened the contact.
    expect(results[0].isNewContact).toBe(true);
    expect([results[2].contactId, results[4].contactId]).toEqual([results[0].contactId, results[0].contactId]);
    expect([results[2].isNewContact, results[4].isNewContact]).toEqual([false, false]);
    expect(await count('contact_message', (qb) => qb.where('contact_id', '=', results[0].contactId))).toBe(3);
    // A known correspondent with an open contact joins it; one whose contact is closed gets a new one on the same thread.
    expect(results[1]).toMatchObject({ contactId: first.contactId, threadId: first.threadId, isNewContact: false });
    expect(results[3]).toMatchObject({ threadId: old.threadId, isNewContact: true });
    expect(results[3].contactId).not.toBe(old.contactId);
    // Contact numbers are the stored ones.
    for (const r of results) {
      const row = await server.db.selectFrom('contact').select(['number', 'thread_id', 'status']).where('id', '=', r.contactId).executeTakeFirstOrThrow();
      expect([Number(row.number), row.thread_id, row.status]).toEqual([r.contactNumber, r.threadId, 'waiting']);
    }
    const audits = await server.db.selectFrom('audit_log').select(['action', 'record_id']).where('record_id', 'in', results.map((r) => r.contactId)).where('actor_label', '=', 'twilio:sms').execute();
    expect(audits.filter((a) => a.action === 'contact.create').map((a) => a.record_id).sort()).toEqual([first.contactId, results[0].contactId, results[3].contactId, results[5].contactId].sort()); // first: before the batch
    // PostgreSQL folds identical notifications of one transaction into one: consoles re-read, so one per change is enough.
    const expected = new Set(results.map((r) => `${r.isNewContact ? 'contact.created' : 'contact.message'} ${r.contactId}`));
    await expect.poll(() => new Set(events.slice(eventsBefore).map((e) => `${e.kind} ${e.contactId}`))).toEqual(expected);
  });

  it('answers a delivery stored before as a duplicate of the stored message when asked to look, and stores the rest', async () => {
    const stored = await recordInboundSignal(server.ctx, sms(phone(), 'original'));
    const externalId = (await server.db.selectFrom('contact_message').select('external_id').where('id', '=', stored.messageId!).executeTakeFirstOrThrow()).external_id;
    const bystander = phone();
    const prepared = await Promise.all([sms(bystander, 'innocent'), sms(phone(), 'retry', externalId)].map((s) => prepareSignal(server.ctx, s)));
    // Without the look-up (the batcher's first try) the unique index refuses the whole call, storing nothing.
    await expect(recordSignals(server.ctx, prepared)).rejects.toMatchObject({ code: '23505' });
    expect(await count('contact_thread', (qb) => qb.where('correspondent_index', '=', prepared[0].threadIndex!))).toBe(0);
    const [innocent, retry] = await recordSignals(server.ctx, prepared, { findRetries: true });
    expect(retry).toEqual({ ...stored, isNewContact: false, isDuplicate: true });
    expect(innocent).toMatchObject({ isNewContact: true, isDuplicate: false });
    expect(await count('contact_message', (qb) => qb.where('external_id', '=', externalId))).toBe(1);
    expect(await count('contact_thread', (qb) => qb.where('correspondent_index', '=', prepared[0].threadIndex!))).toBe(1);
  });

  it('stores nothing of a call that fails: one delivery twice in one call aborts the whole transaction', async () => {
    const externalId = sid();
    const prepared = await Promise.all([sms(phone(), 'innocent'), sms(phone(), 'one', externalId), sms(phone(), 'two', externalId)].map((s) => prepareSignal(server.ctx, s)));
    await expect(recordSignals(server.ctx, prepared)).rejects.toMatchObject({ code: '23505' });
    expect(await count('contact_thread', (qb) => qb.where('correspondent_index', '=', prepared[0].threadIndex!))).toBe(0);
    expect(await count('contact_message', (qb) => qb.where('external_id', '=', externalId))).toBe(0);
  });
});

describe('concurrent signals through the door', () => {
  it('stores every signal once under a burst with retries mixed in, and answers retries with the stored message', async () => {
    const senders = Array.from({ length: 25 }, phone);
    const signals = Array.from({ length: 300 }, (_, i) => sms(senders[i % senders.length], `burst ${i}`));
    // Twenty deliveries retried while the original is still in flight, five retries of messages already stored.
    const early = await Promise.all(signals.slice(0, 5).map((s) => recordInboundSignal(server.ctx, s)));
    const retries = [...signals.slice(5, 25), ...signals.slice(0, 5)].map((s) => ({ ...s }));
    const results = await Promise.all([...signals.slice(5), ...retries].map((s) => recordInboundSignal(server.ctx, s)));
    const all = [...early, ...results];

    const ids = signals.map((s) => s.externalId!);
    expect(await count('contact_message', (qb) => qb.where('external_id', 'in', ids))).toBe(300);
    const byExternal = new Map<string, string>();
    [...signals.slice(0, 5), ...signals.slice(5), ...retries].forEach((s, i) => {
      const messageId = all[i].messageId!;
      if (byExternal.has(s.externalId!)) expect(messageId).toBe(byExternal.get(s.externalId!));
      else byExternal.set(s.externalId!, messageId);
    });
    expect(all.filter((r) => r.isDuplicate)).toHaveLength(25);
    // One thread and one open contact per sender, every message on it.
    const openContacts = new Set(all.map((r) => r.contactId));
    expect(openContacts.size).toBe(25);
    expect(new Set(all.map((r) => r.threadId)).size).toBe(25);
    // The batch-written audit entries chain like any others: one per stored message, sealed and verifiable.
    const audited = await server.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', 'in', [...openContacts]).executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(300);
    const verified = await verifyAudit(server.db, { hotlineId: server.hotline.id });
    expect(verified.problems).toEqual([]);
  });
});
