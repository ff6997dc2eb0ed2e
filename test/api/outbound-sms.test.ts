import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { messageSid, postSms, TWILIO_TOKEN } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';
import { ACCOUNT_SID, addReplyableSmsLine, postTwilio, randomNumber } from '../reliability/helpers.js';

/** A stand-in for api.twilio.com: checks basic auth and the form, answers from a script (default: 201 with a SID). */
class FakeTwilio {
  requests: { path: string; auth: string; form: URLSearchParams }[] = [];
  script: { status: number; body?: unknown }[] = [];
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => {
      const auth = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      this.requests.push({ path: req.url ?? '', auth, form: new URLSearchParams(data) });
      const expected = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
      res.setHeader('content-type', 'application/json');
      if (auth !== `${ACCOUNT_SID}:${TWILIO_TOKEN}` || req.url !== expected || req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        res.statusCode = 401;
        return res.end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
      }
      const next = this.script.shift() ?? { status: 201, body: { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' } };
      res.statusCode = next.status;
      res.end(JSON.stringify(next.body ?? {}));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

const fake = new FakeTwilio();
let server: TestServer;
let sms: { number: string; id: string };
let advocate: TestUser;
let advocateClient: ApiClient;
let supervisorClient: ApiClient;

beforeAll(async () => {
  await fake.start();
  process.env.CATALYST_TWILIO_API_BASE = fake.url;
  process.env.CATALYST_TWILIO_RETRY_BASE_MS = '40';
  server = await startTestServer();
  // Twilio calls back on the public URL; here that is the test server itself.
  server.ctx.config.publicUrl = server.url;
  sms = await addReplyableSmsLine(server);
  advocate = await server.createUser({ roles: ['advocate'] });
  advocateClient = await new ApiClient(server.app).signIn(advocate);
  supervisorClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(async () => {
  await server?.close();
  fake.server.close();
});
beforeEach(() => {
  fake.requests = [];
  fake.script = [];
});

async function inboundContact(from = randomNumber(), to = sms.number) {
  const sid = messageSid();
  expect((await postSms(server.url, { MessageSid: sid, AccountSid: ACCOUNT_SID, From: from, To: to, Body: 'ayuda por favor', NumMedia: '0' })).status).toBe(200);
  const { contact_id } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
  return { contactId: contact_id, from };
}

async function claimed() {
  const contact = await inboundContact();
  expect((await advocateClient.post(`/api/queue/${contact.contactId}/claim`)).status).toBe(200);
  return contact;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
const outboundState = (id: string) =>
  server.db.selectFrom('contact_message as m').innerJoin('outbound_message as o', 'o.message_id', 'm.id').select(['m.status', 'm.external_id', 'm.body', 'm.delivered_at', 'o.attempts', 'o.failure_reason', 'o.is_done']).where('m.id', '=', id).executeTakeFirstOrThrow();

describe('SMS replies from the console', () => {
  it('stores the reply encrypted and queued, then sends it through Twilio’s REST API after commit and stores the SID', async () => {
    const { contactId, from } = await claimed();
    const response = await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'Estamos aquí para ayudarle. ¿Está a salvo?' });
    expect(response.status).toBe(202);
    expect(response.body.message).toMatchObject({ contactId, direction: 'outbound', status: 'queued' });
    expect(JSON.stringify(response.body)).not.toContain('aquí');
    const state = await until(() => outboundState(response.body.message.id), (s) => s.status !== 'queued');
    expect(state).toMatchObject({ status: 'sent', attempts: 1, is_done: true, failure_reason: null });
    expect(state.external_id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(state.body!.toString('latin1')).not.toContain('aquí');
    expect(fake.requests).toHaveLength(1);
    const form = fake.requests[0].form;
    expect(Object.fromEntries(form)).toEqual({ To: from, From: sms.number, Body: 'Estamos aquí para ayudarle. ¿Está a salvo?', StatusCallback: `${server.url}/api/webhooks/twilio/message-status?m=${response.body.message.id}` });
    const read = (await advocateClient.get(`/api/contacts/${contactId}`)).body.contact;
    expect(read.messages.find((m: { id: string }) => m.id === response.body.message.id)).toMatchObject({ direction: 'outbound', status: 'sent', body: 'Estamos aquí para ayudarle. ¿Está a salvo?' });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label']).where('record_id', '=', contactId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.reply', 'contact.reply_sent']));
  });

  it('retries 5xx and 429 with backoff, then sends', async () => {
    const { contactId } = await claimed();
    fake.script = [{ status: 503, body: { code: 20500, message: 'Internal' } }, { status: 429, body: { code: 20429, message: 'Too many' } }];
    const response = await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'retry me' });
    const state = await until(() => outboundState(response.body.message.id), (s) => s.is_done);
    expect(state).toMatchObject({ status: 'sent', attempts: 3, failure_reason: null });
    expect(fake.requests).toHaveLength(3);
  });

  it('fails at once with Twilio’s reason code on a 4xx (no retry)', async () => {
    const { contactId } = await claimed();
    fake.script = [{ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } }];
    const response = await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'will fail' });
    const state = await until(() => outboundState(response.body.message.id), (s) => s.is_done);
    expect(state).toMatchObject({ status: 'failed', attempts: 1, failure_reason: 'twilio_21211' });
    expect(fake.requests).toHaveLength(1);
    const list = await advocateClient.get(`/api/contacts/${contactId}/outbound-messages`);
    expect(list.body.items[0]).toMatchObject({ status: 'failed', failureReason: 'twilio_21211', attempts: 1 });
  });

  it('gives up after the last retry when Twilio cannot be reached, with a reason', async () => {
    const { contactId } = await claimed();
    process.env.CATALYST_TWILIO_API_BASE = 'http://127.0.0.1:9'; // nothing listens on the discard port
    try {
      const response = await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'nobody home' });
      const state = await until(() => outboundState(response.body.message.id), (s) => s.is_done, 10_000);
      expect(state).toMatchObject({ status: 'failed', attempts: 6, failure_reason: 'retries_exhausted:network' });
    } finally {
      process.env.CATALYST_TWILIO_API_BASE = fake.url;
    }
  });

  it('sends a reply left queued by a crashed server on the next sweep', async () => {
    const { contactId } = await claimed();
    const thread = await server.db.selectFrom('contact').select('thread_id').where('id', '=', contactId).executeTakeFirstOrThrow();
    const body = await server.ctx.keys.encrypt(server.hotline.id, 'contact_message.body', 'left behind');
    const message = await server.db.insertInto('contact_message').values({ hotline_id: server.hotline.id, thread_id: thread.thread_id, contact_id: contactId, direction: 'outbound', body, author_id: advocate.id, external_id: null, status: 'queued', delivered_at: null }).returning('id').executeTakeFirstOrThrow();
    // As if a sender had claimed it and died: the lease has run out.
    await server.db.insertInto('outbound_message').values({ message_id: message.id, hotline_id: server.hotline.id, access_point_id: sms.id, attempts: 1, locked_until: new Date(Date.now() - 1000), next_attempt_at: new Date(), updated_at: new Date() }).execute();
    const state = await until(() => outboundState(message.id), (s) => s.is_done, 12_000);
    expect(state).toMatchObject({ status: 'sent', attempts: 2 });
  }, 20_000);

  it('replies on WhatsApp with whatsapp: addresses', async () => {
    const wa = await addReplyableSmsLine(server, server.hotline.id, randomNumber(), 'whatsapp');
    const from = randomNumber();
    const sid = messageSid();
    await postSms(server.url, { MessageSid: sid, From: `whatsapp:${from}`, To: `whatsapp:${wa.number}`, Body: 'hola' });
    const { contact_id } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    const response = await supervisorClient.post(`/api/contacts/${contact_id}/sms-reply`, { body: 'hola' });
    expect(response.status).toBe(202);
    await until(() => outboundState(response.body.message.id), (s) => s.is_done);
    expect(fake.requests[0].form.get('To')).toBe(`whatsapp:${from}`);
    expect(fake.requests[0].form.get('From')).toBe(`whatsapp:${wa.number}`);
  });
});

