import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishConfig } from '../../src/server/config-store.js';
import { localTime } from '../../src/server/channels/hours.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addPhoneLine, callSid, postTwilio } from '../reliability/helpers.js';

let server: TestServer;
let line: { number: string; id: string };
let supervisor: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  line = await addPhoneLine(server, { languages: ['es', 'en', 'fr'], greetings: { es: 'Hola <Play>http://evil</Play> & bienvenida' } });
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

const incoming = (sid: string, from = '+15145550100', to = line.number) => ({
  CallSid: sid, AccountSid: 'AC' + '0'.repeat(32), From: from, To: to, CallStatus: 'ringing', ApiVersion: '2010-04-01', Direction: 'inbound', Caller: from, Called: to, FromCity: 'MONTREAL', FromCountry: 'CA',
});
const call = (sid: string, from?: string, to?: string) => postTwilio(server.url, '/api/webhooks/twilio/voice', incoming(sid, from, to));
const queueResult = (sid: string, result: string, queueTime?: number, to = line.number) =>
  postTwilio(server.url, '/api/webhooks/twilio/voice/queue-result', { CallSid: sid, To: to, From: '+15145550100', QueueResult: result, ...(queueTime !== undefined && { QueueTime: String(queueTime) }), QueueSid: 'QU' + '0'.repeat(32) });
const status = (sid: string, callStatus: string, extra: Record<string, string> = {}, to = line.number) =>
  postTwilio(server.url, '/api/webhooks/twilio/voice/status', { CallSid: sid, To: to, From: '+15145550100', CallStatus: callStatus, ...extra });

async function contactOf(sid: string) {
  return server.db.selectFrom('contact_message as m').innerJoin('contact as c', 'c.id', 'm.contact_id').select(['c.id', 'c.status', 'c.channel', 'c.answered_at', 'c.ended_at', 'c.request_type', 'c.version', 'c.received_at']).where('m.external_id', '=', sid).executeTakeFirstOrThrow();
}
const callRow = (sid: string) => server.db.selectFrom('voice_call').selectAll().where('call_sid', '=', sid).executeTakeFirstOrThrow();
const auditCount = async (contactId: string) => (await server.db.selectFrom('audit_log').select('id').where('record_id', '=', contactId).execute()).length;

