import net from 'node:net';
import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { signIntakeRequest } from '../../src/server/channels/api/signing.js';
import { visitorFrame } from '../../src/server/channels/chat/chat.protocol.js';
import { startSmtpListener, type SmtpListener } from '../../src/server/channels/email/smtp-listener.js';
import { WEBFORM_LIMITS } from '../../src/server/channels/webform/webform.limits.js';
import { issueFormToken } from '../../src/server/channels/webform/webform.secrets.js';
import { intakeContactBody } from '../../src/shared/api/intake-api.js';
import { ApiClient } from '../helpers/client.js';
import { TWILIO_TOKEN } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * 10,000+ generated bad inputs across every public intake door, on one server: the web tip form (form, multipart and
 * JSON posts, follow-ups), chat (the widget page, the visitor socket's handshake and frames, the advocates' REST
 * operations), Twilio SMS, WhatsApp and voice webhooks (signed and unsigned), the signed intake API, and SMTP (raw
 * commands and MIME). Every answer must be a clear refusal — HTTP 4xx with the error shape, a chat `error` frame, an
 * SMTP reply — never a 5xx, never a crash; nothing may be stored; and every door still works afterwards.
 */
let server: TestServer;
let smtp: SmtpListener;
let sms: string;
let whatsapp: string;
let phone: string;
let apiKey: { keyId: string; secret: string };
let advocate: ApiClient;
const BASE = 'http://fuzz.example.org';
const ORIGIN = 'https://partner.example.org';
const WIDGET = 'fuzzwidget';
const TIPS = 'tips@fuzz.example.org';
const tally = { total: 0, byKind: new Map<string, number>() };

beforeAll(async () => {
  WEBFORM_LIMITS.tipsPerHour = 1_000_000;
  WEBFORM_LIMITS.followUpsPer15Min = 1_000_000;
  WEBFORM_LIMITS.postsPerMinute = 1_000_000;
  server = await startTestServer();
  const { db, ctx, hotline } = server;
  const add = (channel: 'sms' | 'whatsapp' | 'phone' | 'webform' | 'chat' | 'email', address: string, settings: Record<string, unknown> = {}, secret?: string) =>
    createAccessPoint(db, ctx, hotline.id, { channel, name: channel, address, settings: settings as never, secret });
  sms = '+15550001111';
  whatsapp = '+15550002222';
  phone = '+15550003333';
  await add('sms', sms, {}, TWILIO_TOKEN);
  await add('whatsapp', whatsapp, {}, TWILIO_TOKEN);
  await add('phone', phone, {}, TWILIO_TOKEN);
  await add('webform', hotline.slug);
  await add('chat', WIDGET, { allowedOrigins: [ORIGIN] });
  await add('email', TIPS);
  smtp = await startSmtpListener(ctx, { port: 0, host: '127.0.0.1' });
  const admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  const created = await admin.post('/api/admin/api-keys', { name: 'fuzz', scopes: ['intake:write', 'intake:read-own'] });
  apiKey = { keyId: created.body.apiKey.keyId, secret: created.body.secret };
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
});
afterAll(async () => {
  await smtp?.close();
  await server?.close();
});

const stored = async () => Number((await server.db.selectFrom('contact_message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const count = (kind: string) => {
  tally.total++;
  tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + 1);
};

/** One HTTP request through the real app (no socket: fast); the answer must be a 4xx, with the error shape if JSON. */
async function expect4xx(kind: string, opts: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string | Buffer; remoteAddress?: string }) {
  const response = await server.app.inject({ method: opts.method, url: opts.url, headers: opts.headers, payload: opts.payload, remoteAddress: opts.remoteAddress ?? '10.9.8.7' });
  count(kind);
  const failure = JSON.stringify({ kind, url: opts.url, status: response.statusCode, body: response.body.slice(0, 200), payload: String(opts.payload ?? '').slice(0, 200) });
  expect(response.statusCode >= 400 && response.statusCode < 500, failure).toBe(true);
  if (String(response.headers['content-type'] ?? '').includes('json')) expect(typeof response.json().error?.code, failure).toBe('string');
}