describe('who may reply', () => {
  it('refuses an advocate who is not handling the contact, a QA reviewer, and another hotline', async () => {
    const { contactId } = await inboundContact();
    expect((await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'x' })).status).toBe(403);
    const qa = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['qa_reviewer'] }));
    expect((await qa.post(`/api/contacts/${contactId}/sms-reply`, { body: 'x' })).status).toBe(403);
    const other = await server.addHotline(`o${Date.now().toString(36)}`);
    const outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    expect((await outsider.post(`/api/contacts/${contactId}/sms-reply`, { body: 'x' })).status).toBe(404);
    expect(await server.db.selectFrom('contact_message').select('id').where('contact_id', '=', contactId).where('direction', '=', 'outbound').execute()).toHaveLength(0);
  });

  it('refuses contacts that did not come by SMS or WhatsApp, lines without a Twilio account, and empty bodies', async () => {
    const { contactId } = await claimed();
    expect((await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: '   ' })).status).toBe(400);
    expect((await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'x'.repeat(1601) })).status).toBe(400);
    const plain = await server.db.insertInto('access_point').values({ hotline_id: server.hotline.id, channel: 'sms', name: 'no account', address: randomNumber(), settings: '{}', secret: await server.ctx.keys.encrypt(server.hotline.id, 'access_point.secret', TWILIO_TOKEN), secret_hint: null, updated_at: new Date() }).returning(['id', 'address']).executeTakeFirstOrThrow();
    const noAccount = await inboundContact(randomNumber(), plain.address);
    const refused = await supervisorClient.post(`/api/contacts/${noAccount.contactId}/sms-reply`, { body: 'x' });
    expect(refused.status).toBe(409);
    const phone = await server.db.updateTable('contact').set({ channel: 'phone' }).where('id', '=', noAccount.contactId).returning('id').executeTakeFirstOrThrow();
    expect((await supervisorClient.post(`/api/contacts/${phone.id}/sms-reply`, { body: 'x' })).status).toBe(409);
  });
});

