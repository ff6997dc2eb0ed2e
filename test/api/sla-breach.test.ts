import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { alertSlaBreaches } from '../../src/server/queue/sla-breach.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// A waiting contact past its answer target alerts the supervisors once: audit entry and live event, durable state.

let server: TestServer;
let number: string;
let supervisor: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

async function waitingContact() {
  const sid = messageSid();
  const from = `+1438555${String(Math.floor(1000 + Math.random() * 8999))}`;
  expect((await postSms(server.url, { MessageSid: sid, From: from, To: number, Body: 'help' })).status).toBe(200);
  const { contact_id: id } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
  return id;
}

describe('service-level breach alerts', () => {
  it('alerts once when a waiting contact passes its target, and not for one still in time or already answered', async () => {
    const late = await waitingContact();
    const inTime = await waitingContact();
    const answered = await waitingContact();
    const past = new Date(Date.now() - 60_000);
    await server.db.updateTable('contact').set({ sla_due_at: past }).where('id', 'in', [late, answered]).execute();
    await server.db.updateTable('contact').set({ status: 'in_progress' }).where('id', '=', answered).execute();

    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/live`, { headers: { cookie: supervisor.cookie } });
    const events: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data));
        events.push(event);
        if (event.kind === 'hello') resolve();
      });
      ws.once('error', reject);
    });

    const first = await alertSlaBreaches(server.db);
    expect(first.map((c) => c.id)).toContain(late);
    expect(first.map((c) => c.id)).not.toContain(inTime);
    expect(first.map((c) => c.id)).not.toContain(answered);
    // A second poll (or another server's) alerts nothing again.
    expect((await alertSlaBreaches(server.db)).map((c) => c.id)).not.toContain(late);

    const row = await server.db.selectFrom('contact').select(['sla_breached_at', 'status']).where('id', '=', late).executeTakeFirstOrThrow();
    expect(row.sla_breached_at).toBeInstanceOf(Date);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label', 'details']).where('record_id', '=', late).where('action', '=', 'queue.sla_breach').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_label: 'system:sla', details: { channel: 'sms' } });

    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.kind === 'queue.sla_breached' && e.contactId === late) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(events.filter((e) => e.kind === 'queue.sla_breached' && e.contactId === late)).toHaveLength(1);
    expect(events.some((e) => e.kind === 'queue.sla_breached' && e.contactId === inTime)).toBe(false);
  });

  it('shows the breach on the queue row as red for supervisors', async () => {
    const late = await waitingContact();
    await server.db.updateTable('contact').set({ sla_due_at: new Date(Date.now() - 1000) }).where('id', '=', late).execute();
    await alertSlaBreaches(server.db);
    const item = (await supervisor.get('/api/queue')).body.items.find((i: { id: string }) => i.id === late);
    expect(item.slaState).toBe('red');
  });
});
