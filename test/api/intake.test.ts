import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

let server: TestServer;
let number: string;
let advocate: TestUser;
let advocateClient: ApiClient;
let supervisorClient: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocate = await server.createUser({ roles: ['advocate'] });
  advocateClient = await new ApiClient(server.app).signIn(advocate);
  supervisorClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

const sms = (from: string, body: string, sid = messageSid()) => ({ MessageSid: sid, AccountSid: 'AC' + '0'.repeat(32), From: from, To: number, Body: body, NumMedia: '0' });

describe('SMS intake through the Twilio webhook', () => {
  it('refuses a wrong signature and an unknown number with 403, storing nothing', async () => {
    const before = await server.db.selectFrom('contact_message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await postSms(server.url, sms('+15145550101', 'hi'), { token: 'not-the-token' })).status).toBe(403);
    expect((await postSms(server.url, sms('+15145550101', 'hi'), { signature: 'AAAA' })).status).toBe(403);
    expect((await postSms(server.url, { ...sms('+15145550101', 'hi'), To: '+15550000000' })).status).toBe(403);
    const after = await server.db.selectFrom('contact_message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('stores a signed SMS as a waiting contact, encrypted, and answers TwiML', async () => {
    const response = await postSms(server.url, sms('+1 (514) 555-0102', 'Necesito ayuda, me quitaron el pasaporte'));
    expect(response.status).toBe(200);
    expect(response.text).toContain('<Response/>');
    const queue = await advocateClient.get('/api/queue');
    const item = queue.body.items.find((i: { channel: string; status: string }) => i.channel === 'sms' && i.status === 'waiting');
    expect(item).toBeTruthy();
    expect(item.slaState).toBe('ok');
    const stored = await server.db.selectFrom('contact_message').select('body').where('contact_id', '=', item.id).executeTakeFirstOrThrow();
    expect(stored.body!.toString('latin1')).not.toContain('pasaporte');
    const thread = await server.db.selectFrom('contact_thread').select('correspondent').executeTakeFirstOrThrow();
    expect(thread.correspondent!.toString('latin1')).not.toContain('555');
  });

  it('creates nothing twice when Twilio retries a delivery', async () => {
    const sid = messageSid();
    const first = await postSms(server.url, sms('+15145550103', 'first try', sid));
    const retries = await Promise.all([1, 2, 3].map(() => postSms(server.url, sms('+15145550103', 'first try', sid))));
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const rows = await server.db.selectFrom('contact_message').select('id').where('external_id', '=', sid).execute();
    expect(rows).toHaveLength(1);
  });

  it('threads a conversation: later texts from one number join its open contact', async () => {
    await postSms(server.url, sms('+15145550104', 'one'));
    await Promise.all([postSms(server.url, sms('+1 514 555 0104', 'two')), postSms(server.url, sms('+15145550104', 'three'))]);
    const threads = await server.db.selectFrom('contact_thread').select('id').execute();
    const contacts = await server.db.selectFrom('contact').select(['id', 'thread_id']).execute();
    const messages = await server.db.selectFrom('contact_message as m').innerJoin('contact as c', 'c.id', 'm.contact_id').select(['c.thread_id']).execute();
    const perThread = new Map<string, number>();
    for (const m of messages) perThread.set(m.thread_id, (perThread.get(m.thread_id) ?? 0) + 1);
    expect(Math.max(...perThread.values())).toBe(3);
    expect(contacts.length).toBe(threads.length);
  });

  it('refuses malformed webhook bodies with a 4xx, never a 5xx', async () => {
    const bad = await postSms(server.url, { ...sms('+15145550105', 'x'), MessageSid: 'not-a-sid' });
    expect(bad.status).toBe(400);
  });
});

describe('the live queue', () => {
  it('orders by priority then age, lets one advocate claim, refuses the second, releases and escalates', async () => {
    const other = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    await postSms(server.url, sms('+15145550201', 'queue test'));
    const queue = (await advocateClient.get('/api/queue')).body.items;
    const waiting = queue.filter((i: { status: string }) => i.status === 'waiting');
    for (let i = 1; i < waiting.length; i++) {
      const [a, b] = [waiting[i - 1], waiting[i]];
      expect(a.priority < b.priority || (a.priority === b.priority && a.receivedAt <= b.receivedAt)).toBe(true);
    }
    const target = waiting[0].id;
    const [one, two] = await Promise.all([advocateClient.post(`/api/queue/${target}/claim`), other.post(`/api/queue/${target}/claim`)]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const winner = one.status === 200 ? advocateClient : other;
    expect((await winner.post(`/api/queue/${target}/release`)).status).toBe(200);
    expect((await advocateClient.post(`/api/queue/${target}/claim`)).status).toBe(200);
    expect((await advocateClient.post(`/api/queue/${target}/transfer`, { toRole: 'supervisor' })).status).toBe(200);
    const after = (await supervisorClient.get('/api/queue')).body.items.find((i: { id: string }) => i.id === target);
    expect(after).toMatchObject({ status: 'waiting', priority: 0, team: 'supervisors' });
    const colleagues = await advocateClient.get('/api/queue/colleagues');
    expect(colleagues.body.items.length).toBeGreaterThanOrEqual(3);
    expect(colleagues.body.items[0]).toHaveProperty('availability');
    expect((await advocateClient.put('/api/me/availability', { availability: 'break' })).status).toBe(200);
    expect((await advocateClient.get('/api/auth/session')).body.user.availability).toBe('break');
    expect(after.amberAt < after.slaDueAt).toBe(true);
    const wall = await supervisorClient.get('/api/queue/wall');
    expect(wall.body.waiting).toBeGreaterThan(0);
    expect(wall.body.longestWaitSeconds).toBeGreaterThanOrEqual(0);
    expect((await advocateClient.get('/api/queue/wall')).status).toBe(403);
  });

  it('documents a contact with optimistic versions: a stale save gets 409 with the current record', async () => {
    const sid = messageSid();
    await postSms(server.url, sms('+15145550301', 'versions', sid));
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const read = (await advocateClient.get(`/api/contacts/${contactId}`)).body.contact;
    expect(read.messages.some((m: { body: string }) => m.body === 'versions')).toBe(true);
    const saved = await advocateClient.patch(`/api/contacts/${contactId}`, { version: read.version, requestType: 'crisis', flags: { minor: true }, summary: 'Menor, 16 años, en peligro' });
    expect(saved.status).toBe(200);
    expect(saved.body.contact).toMatchObject({ requestType: 'crisis', flags: { minor: true }, priority: 10, summary: 'Menor, 16 años, en peligro' });
    const stale = await supervisorClient.patch(`/api/contacts/${contactId}`, { version: read.version, summary: 'overwrite' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    expect(stale.body.error.current.summary).toBe('Menor, 16 años, en peligro');
    const stored = await server.db.selectFrom('contact').select('summary').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(stored.summary!.toString('latin1')).not.toContain('peligro');
    const closed = await advocateClient.post(`/api/contacts/${contactId}/close`, { version: saved.body.contact.version });
    expect(closed.body.contact.status).toBe('closed');
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', contactId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'queue.claim', 'contact.read', 'contact.update', 'contact.close']));
  });

  it('keeps restricted contacts from advocates who are not handling them', async () => {
    const sid = messageSid();
    await postSms(server.url, sms('+15145550401', 'restricted', sid));
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const read = (await advocateClient.get(`/api/contacts/${contactId}`)).body.contact;
    expect((await advocateClient.patch(`/api/contacts/${contactId}`, { version: read.version, sensitivity: 'restricted' })).status).toBe(200);
    const colleague = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    expect((await colleague.get(`/api/contacts/${contactId}`)).status).toBe(404);
    expect((await colleague.get('/api/queue')).body.items.map((i: { id: string }) => i.id)).not.toContain(contactId);
    expect((await supervisorClient.get(`/api/contacts/${contactId}`)).status).toBe(200);
    expect((await advocateClient.get(`/api/contacts/${contactId}`)).status).toBe(200);
  });

  it('hides one hotline’s contacts from another hotline (404)', async () => {
    await postSms(server.url, sms('+15145550501', 'isolation'));
    const someContact = await server.db.selectFrom('contact').select('id').executeTakeFirstOrThrow();
    const other = await server.addHotline('other-intake');
    const outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    expect((await outsider.get(`/api/contacts/${someContact.id}`)).status).toBe(404);
    expect((await outsider.post(`/api/queue/${someContact.id}/claim`)).status).toBe(404);
    expect((await outsider.get('/api/queue')).body.items).toEqual([]);
  });

  it('pushes a new contact to consoles on another server sharing the database, within a second', async () => {
    const sibling = await server.startSibling();
    const ws = new WebSocket(`${sibling.url.replace('http', 'ws')}/api/live`, { headers: { cookie: advocateClient.cookie } });
    const events: { kind: string; contactId?: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data));
        events.push(event);
        if (event.kind === 'hello') resolve();
      });
      ws.on('error', reject);
    });
    const sentAt = Date.now();
    await postSms(server.url, sms('+15145550601', 'live'));
    const created = await new Promise<{ contactId: string }>((resolve) => {
      const check = () => {
        const hit = events.find((e) => e.kind === 'contact.created');
        if (hit) resolve(hit as { contactId: string });
        else setTimeout(check, 5);
      };
      check();
    });
    expect(Date.now() - sentAt).toBeLessThan(1000);
    const seenFromSibling = await new ApiClient(sibling.app).signIn(await server.createUser({ roles: ['advocate'] }));
    expect((await seenFromSibling.get('/api/queue')).body.items.map((i: { id: string }) => i.id)).toContain(created.contactId);
    ws.close();
  });

  it('gives the next contact by routing: my language first', async () => {
    const spanish = await server.createUser({ roles: ['advocate'] });
    await server.db.updateTable('app_user').set({ languages: ['es'] }).where('id', '=', spanish.id).execute();
    const client = await new ApiClient(server.app).signIn(spanish);
    const sid = messageSid();
    await postSms(server.url, sms('+15145550701', 'hola', sid));
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    // Every other waiting contact is in English; this one is Spanish and newest, so only routing puts it first.
    await server.db.updateTable('contact').set({ language: 'en' }).where('status', '=', 'waiting').execute();
    await server.db.updateTable('contact').set({ language: 'es', priority: 99 }).where('id', '=', contactId).execute();
    expect((await client.post('/api/queue/next')).body.contactId).toBe(contactId);
  });

  it('refuses the live socket without a session', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`);
    const code = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
    });
    expect(code).toBe(401);
  });
});