const ip = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.${a}.${b}.1`);
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', 'null', '[]', '{}', '<script>alert(1)</script>', "' or 1=1 --", '%00', '\u0000', '\uFFFF', '../../etc/passwd', 'a'.repeat(5_000)),
);
const form = (fields: Record<string, string | undefined>) => new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();

describe('the web tip form', () => {
  /** At least one reason to refuse is always present, so a generated input can never be a valid tip. */
  const badField = fc.constantFrom('what-empty', 'what-long', 'phone', 'email', 'honeypot', 'no-token', 'junk-token', 'follow-up-token', 'expired', 'too-fast');
  const body = fc.constantFrom('form', 'multipart', 'torn-multipart', 'json', 'text', 'empty', 'bad-boundary');

  it('refuses 1,000 bad tips (form, multipart and JSON posts) with a 4xx and stores nothing', async () => {
    const before = await stored();
    const tokens = {
      valid: await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now() - 10_000),
      followUp: await issueFormToken(server.ctx.keys, server.hotline.id, 'follow-up', Date.now() - 10_000),
      expired: await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now() - 7 * 24 * 3600_000),
      fresh: await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now()),
    };
    await fc.assert(
      fc.asyncProperty(badField, body, fc.record({ what: junk, where: junk, when: junk, phone: junk, email: junk, danger: junk, lang: junk }), junk, fc.boolean(), ip, async (bad, kind, fields, noise, json, remoteAddress) => {
        const special: Record<string, string | undefined> = { 'no-token': undefined, 'junk-token': noise, 'follow-up-token': tokens.followUp, expired: tokens.expired, 'too-fast': tokens.fresh };
        // `in`, not `??`: "no-token" must send no token at all (a `??` fallback once turned it into a valid tip).
        const token = bad in special ? special[bad] : tokens.valid;
        const f: Record<string, string | undefined> = { ...fields, t: token, website: '' };
        if (bad === 'what-empty') f.what = ' ';
        if (bad === 'what-long') f.what = 'x'.repeat(20_001);
        if (bad === 'phone') f.phone = `abc${noise}`;
        if (bad === 'email') f.email = `no-at-sign${noise.replace(/@/g, '')}`;
        if (bad === 'honeypot') f.website = `http://spam.example/${noise}`;
        let payload: string | Buffer;
        let type: string;
        if (kind === 'form') [payload, type] = [form(f), 'application/x-www-form-urlencoded'];
        else if (kind === 'json') [payload, type] = [JSON.stringify(f), 'application/json'];
        else if (kind === 'text') [payload, type] = [noise, 'text/plain'];
        else if (kind === 'empty') [payload, type] = ['', 'application/x-www-form-urlencoded'];
        else {
          const parts = Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => `--B\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
          const file = `--B\r\nContent-Disposition: form-data; name="files"; filename="${noise.replace(/["\r\n]/g, '')}.exe"\r\nContent-Type: application/octet-stream\r\n\r\nMZ${noise}\r\n`;
          const whole = `${parts.join('')}${file}--B--\r\n`;
          payload = Buffer.from(kind === 'torn-multipart' ? whole.slice(0, Math.max(1, Math.floor(whole.length / 2))) : whole, 'utf8');
          type = kind === 'bad-boundary' ? 'multipart/form-data' : 'multipart/form-data; boundary=B';
        }
        await expect4xx('webform tip', { method: 'POST', url: `/tip/${server.hotline.slug}`, headers: { 'content-type': type, accept: json ? 'application/json' : 'text/html' }, payload, remoteAddress });
      }),
      { numRuns: 1000 },
    );
    // Forms that do not exist, in any language path.
    await fc.assert(fc.asyncProperty(junk, async (slug) => expect4xx('webform unknown', { method: 'POST', url: `/tip/${encodeURIComponent(slug || 'x')}x`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'what=hi' })), { numRuns: 100 });
    expect(await stored()).toBe(before);
  }, 60_000);

  it('refuses 400 bad follow-ups, including wrong codes and passphrases, with a 4xx', async () => {
    const valid = await issueFormToken(server.ctx.keys, server.hotline.id, 'follow-up', Date.now() - 10_000);
    const tip = await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now() - 10_000);
    const before = await stored();
    // A wrong code with a valid token costs a password hash (as a right code would): few of those, many cheap ones.
    const mode = fc.oneof({ arbitrary: fc.constantFrom('no-token', 'junk-token', 'tip-token', 'empty-text', 'long-text', 'no-code'), weight: 30 }, { arbitrary: fc.constant('wrong-code'), weight: 1 });
    await fc.assert(
      fc.asyncProperty(mode, fc.record({ code: junk, passphrase: junk, text: junk, danger: junk }), junk, ip, async (m, fields, noise, remoteAddress) => {
        const t = m === 'no-token' ? undefined : m === 'junk-token' ? noise : m === 'tip-token' ? tip : valid;
        const f: Record<string, string | undefined> = { ...fields, t, website: '' };
        if (m === 'empty-text') f.text = '  ';
        if (m === 'long-text') f.text = 'y'.repeat(20_001);
        if (m === 'no-code') f.code = '';
        if (m === 'wrong-code') [f.code, f.passphrase, f.text] = [`T-${noise.slice(0, 8)}`, 'wrong wrong wrong wrong', 'more'];
        await expect4xx('webform follow-up', { method: 'POST', url: `/tip/${server.hotline.slug}/follow-up`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: form(f), remoteAddress });
      }),
      { numRuns: 400 },
    );
    expect(await stored()).toBe(before);
  }, 60_000);
});