describe('delivery status callbacks', () => {
  async function sent() {
    const { contactId } = await claimed();
    const response = await advocateClient.post(`/api/contacts/${contactId}/sms-reply`, { body: 'status' });
    const state = await until(() => outboundState(response.body.message.id), (s) => s.is_done);
    return { id: response.body.message.id as string, sid: state.external_id! };
  }
  const callback = (m: string | null, params: Record<string, string>, opts?: { token?: string }) =>
    postTwilio(server.url, `/api/webhooks/twilio/message-status${m ? `?m=${m}` : ''}`, { AccountSid: ACCOUNT_SID, From: sms.number, To: '+15145550000', ...params }, opts);

  it('moves a reply forward to delivered, and a late or retried "sent" does not move it back', async () => {
    const { id, sid } = await sent();
    expect((await callback(id, { MessageSid: sid, MessageStatus: 'delivered' })).status).toBe(204);
    expect((await callback(id, { MessageSid: sid, MessageStatus: 'sent' })).status).toBe(204);
    expect((await callback(null, { MessageSid: sid, MessageStatus: 'delivered' })).status).toBe(204);
    const state = await outboundState(id);
    expect(state.status).toBe('delivered');
    expect(state.delivered_at).not.toBeNull();
    const audits = await server.db.selectFrom('audit_log').select('id').where('action', '=', 'contact.reply_status').where('details', '@>', JSON.stringify({ messageId: id }) as never).execute();
    expect(audits).toHaveLength(1);
  });

  it('records an undelivered message as failed with Twilio’s error code', async () => {
    const { id, sid } = await sent();
    await callback(null, { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(await outboundState(id)).toMatchObject({ status: 'failed', failure_reason: 'twilio_30003' });
  });

  it('refuses an unsigned or wrongly signed callback (403) and a callback for another message id', async () => {
    const { id, sid } = await sent();
    expect((await callback(id, { MessageSid: sid, MessageStatus: 'delivered' }, { token: 'nope' })).status).toBe(403);
    const other = await sent();
    await callback(other.id, { MessageSid: sid, MessageStatus: 'delivered' });
    expect((await outboundState(other.id)).status).toBe('sent');
    expect((await outboundState(id)).status).toBe('sent');
  });
});

describe('automatic replies of a line (opt-in)', () => {
  const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
  let admin: ApiClient;
  beforeAll(async () => {
    admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  });

  /** A replyable line with these settings, changed through the admin API (which also clears the server's cache). */
  async function lineWith(settings: Record<string, unknown>) {
    const line = await addReplyableSmsLine(server);
    const current = (await admin.get('/api/admin/access-points')).body.items.find((p: { id: string }) => p.id === line.id);
    expect((await admin.patch(`/api/admin/access-points/${line.id}`, { settings: { twilioAccountSid: ACCOUNT_SID, ...settings }, version: current.version })).status).toBe(200);
    return line;
  }
  const outboundOf = (contactId: string) => server.db.selectFrom('contact_message').select(['id', 'author_id', 'status']).where('contact_id', '=', contactId).where('direction', '=', 'outbound').execute();

  it('answers a new conversation with the greeting in each language that has one, once, as a message of the thread', async () => {
    const line = await lineWith({ languages: ['es', 'en'], greetings: { es: 'Gracias por escribir. Le responderemos pronto.', en: 'Thanks for writing. We will answer soon.' } });
    const from = randomNumber();
    const sid = messageSid();
    const params = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: from, To: line.number, Body: 'hola', NumMedia: '0' };
    expect((await postSms(server.url, params)).status).toBe(200);
    expect((await postSms(server.url, params)).status).toBe(200); // Twilio's retry: no second greeting
    expect((await postSms(server.url, { ...params, MessageSid: messageSid(), Body: 'sigo aquí' })).status).toBe(200); // same conversation
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    const sent = await until(() => outboundOf(contactId), (rows) => rows.length === 1 && rows[0].status === 'sent');
    expect(sent).toEqual([{ id: expect.any(String), author_id: null, status: 'sent' }]);
    expect(fake.requests.map((r) => Object.fromEntries(r.form))).toEqual([
      { To: from, From: line.number, Body: 'Gracias por escribir. Le responderemos pronto.\n\nThanks for writing. We will answer soon.', StatusCallback: `${server.url}/api/webhooks/twilio/message-status?m=${sent[0].id}` },
    ]);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_id', 'actor_label', 'details']).where('record_id', '=', contactId).where('action', '=', 'contact.auto_reply').execute();
    expect(audit).toEqual([{ action: 'contact.auto_reply', actor_id: null, actor_label: 'system:auto-reply', details: { channel: 'sms', kind: 'greeting', messageId: sent[0].id } }]);
  });

  it('sends the after-hours message outside the hours, and nothing at all when the line has no text', async () => {
    const { timezone } = await server.db.selectFrom('hotline').select('timezone').where('id', '=', server.hotline.id).executeTakeFirstOrThrow();
    const { localTime } = await import('../../src/server/channels/hours.js');
    const later = DAYS[(DAYS.indexOf(localTime(new Date(), timezone).day) + 3) % 7];
    const closed = await lineWith({ languages: ['fr'], hours: [{ day: later, open: '09:00', close: '17:00' }], greetings: { fr: 'Bonjour.' }, afterHoursMessage: { fr: 'Nous sommes fermés ; nous répondrons à l’ouverture.' } });
    const first = await inboundContact(randomNumber(), closed.number);
    const [reply] = await until(() => outboundOf(first.contactId), (rows) => rows.length === 1 && rows[0].status === 'sent');
    expect(fake.requests.map((r) => r.form.get('Body'))).toEqual(['Nous sommes fermés ; nous répondrons à l’ouverture.']);
    const audit = await server.db.selectFrom('audit_log').select('details').where('record_id', '=', first.contactId).where('action', '=', 'contact.auto_reply').executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ channel: 'sms', kind: 'after_hours', messageId: reply.id });
    // The message still waits in the queue for the morning.
    expect((await server.db.selectFrom('contact').select('status').where('id', '=', first.contactId).executeTakeFirstOrThrow()).status).toBe('waiting');

    fake.requests = [];
    const silent = await inboundContact(); // the line of the other tests: no greeting, no after-hours text
    expect(await outboundOf(silent.contactId)).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});
