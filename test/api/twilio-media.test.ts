import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectMediaType, mediaOf } from '../../src/server/channels/twilio/media.js';
import { messageText } from '../../src/server/channels/twilio/twilio.routes.js';
import { ApiClient } from '../helpers/client.js';
import { messageSid, postSms, TWILIO_TOKEN } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ACCOUNT_SID, addReplyableSmsLine, randomNumber } from '../reliability/helpers.js';

/**
 * Photos and voice notes by MMS / WhatsApp (issue 3: nothing the person sends may be lost): the webhook names the
 * files, Catalyst stores their addresses before answering 200, then fetches them with the line's credentials from a
 * stand-in for api.twilio.com (which, like Twilio, redirects to where the bytes are) and keeps them encrypted.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const OGG = Buffer.concat([Buffer.from('OggS'), randomBytes(60)]);

class FakeMediaHost {
  requests: { method: string; path: string; auth: string }[] = [];
  /** Files whose deletion the host refuses (500). */
  undeletable = new Set<string>();
  /** Answers to give for a path before the real one, consumed in order. */
  failures = new Map<string, number[]>();
  files = new Map<string, Buffer>();
  server = http.createServer((req, res) => {
    const path = req.url ?? '';
    const auth = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    this.requests.push({ method: req.method ?? 'GET', path, auth });
    if (req.method === 'DELETE') {
      const name = path.split('/').pop()!.replace(/\.json$/, '');
      res.statusCode = auth !== `${ACCOUNT_SID}:${TWILIO_TOKEN}` ? 401 : this.undeletable.has(name) ? 500 : this.files.delete(name) ? 204 : 404;
      return res.end();
    }
    if (path.startsWith('/bytes/')) {
      // Where Twilio keeps the bytes: no credentials needed (and none must arrive: fetch drops them on redirect).
      const file = this.files.get(path.slice('/bytes/'.length));
      res.statusCode = file ? 200 : 404;
      return res.end(file ?? '');
    }
    const queued = this.failures.get(path);
    if (queued?.length) {
      res.statusCode = queued.shift()!;
      return res.end('{}');
    }
    if (auth !== `${ACCOUNT_SID}:${TWILIO_TOKEN}`) {
      res.statusCode = 401;
      return res.end('{}');
    }
    const name = path.split('/').pop()!;
    if (!this.files.has(name)) {
      res.statusCode = 404;
      return res.end('{}');
    }
    res.statusCode = 307;
    res.setHeader('location', `http://localhost:${(this.server.address() as AddressInfo).port}/bytes/${name}`);
    res.end();
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  mediaUrl(name: string) {
    return `${this.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${'0'.repeat(32)}/Media/${name}`;
  }
}

const host = new FakeMediaHost();
let server: TestServer;
let line: { number: string };
let supervisor: ApiClient;

beforeAll(async () => {
  await host.start();
  process.env.CATALYST_TWILIO_API_BASE = host.url;
  process.env.CATALYST_TWILIO_RETRY_BASE_MS = '30';
  server = await startTestServer();
  line = await addReplyableSmsLine(server);
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(async () => {
  await server?.close();
  host.server.close();
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
const mmsSid = () => `MM${randomBytes(16).toString('hex')}`;
const jobsOf = (messageId: string) =>
  server.db.selectFrom('media_fetch').select(['position', 'is_done', 'failure_reason', 'attachment_id', 'attempts', 'provider_deleted_at', 'provider_delete_failure']).where('message_id', '=', messageId).orderBy('position').execute();

describe('media of MMS and WhatsApp messages', () => {
  it('stores the files of a message, fetched with the line’s credentials, encrypted, once — even when Twilio retries the webhook', async () => {
    host.files.set('ME1', PNG);
    host.files.set('ME2', OGG);
    host.failures.set(new URL(host.mediaUrl('ME2')).pathname, [503]); // not ready at first: retried
    host.undeletable.add('ME2');
    const sid = mmsSid();
    const params = {
      MessageSid: sid, AccountSid: ACCOUNT_SID, From: randomNumber(), To: line.number, Body: '', NumMedia: '2',
      MediaUrl0: host.mediaUrl('ME1'), MediaContentType0: 'image/png', MediaUrl1: host.mediaUrl('ME2'), MediaContentType1: 'audio/ogg',
    };
    expect((await postSms(server.url, params)).status).toBe(200);
    expect((await postSms(server.url, params)).status).toBe(200); // Twilio's retry
    const { id: messageId, contact_id: contactId } = await server.db.selectFrom('contact_message').select(['id', 'contact_id']).where('external_id', '=', sid).executeTakeFirstOrThrow();
    const jobs = await until(() => jobsOf(messageId), (rows) => rows.length === 2 && rows.every((r) => r.is_done && (r.provider_deleted_at || r.provider_delete_failure)));
    expect(jobs.map((j) => [j.position, j.is_done, j.failure_reason, j.attachment_id !== null])).toEqual([[0, true, null, true], [1, true, null, true]]);
    // Kept here, deleted at the provider (with the line's credentials); a refused deletion is recorded.
    expect(jobs.map((j) => [j.provider_deleted_at !== null, j.provider_delete_failure])).toEqual([[true, null], [false, 'http_500']]);
    expect(host.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path.split('/').pop(), r.auth])).toEqual(expect.arrayContaining([['ME1.json', `${ACCOUNT_SID}:${TWILIO_TOKEN}`], ['ME2.json', `${ACCOUNT_SID}:${TWILIO_TOKEN}`]]));
    expect(host.files.has('ME1')).toBe(false);
    expect(jobs[1].attempts).toBe(2);

    const read = await supervisor.get(`/api/contacts/${contactId}`);
    const withFiles = read.body.contact.messages.find((m: { id: string }) => m.id === messageId);
    expect(withFiles).toMatchObject({ pendingFiles: 0, failedFiles: [] });
    const files = withFiles.attachments;
    expect(files.map((f: { filename: string; contentType: string; size: number }) => [f.filename, f.contentType, f.size])).toEqual([['sms-1.png', 'image/png', PNG.length], ['sms-2.ogg', 'audio/ogg', OGG.length]]);
    expect((await supervisor.get(files[0].url)).raw.rawPayload.equals(PNG)).toBe(true);
    // Encrypted at rest, the address too; credentials went to the API only, never to where the bytes are kept.
    const stored = await server.db.selectFrom('attachment').select('data').where('message_id', '=', messageId).execute();
    for (const s of stored) expect(s.data.includes(PNG.subarray(0, 12))).toBe(false);
    const urls = await server.db.selectFrom('media_fetch').select('url').where('message_id', '=', messageId).execute();
    for (const u of urls) expect(u.url.toString('latin1')).not.toContain('Media');
    expect(host.requests.filter((r) => r.path.startsWith('/bytes/')).every((r) => r.auth === '')).toBe(true);
    const audit = await server.db.selectFrom('audit_log').select('action').where('actor_label', '=', 'twilio:media').execute();
    expect(audit.filter((a) => a.action === 'attachment.create').length).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a file the provider does not have, says why, and never fetches an address elsewhere', async () => {
    const sid = mmsSid();
    expect((await postSms(server.url, {
      MessageSid: sid, AccountSid: ACCOUNT_SID, From: randomNumber(), To: line.number, Body: 'foto', NumMedia: '2',
      MediaUrl0: host.mediaUrl('MISSING'), MediaUrl1: 'http://127.0.0.1:9/elsewhere.png',
    })).status).toBe(200);
    const { id: messageId, contact_id: contactId } = await server.db.selectFrom('contact_message').select(['id', 'contact_id']).where('external_id', '=', sid).executeTakeFirstOrThrow();
    const jobs = await until(() => jobsOf(messageId), (rows) => rows.length === 1 && rows[0].is_done);
    expect(jobs).toEqual([expect.objectContaining({ position: 0, is_done: true, failure_reason: 'http_404', attachment_id: null, provider_deleted_at: null })]);
    const failed = await server.db.selectFrom('audit_log').select('details').where('record_id', '=', contactId).where('action', '=', 'attachment.fetch_failed').executeTakeFirstOrThrow();
    expect(failed.details).toEqual({ messageId, position: 0, reason: 'http_404' });
    expect(host.requests.some((r) => r.path.includes('elsewhere'))).toBe(false);
    // The advocate sees that a file existed and could not be had, so they can ask for it again.
    const read = await supervisor.get(`/api/contacts/${contactId}`);
    expect(read.body.contact.messages.find((m: { id: string }) => m.id === messageId)).toMatchObject({ body: 'foto', attachments: [], pendingFiles: 0, failedFiles: [{ reason: 'http_404' }] });
  });

  it('reads only Twilio’s own addresses from a webhook, and tells the kinds of file a phone sends by their bytes', () => {
    const base = 'https://api.twilio.com';
    expect(mediaOf({ NumMedia: '3', MediaUrl0: `${base}/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1`, MediaContentType0: 'image/jpeg', MediaUrl1: 'https://evil.example/x', MediaUrl2: 'not a url' }, base)).toEqual([
      { position: 0, url: `${base}/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1`, declaredType: 'image/jpeg' },
    ]);
    expect(mediaOf({ NumMedia: '-4' }, base)).toEqual([]);
    expect(mediaOf({ NumMedia: '1000', MediaUrl0: `${base}/a` }, base)).toHaveLength(1);
    expect(detectMediaType(PNG)).toEqual({ type: 'image/png', extension: 'png' });
    expect(detectMediaType(OGG)).toEqual({ type: 'audio/ogg', extension: 'ogg' });
    expect(detectMediaType(Buffer.from('....ftypisom'))).toEqual({ type: 'video/mp4', extension: 'mp4' });
    expect(detectMediaType(Buffer.from('#!AMR\n'))).toEqual({ type: 'audio/amr', extension: 'amr' });
    expect(detectMediaType(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toEqual({ type: 'application/octet-stream', extension: 'bin' });
  });

  it('keeps a location shared on WhatsApp with the message (encrypted), and only valid coordinates', async () => {
    const whatsapp = await addReplyableSmsLine(server, server.hotline.id, randomNumber(), 'whatsapp');
    const sid = messageSid();
    expect((await postSms(server.url, {
      MessageSid: sid, AccountSid: ACCOUNT_SID, From: `whatsapp:${randomNumber()}`, To: `whatsapp:${whatsapp.number}`, Body: '', NumMedia: '0',
      Latitude: '19.432608', Longitude: '-99.133209', Label: 'Hotel Sol', Address: 'Calle 5 de Mayo 12',
    })).status).toBe(200);
    const row = await server.db.selectFrom('contact_message').select(['body', 'contact_id']).where('external_id', '=', sid).executeTakeFirstOrThrow();
    expect(row.body!.toString('latin1')).not.toContain('Hotel');
    const read = await supervisor.get(`/api/contacts/${row.contact_id}`);
    expect(read.body.contact.channel).toBe('whatsapp');
    expect(read.body.contact.messages[0].body).toBe('📍 19.432608, -99.133209 — Hotel Sol, Calle 5 de Mayo 12');
    expect(messageText({ Body: 'aquí estoy', Latitude: '45.5', Longitude: '-73.56' })).toBe('aquí estoy\n📍 45.500000, -73.560000');
    expect(messageText({ Body: 'hola', Latitude: '91', Longitude: '0' })).toBe('hola');
    expect(messageText({ Body: 'hola', Latitude: 'x', Longitude: '1' })).toBe('hola');
    expect(messageText({ Body: 'hola' })).toBe('hola');
  });
});