describe('incoming calls', () => {
  it('refuses a wrong signature and an unknown number with 403, storing nothing', async () => {
    const sid = callSid();
    expect((await postTwilio(server.url, '/api/webhooks/twilio/voice', incoming(sid), { token: 'wrong' })).status).toBe(403);
    expect((await postTwilio(server.url, '/api/webhooks/twilio/voice', incoming(sid), { signature: 'AAAA' })).status).toBe(403);
    expect((await call(sid, '+15145550100', '+15550000000')).status).toBe(403);
    expect(await server.db.selectFrom('contact_message').select('id').where('external_id', '=', sid).execute()).toHaveLength(0);
  });

  it('stores the call as a waiting phone contact, greets in every language of the line and enqueues it', async () => {
    const sid = callSid();
    const response = await call(sid, '+1 (514) 555-0111');
    expect(response.status).toBe(200);
    expect(response.type).toContain('text/xml');
    const xml = response.text;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
    // The configured Spanish greeting, escaped (no markup can be injected), then the default English and French ones.
    expect(xml).toContain('<Say language="es-MX">Hola &lt;Play&gt;http://evil&lt;/Play&gt; &amp; bienvenida</Say>');
    expect(xml).toMatch(/<Say language="en-CA">Thank you for calling the hotline\./);
    expect(xml).toMatch(/<Say language="fr-CA">Merci d’appeler la ligne d’aide\./);
    expect(xml.indexOf('es-MX')).toBeLessThan(xml.indexOf('en-CA'));
    expect(xml).toContain(`<Enqueue action="${server.url}/api/webhooks/twilio/voice/queue-result" method="POST" waitUrl="${server.url}/api/webhooks/twilio/voice/wait" waitUrlMethod="POST">hotline-${server.hotline.slug}</Enqueue>`);
    const contact = await contactOf(sid);
    expect(contact).toMatchObject({ channel: 'phone', status: 'waiting' });
    const thread = await server.db.selectFrom('contact_thread as t').innerJoin('contact as c', 'c.thread_id', 't.id').select('t.correspondent').where('c.id', '=', contact.id).executeTakeFirstOrThrow();
    expect(thread.correspondent!.toString('latin1')).not.toContain('555');
    expect((await callRow(sid)).outcome).toBeNull();
  });

  it('is idempotent on CallSid: a retried webhook creates nothing twice and answers the same', async () => {
    const sid = callSid();
    const first = await call(sid);
    const retries = await Promise.all([1, 2, 3].map(() => call(sid)));
    expect(retries.map((r) => r.text)).toEqual([first.text, first.text, first.text]);
    expect(await server.db.selectFrom('contact_message').select('id').where('external_id', '=', sid).execute()).toHaveLength(1);
    expect(await server.db.selectFrom('voice_call').select('id').where('call_sid', '=', sid).execute()).toHaveLength(1);
  });

  it('does not thread anonymous callers together', async () => {
    const [a, b] = [callSid(), callSid()];
    await call(a, 'anonymous');
    await call(b, 'anonymous');
    expect((await contactOf(a)).id).not.toBe((await contactOf(b)).id);
  });

  it('plays the after-hours message outside opening hours, keeps the signal and closes its contact', async () => {
    const { day } = localTime(new Date(), 'America/Toronto');
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const other = days[(days.indexOf(day) + 3) % 7];
    const closedLine = await addPhoneLine(server, { languages: ['fr', 'en'], hours: [{ day: other, open: '09:00', close: '10:00' }], afterHoursMessage: { en: 'We are closed & will reopen soon.' } });
    const sid = callSid();
    const response = await call(sid, '+15145550122', closedLine.number);
    expect(response.status).toBe(200);
    expect(response.text).toContain('<Say language="fr-CA">Merci d’appeler la ligne d’aide. Nous sommes fermés en ce moment.');
    expect(response.text).toContain('<Say language="en-CA">We are closed &amp; will reopen soon.</Say><Hangup/></Response>');
    expect(response.text).not.toContain('Enqueue');
    expect((await contactOf(sid)).status).toBe('closed');
    expect(await callRow(sid)).toMatchObject({ outcome: 'after_hours', is_after_hours: true, closed_contact: true });
    // The end-of-call status later changes nothing about the outcome.
    expect((await status(sid, 'completed', { CallDuration: '12' }, closedLine.number)).status).toBe(204);
    expect(await callRow(sid)).toMatchObject({ outcome: 'after_hours', duration_seconds: 12, call_status: 'completed' });
  });

  it('serves hold messages on the wait URL', async () => {
    const response = await postTwilio(server.url, '/api/webhooks/twilio/voice/wait', { CallSid: callSid(), To: line.number, QueuePosition: '1', QueueTime: '10' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('<Say language="es-MX">Gracias por esperar.');
    expect(response.text).toContain('<Pause length="20"/>');
  });

  it('refuses malformed call parameters with 400 once the signature is valid', async () => {
    expect((await postTwilio(server.url, '/api/webhooks/twilio/voice', { ...incoming('CA123'), CallSid: 'CA123' })).status).toBe(400);
    expect((await queueResult(callSid(), 'exploded')).status).toBe(400);
    expect((await status(callSid(), 'completed', { CallDuration: '-4' })).status).toBe(400);
  });
});

describe('queue results and status callbacks', () => {
  it('records abandonment in the queue: closes the contact as a hang-up, once, however often Twilio retries', async () => {
    const sid = callSid();
    await call(sid, '+15145550201');
    const response = await queueResult(sid, 'hangup', 42);
    expect(response.status).toBe(200);
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const contact = await contactOf(sid);
    expect(contact).toMatchObject({ status: 'closed', request_type: 'hang_up' });
    expect(contact.ended_at).not.toBeNull();
    expect(await callRow(sid)).toMatchObject({ outcome: 'abandoned', queue_result: 'hangup', queue_seconds: 42, is_short_abandon: false, closed_contact: true });
    const audits = await auditCount(contact.id);
    await Promise.all([queueResult(sid, 'hangup', 42), queueResult(sid, 'hangup', 42)]);
    expect((await contactOf(sid)).version).toBe(contact.version);
    expect(await auditCount(contact.id)).toBe(audits);
    const live = await supervisor.get('/api/queue');
    expect(live.body.items.map((i: { id: string }) => i.id)).not.toContain(contact.id);
  });

  it('flags a short abandon by the hotline’s configured threshold (default 5 s)', async () => {
    const quick = callSid();
    await call(quick, '+15145550202');
    await queueResult(quick, 'hangup', 3);
    expect((await callRow(quick)).is_short_abandon).toBe(true);

    const other = await server.addHotline(`v${Date.now().toString(36)}`);
    await publishConfig(server.db, other.id, 'voice', { shortAbandonSeconds: 2 }, null);
    const otherLine = await addPhoneLine(server, {}, other.id);
    const sid = callSid();
    await call(sid, '+15145550203', otherLine.number);
    await queueResult(sid, 'hangup', 3, otherLine.number);
    expect(await callRow(sid)).toMatchObject({ outcome: 'abandoned', is_short_abandon: false });
  });

  it('records the answer time from the queue wait, and the duration from the status callback', async () => {
    const sid = callSid();
    await call(sid, '+15145550204');
    const before = await contactOf(sid);
    const bridged = await queueResult(sid, 'bridged', 17);
    expect(bridged.text).toContain('<Hangup/>');
    const after = await contactOf(sid);
    expect(after.status).toBe('waiting');
    expect(after.answered_at!.getTime() - before.received_at.getTime()).toBeGreaterThanOrEqual(0);
    expect(after.answered_at!.getTime() - before.received_at.getTime()).toBeLessThanOrEqual(17_000);
    await status(sid, 'in-progress', { SequenceNumber: '1' });
    await status(sid, 'completed', { CallDuration: '312', SequenceNumber: '2', Timestamp: new Date().toUTCString() });
    // A late, retried "in-progress" changes nothing.
    await status(sid, 'in-progress', { SequenceNumber: '1' });
    expect(await callRow(sid)).toMatchObject({ outcome: 'answered', call_status: 'completed', duration_seconds: 312, status_sequence: 2 });
    const calls = await supervisor.get(`/api/contacts/${after.id}/calls`);
    expect(calls.status).toBe(200);
    expect(calls.body.calls[0]).toMatchObject({ callSid: sid, outcome: 'answered', queueSeconds: 17, durationSeconds: 312, isShortAbandon: false });
  });

  it('infers abandonment when the call ends before any queue result, and a late "bridged" reopens the contact', async () => {
    const sid = callSid();
    await call(sid, '+15145550205');
    await status(sid, 'completed', { CallDuration: '2' });
    expect((await contactOf(sid)).status).toBe('closed');
    expect(await callRow(sid)).toMatchObject({ outcome: 'abandoned', is_short_abandon: true });
    await queueResult(sid, 'bridged', 1);
    expect((await contactOf(sid)).status).toBe('wrap_up');
    expect(await callRow(sid)).toMatchObject({ outcome: 'answered', closed_contact: false });
  });

  it('leaves a contact an advocate has taken alone when the caller hangs up', async () => {
    const sid = callSid();
    await call(sid, '+15145550206');
    const advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    const contact = await contactOf(sid);
    expect((await advocate.post(`/api/queue/${contact.id}/claim`)).status).toBe(200);
    await status(sid, 'completed', { CallDuration: '95' });
    expect((await contactOf(sid)).status).toBe('in_progress');
    expect((await callRow(sid)).outcome).toBe('answered');
  });

  it('keeps a call the queue could not take visible, and tells the caller', async () => {
    const sid = callSid();
    await call(sid, '+15145550207');
    const response = await queueResult(sid, 'queue-full', 0);
    expect(response.text).toContain('<Say language="en-CA">We are sorry, we cannot connect your call right now.');
    expect(response.text).toContain('<Hangup/>');
    expect((await contactOf(sid)).status).toBe('waiting');
    expect((await callRow(sid)).outcome).toBe('not_connected');
  });

  it('answers callbacks for an unknown call without creating anything', async () => {
    expect((await queueResult(callSid(), 'hangup', 3)).status).toBe(200);
    expect((await status(callSid(), 'completed')).status).toBe(204);
  });

  it('hides another hotline’s calls (404)', async () => {
    const sid = callSid();
    await call(sid, '+15145550208');
    const contact = await contactOf(sid);
    const other = await server.addHotline(`w${Date.now().toString(36)}`);
    const outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    expect((await outsider.get(`/api/contacts/${contact.id}/calls`)).status).toBe(404);
  });
});