describe('Twilio webhooks', () => {
  const routes: { path: string; to: () => string; valid: Record<string, string>; field: string }[] = [
    { path: '/api/webhooks/twilio/messaging', to: () => sms, valid: { MessageSid: 'SM' + 'ab'.repeat(16), From: '+15145550100', Body: 'x' }, field: 'MessageSid' },
    { path: '/api/webhooks/twilio/messaging', to: () => `whatsapp:${whatsapp}`, valid: { MessageSid: 'MM' + 'ab'.repeat(16), From: 'whatsapp:+15145550100', Body: 'x' }, field: 'MessageSid' },
    { path: '/api/webhooks/twilio/voice', to: () => phone, valid: { CallSid: 'CA' + 'cd'.repeat(16), From: '+15145550100' }, field: 'CallSid' },
    { path: '/api/webhooks/twilio/voice/status', to: () => phone, valid: { CallSid: 'CA' + 'cd'.repeat(16), CallStatus: 'completed', CallDuration: '3' }, field: 'CallStatus' },
  ];
  it('refuses 2,500 bad webhooks, signed and unsigned, with a 4xx and stores nothing', async () => {
    server.ctx.config.publicUrl = BASE;
    const before = await stored();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: routes.length - 1 }),
          fc.constantFrom('signed-bad-field', 'wrong-token', 'random-signature', 'no-signature', 'other-url', 'tampered', 'json', 'unknown-number'),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          junk,
          ip,
          async (r, mode, extra, noise, remoteAddress) => {
            const route = routes[r];
            const params: Record<string, string> = { ...extra, ...route.valid, To: mode === 'unknown-number' ? '+15559999999' : route.to() };
            if (mode === 'signed-bad-field' || mode === 'json') params[route.field] = noise.startsWith('SM') || noise === 'completed' ? `x${noise}` : noise;
            const url = `${BASE}${route.path}`;
            const signature =
              mode === 'wrong-token' ? twilio.getExpectedTwilioSignature('not-the-token', url, params)
              : mode === 'random-signature' ? noise
              : mode === 'other-url' ? twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${BASE}/elsewhere`, params)
              : twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
            const payload = mode === 'tampered' ? form({ ...params, Body: `${params.Body ?? ''}!`, From: '+15145550199' }) : mode === 'json' ? JSON.stringify(params) : form(params);
            const headers: Record<string, string> = { 'content-type': mode === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...(mode !== 'no-signature' && { 'x-twilio-signature': signature }) };
            await expect4xx(`twilio ${route.path.split('/').slice(4).join('/')}`, { method: 'POST', url: route.path, headers, payload, remoteAddress });
          },
        ),
        { numRuns: 2500 },
      );
    } finally {
      server.ctx.config.publicUrl = undefined;
    }
    expect(await stored()).toBe(before);
  }, 60_000);
});

describe('the signed intake API', () => {
  it('refuses 2,000 bad requests with a 4xx and stores nothing', async () => {
    const before = await stored();
    const badBody = fc.oneof(
      fc.jsonValue().filter((v) => !intakeContactBody.safeParse(v).success).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ channel: junk, body: fc.oneof(fc.constant(''), fc.integer()), correspondent: fc.constant({ phone: 'x', email: 'y' }) }).map((v) => JSON.stringify(v)),
      junk.map((s) => `{"body":${s}`),
    );
    await fc.assert(
      fc.asyncProperty(badBody, fc.constantFrom('valid', 'valid', 'stale', 'wrong-secret', 'random-signature', 'unknown-key', 'missing', 'content-type'), junk, ip, async (body, mode, noise, remoteAddress) => {
        const path = '/api/intake/v1/contacts';
        const now = Math.floor(Date.now() / 1000);
        const timestamp = mode === 'stale' ? String(now - 3600) : String(now);
        let signature = signIntakeRequest(mode === 'wrong-secret' ? `${apiKey.secret}x` : apiKey.secret, 'POST', path, timestamp, body);
        if (mode === 'random-signature') signature = noise;
        const headers: Record<string, string> =
          mode === 'missing' ? {} : { 'x-catalyst-key': mode === 'unknown-key' ? 'ck_ffffffffffffffff' : apiKey.keyId, 'x-catalyst-timestamp': timestamp, 'x-catalyst-signature': signature };
        headers['content-type'] = mode === 'content-type' ? 'text/plain' : 'application/json';
        await expect4xx('intake api', { method: 'POST', url: path, headers, payload: body, remoteAddress });
      }),
      { numRuns: 2000 },
    );
    expect(await stored()).toBe(before);
  }, 60_000);
});

describe('chat', () => {
  it('refuses 1,300 bad REST calls, widget requests and file uploads with a 4xx', async () => {
    const agentPaths = ['messages', 'read', 'typing', 'end'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...agentPaths), fc.oneof(fc.uuid(), junk.map((s) => encodeURIComponent(s) || 'x')), fc.jsonValue(), fc.boolean(), async (op, id, body, signedIn) => {
        const url = `/api/chat/contacts/${id}/${op}`;
        // Signed in: a contact that is not a chat of this hotline, or a body that does not parse; out: no session.
        if (signedIn) {
          const response = await advocate.post(url, body as never);
          count('chat rest');
          expect(response.status >= 400 && response.status < 500, JSON.stringify({ url, status: response.status, body: response.body })).toBe(true);
        } else {
          await expect4xx('chat rest', { method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        }
      }),
      { numRuns: 700 },
    );
    await fc.assert(
      fc.asyncProperty(junk, async (key) => expect4xx('chat widget', { method: 'GET', url: `/chat/${encodeURIComponent(key.slice(0, 30) || '-')}-x/embed` })),
      { numRuns: 150 },
    );
    // Files from the visitor: no or an unknown session token, another site, bad client ids and names, any bytes.
    await fc.assert(
      fc.asyncProperty(
        fc.option(junk, { nil: undefined }), fc.boolean(), junk, junk, fc.uint8Array({ maxLength: 2_000 }), fc.constantFrom('application/octet-stream', 'image/png', 'text/plain', 'application/json', 'multipart/form-data; boundary=x', ''),
        async (token, ownSite, clientId, name, bytes, type) => {
          const headers: Record<string, string> = { host: 'fuzz.local', origin: ownSite ? 'http://fuzz.local' : 'https://evil.example' };
          if (token !== undefined) headers['x-chat-token'] = token.replace(/[^\x20-\x7e]/g, '');
          if (type) headers['content-type'] = type;
          const query = new URLSearchParams({ hotline: WIDGET, clientId, name }).toString();
          await expect4xx('chat file', { method: 'POST', url: `/api/chat/visitor/files?${query}`, headers, payload: Buffer.from(bytes) });
        },
      ),
      { numRuns: 300 },
    );
    // The visitor socket's handshake: an unknown widget, or a page on a site that is not allowed.
    await fc.assert(
      fc.asyncProperty(junk, fc.boolean(), async (noise, knownWidget) => {
        const query = knownWidget ? WIDGET : `${encodeURIComponent(noise)}-nope`;
        await expect4xx('chat handshake', { method: 'GET', url: `/api/chat/visitor?hotline=${query}`, headers: { origin: knownWidget ? `https://${noise.replace(/[^a-z]/g, '')}evil.example` : ORIGIN, connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('answers 1,500 bad visitor frames with an error frame and keeps the socket usable', async () => {
    const badFrame = fc.oneof(
      fc.jsonValue().filter((v) => !visitorFrame.safeParse(v).success).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ type: fc.constantFrom('message', 'start', 'read', 'typing', 'resume'), clientId: junk, body: junk, language: junk, upto: junk, token: junk, on: junk }).map((v) => JSON.stringify(v)),
      junk.filter((s) => s.length < 60_000),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    ).filter((f) => Buffer.byteLength(f) < 60_000 && (typeof f !== 'string' || !visitorFrame.safeParse((() => { try { return JSON.parse(f); } catch { return null; } })()).success));
    const frames = fc.sample(badFrame, { numRuns: 1500, seed: 31337 });
    // The server closes a socket after 50 bad frames (a flood guard): 40 frames per socket, 25 sockets.
    for (let at = 0; at < frames.length; at += 40) {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/chat/visitor?hotline=${WIDGET}`, { headers: { origin: ORIGIN } });
      const replies: { type: string; code?: string }[] = [];
      let waiting: (() => void) | null = null;
      socket.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        waiting?.();
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const batch = frames.slice(at, at + 40);
      for (const frame of batch) {
        const seen = replies.length;
        const answered = new Promise<void>((resolve) => (waiting = () => replies.length > seen && resolve()));
        socket.send(frame, { binary: Buffer.isBuffer(frame) });
        let timer: NodeJS.Timeout | undefined;
        const silent = await Promise.race([answered.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 5_000)))]);
        clearTimeout(timer);
        expect(silent, `no answer to ${JSON.stringify(String(frame).slice(0, 200))} (open: ${socket.readyState === socket.OPEN})`).toBe(false);
        count('chat frame');
        expect(replies[seen], JSON.stringify({ frame: String(frame).slice(0, 200), reply: replies[seen] })).toMatchObject({ type: 'error' });
        expect(['validation_failed', 'not_found']).toContain(replies[seen].code);
      }
      // Still usable: a ping gets a pong.
      socket.send(JSON.stringify({ type: 'ping' }));
      await new Promise<void>((resolve) => (waiting = () => replies.at(-1)?.type === 'pong' && resolve()));
      socket.close();
    }
    // A frame over the 64 KiB limit closes that socket (1009, message too big); the next visitor is served as usual.
    const big = new WebSocket(`${server.url.replace('http', 'ws')}/api/chat/visitor?hotline=${WIDGET}`, { headers: { origin: ORIGIN } });
    await new Promise((resolve) => big.once('open', resolve));
    const closed = new Promise<number>((resolve) => big.once('close', resolve));
    big.send('x'.repeat(70_000));
    expect(await closed).toBe(1009);
    count('chat frame');
    const next = new WebSocket(`${server.url.replace('http', 'ws')}/api/chat/visitor?hotline=${WIDGET}`, { headers: { origin: ORIGIN } });
    await new Promise((resolve) => next.once('open', resolve));
    const pong = new Promise((resolve) => next.once('message', (d) => resolve(JSON.parse(String(d)))));
    next.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toEqual({ type: 'pong' });
    next.close();
  }, 60_000);
});

/** A raw SMTP client: one command, one reply (multi-line replies joined). */
class RawSmtp {
  private buffer = '';
  private waiting: ((code: number) => void) | null = null;
  private closed = false;
  constructor(private socket: net.Socket) {
    socket.on('data', (d) => {
      this.buffer += d.toString('latin1');
      this.drain();
    });
    const end = () => {
      this.closed = true;
      this.waiting?.(0);
    };
    socket.on('close', end);
    socket.on('error', end);
  }
  static async open() {
    const client = new RawSmtp(net.connect(smtp.port, '127.0.0.1'));
    return { client, greeting: await client.reply() };
  }
  private drain() {
    const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer);
    if (!match || !this.waiting) return;
    this.buffer = this.buffer.slice(match.index + match[0].length);
    const w = this.waiting;
    this.waiting = null;
    w(Number(match[2]));
  }
  reply(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.drain();
    });
  }
  command(line: string | Buffer) {
    if (this.closed) return Promise.resolve(0);
    const reply = this.reply();
    this.socket.write(line);
    return reply;
  }
  close() {
    this.socket.destroy();
  }
}

describe('SMTP', () => {
  it('answers 1,500 malformed commands with 4xx/5xx and refuses 300 broken messages, then still takes mail', async () => {
    const commands = fc.oneof(
      fc.constantFrom('RCPT TO:<nobody@elsewhere.example>', 'DATA', 'EXPN all', 'AUTH PLAIN AGVzYwBwYXNz', 'BDAT 10', 'HELO', 'XYZZY', 'RCPT TO:', 'MAIL FROM:'),
      fc.string({ minLength: 1, maxLength: 100 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*$/.test(s) && !/^(ehlo|helo|rset|noop|quit|starttls|help|mail|rcpt|data)\b/i.test(s)),
    );
    // Ten sessions at once: the listener hangs up after ten unrecognised commands (a flood guard) and greets each new
    // connection after a 100 ms early-talker pause, so one session at a time would spend most of its time reconnecting.
    const lines = fc.sample(commands, { numRuns: 1500, seed: 4242 });
    const session = async (chunk: string[]) => {
      let { client, greeting } = await RawSmtp.open();
      expect(greeting).toBe(220);
      expect(await client.command('EHLO fuzz.example\r\n')).toBe(250);
      for (const line of chunk) {
        let code = await client.command(`${line}\r\n`);
        if (code === 0) {
          ({ client } = await RawSmtp.open());
          await client.command('EHLO fuzz.example\r\n');
          code = await client.command(`${line}\r\n`);
        }
        count('smtp command');
        expect(code >= 400 && code < 600, `${line} -> ${code}`).toBe(true);
      }
      client.close();
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => session(lines.filter((_, j) => j % 10 === i))));

    // Messages with no readable body and headers claiming what they are not: refused permanently or stored, never 4xx.
    const before = await stored();
    const mime = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 800 }).map((b) => Buffer.from(b).toString('latin1').replace(/\r?\n\.(\r?\n|$)/g, '\r\n..$1')),
      fc.tuple(fc.string({ maxLength: 60 }), fc.string({ maxLength: 200 })).map(([h, b]) => `Content-Type: multipart/mixed; boundary="${h.replace(/["\r\n]/g, '')}"\r\nContent-Transfer-Encoding: base64\r\n\r\n--${h}\r\n${b}`),
    );
    let { client } = await RawSmtp.open();
    await client.command('EHLO fuzz.example\r\n');
    const codes = new Map<number, number>();
    const acceptedBytes = new Set<string>();
    for (const raw of fc.sample(mime, { numRuns: 300, seed: 99 })) {
      if ((await client.command('MAIL FROM:<fuzz@sender.example>\r\n')) !== 250) {
        client.close();
        ({ client } = await RawSmtp.open());
        await client.command('EHLO fuzz.example\r\n');
        await client.command('MAIL FROM:<fuzz@sender.example>\r\n');
      }
      expect(await client.command(`RCPT TO:<${TIPS}>\r\n`)).toBe(250);
      expect(await client.command('DATA\r\n')).toBe(354);
      const code = await client.command(Buffer.concat([Buffer.from(raw.replace(/(^|\r\n)\./g, '$1..'), 'latin1'), Buffer.from('\r\n.\r\n')]));
      count('smtp message');
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (code === 250) acceptedBytes.add(raw);
      // 250 stored (whatever it was, a person may have sent it), 5xx refused; a 4xx would make the sender retry forever.
      expect(code === 250 || (code >= 500 && code < 600), `message -> ${code}`).toBe(true);
    }
    client.close();
    // A message without a Message-ID is identified by its bytes: the same bytes twice are stored once.
    expect(await stored()).toBe(before + acceptedBytes.size);
  }, 60_000);
});

describe('afterwards', () => {
  it('threw at least 10,000 bad inputs, and every door still works', async () => {
    console.log('intake fuzz', Object.fromEntries(tally.byKind), 'total', tally.total);
    expect(tally.total).toBeGreaterThanOrEqual(10_000);
    server.ctx.config.publicUrl = undefined;
    const url = `${server.url}/api/webhooks/twilio/messaging`;
    const params = { MessageSid: `SM${'f'.repeat(32)}`, From: '+15145550777', To: sms, Body: 'still here' };
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params) }, body: form(params) });
    expect(ok.status).toBe(200);
    const tipToken = await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now() - 10_000);
    const tip = await fetch(`${server.url}/tip/${server.hotline.slug}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form({ t: tipToken, website: '', what: 'A real tip after the storm', lang: 'en' }) });
    expect(tip.status).toBe(201);
    const { client, greeting } = await RawSmtp.open();
    expect(greeting).toBe(220);
    expect(await client.command('EHLO after.example\r\n')).toBe(250);
    client.close();
  }, 30_000);
});
