import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

// Transfers carry the handing-over note: stored encrypted, shown to the receiver, kept on the contact, audited.

let server: TestServer;
let number: string;
let ana: TestUser;
let ben: TestUser;
let anaClient: ApiClient;
let benClient: ApiClient;
let supervisorClient: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  ana = await server.createUser({ roles: ['advocate'], displayName: 'Ana Transfer' });
  ben = await server.createUser({ roles: ['advocate'], displayName: 'Ben Receiver' });
  anaClient = await new ApiClient(server.app).signIn(ana);
  benClient = await new ApiClient(server.app).signIn(ben);
  supervisorClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

/** A new SMS contact, claimed by Ana. */
async function claimedByAna(text = 'I need help') {
  const sid = messageSid();
  const from = `+1514555${String(Math.floor(1000 + Math.random() * 8999))}`;
  expect((await postSms(server.url, { MessageSid: sid, AccountSid: 'AC' + '0'.repeat(32), From: from, To: number, Body: text, NumMedia: '0' })).status).toBe(200);
  const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
  expect((await anaClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
  return contactId;
}

const NOTE = 'Speaks only Tigrinya; afraid of her employer Marta Okafor, call back after 18:00';

describe('transfer to a colleague with a note', () => {
  it('stores the note encrypted, shows the receiver who sent it on the queue row and the note on the contact', async () => {
    const contactId = await claimedByAna();
    const transfer = await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: `  ${NOTE}  ` });
    expect(transfer.status).toBe(200);
    expect(transfer.body.transferId).toMatch(/^[0-9a-f-]{36}$/);

    const stored = await server.db.selectFrom('contact_transfer').selectAll().where('contact_id', '=', contactId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ hotline_id: server.hotline.id, from_user_id: ana.id, to_user_id: ben.id, to_role: null });
    expect(stored.note!.toString('latin1')).not.toContain('Tigrinya');
    expect(stored.note!.toString('latin1')).not.toContain('Okafor');

    const row = (await benClient.get('/api/queue')).body.items.find((i: { id: string }) => i.id === contactId);
    expect(row).toMatchObject({ status: 'in_progress', assignedTo: { id: ben.id }, transfer: { from: { id: ana.id, name: 'Ana Transfer' }, toUserId: ben.id, toRole: null, hasNote: true } });
    // The queue list carries no personal data: the note is read on the contact, where the read is audited.
    expect(JSON.stringify(row)).not.toContain('Tigrinya');

    const contact = (await benClient.get(`/api/contacts/${contactId}`)).body.contact;
    expect(contact.transfers).toHaveLength(1);
    expect(contact.transfers[0]).toMatchObject({ from: { id: ana.id, name: 'Ana Transfer' }, to: { id: ben.id, name: 'Ben Receiver' }, toRole: null, note: NOTE });
  });

  it('audits the transfer with who, to whom and whether there was a note, never the note text', async () => {
    const contactId = await claimedByAna();
    const transfer = await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: NOTE });
    const audit = await server.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'queue.transfer').where('record_id', '=', contactId).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(ana.id);
    expect(audit.details).toMatchObject({ to: ben.id, transferId: transfer.body.transferId, hasNote: true });
    expect(JSON.stringify(audit.details)).not.toContain('Tigrinya');
  });

  it('keeps every transfer on the contact history, newest first, and an empty note as none', async () => {
    const contactId = await claimedByAna();
    expect((await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: '   ' })).status).toBe(200);
    expect((await benClient.post(`/api/queue/${contactId}/transfer`, { toRole: 'supervisor', note: 'Needs a decision on a police report' })).status).toBe(200);
    const contact = (await supervisorClient.get(`/api/contacts/${contactId}`)).body.contact;
    expect(contact.transfers.map((t: { toRole: string | null; note: string | null }) => [t.toRole, t.note])).toEqual([
      ['supervisor', 'Needs a decision on a police report'],
      [null, null],
    ]);
    const row = (await supervisorClient.get('/api/queue')).body.items.find((i: { id: string }) => i.id === contactId);
    expect(row).toMatchObject({ status: 'waiting', team: 'supervisors', transfer: { from: { id: ben.id }, toRole: 'supervisor', hasNote: true } });
    const escalation = await server.db.selectFrom('audit_log').select('details').where('action', '=', 'queue.escalate').where('record_id', '=', contactId).executeTakeFirstOrThrow();
    expect(escalation.details).toMatchObject({ toRole: 'supervisor', hasNote: true });
  });

  it('drops the transfer mark from the queue row once someone else takes the contact', async () => {
    const contactId = await claimedByAna();
    expect((await anaClient.post(`/api/queue/${contactId}/transfer`, { toRole: 'supervisor', note: 'over to you' })).status).toBe(200);
    expect((await supervisorClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const row = (await supervisorClient.get('/api/queue')).body.items.find((i: { id: string }) => i.id === contactId);
    expect(row.transfer).toBeNull();
    expect((await supervisorClient.get(`/api/contacts/${contactId}`)).body.contact.transfers).toHaveLength(1);
  });

  it('refuses a note over 500 characters and a transfer by someone who does not hold the contact, storing nothing', async () => {
    const contactId = await claimedByAna();
    expect((await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: 'x'.repeat(501) })).status).toBe(400);
    expect((await benClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: 'mine now' })).status).toBe(403);
    const rows = await server.db.selectFrom('contact_transfer').select('id').where('contact_id', '=', contactId).execute();
    expect(rows).toHaveLength(0);
  });

  it('hides the transfers of another hotline: its contact is simply not found', async () => {
    const contactId = await claimedByAna();
    await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: NOTE });
    const other = await server.addHotline(`o${Date.now().toString(36)}`);
    const outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    expect((await outsider.get(`/api/contacts/${contactId}`)).status).toBe(404);
    expect((await outsider.post(`/api/queue/${contactId}/transfer`, { toRole: 'supervisor' })).status).toBe(404);
  });

  it('tells the receiver through the live feed, with ids only', async () => {
    const contactId = await claimedByAna();
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/live`, { headers: { cookie: benClient.cookie } });
    const events: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data));
        events.push(event);
        if (event.kind === 'hello') resolve();
      });
      ws.once('error', reject);
    });
    await anaClient.post(`/api/queue/${contactId}/transfer`, { toUserId: ben.id, note: NOTE });
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.contactId === contactId && e.toUserId === ben.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const event = events.find((e) => e.contactId === contactId && e.toUserId === ben.id);
    ws.close();
    expect(event).toMatchObject({ kind: 'queue.changed', status: 'in_progress', toUserId: ben.id });
    expect(JSON.stringify(event)).not.toContain('Tigrinya');
  });
});
