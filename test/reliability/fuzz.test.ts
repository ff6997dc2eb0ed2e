import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeContactBody } from '../../src/shared/api/intake-api.js';
import { signIntakeRequest } from '../../src/server/channels/api/signing.js';
import { ApiClient } from '../helpers/client.js';
import { TWILIO_TOKEN } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ACCOUNT_SID, addPhoneLine, addReplyableSmsLine } from './helpers.js';

/**
 * Bad input thrown at every public intake endpoint of issue 3 (and the SMS webhook they share a door with): Twilio
 * messaging and voice webhooks with valid and invalid signatures, the message status callback, and the signed intake
 * API. Every answer must be a 4xx with the error shape, nothing may be stored, and the process must stay up.
 */
let server: TestServer;
let phone: string;
let sms: string;
let key: { keyId: string; secret: string };
const BASE = 'http://fuzz.example.org';
const results = { total: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  // Signatures are over the public URL; inject requests do not carry a real host, so pin it.
  server.ctx.config.publicUrl = BASE;
  phone = (await addPhoneLine(server)).number;
  sms = (await addReplyableSmsLine(server)).number;
  const admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  const created = await admin.post('/api/admin/api-keys', { name: 'fuzz', scopes: ['intake:write', 'intake:read-own'] });
  key = { keyId: created.body.apiKey.keyId, secret: created.body.secret };
});
afterAll(() => server?.close());

const ip = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b, c]) => `10.${a}.${b}.${c}`);
const junk = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', ' ', '0', '-1', 'null', '<Response/>', "' or 1=1 --", '%00', '\u0000', 'CA', 'SM', 'a'.repeat(300)));

async function send(opts: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string; remoteAddress: string }) {
  const response = await server.app.inject({ method: opts.method, url: opts.url, headers: opts.headers, payload: opts.payload, remoteAddress: opts.remoteAddress });
  results.total++;
  results.byStatus.set(response.statusCode, (results.byStatus.get(response.statusCode) ?? 0) + 1);
  const failure = { url: opts.url, status: response.statusCode, body: response.body.slice(0, 300), payload: opts.payload?.slice(0, 300) };
  expect(response.statusCode >= 400 && response.statusCode < 500, JSON.stringify(failure)).toBe(true);
  if (String(response.headers['content-type'] ?? '').includes('json')) expect(typeof response.json().error?.code, JSON.stringify(failure)).toBe('string');
}

/** Twilio routes: a valid request of each kind, then one required field broken so a correct signature still gets a 4xx. */
const twilioRoutes = () => {
  const callSid = 'CA' + '0123456789abcdef'.repeat(2);
  return [
    { path: '/api/webhooks/twilio/messaging', valid: { MessageSid: 'SM' + 'ab'.repeat(16), From: '+15145550100', To: sms, Body: 'x' }, breakable: { MessageSid: 'sid', From: 'text', To: 'address' } },
    { path: '/api/webhooks/twilio/voice', valid: { CallSid: callSid, From: '+15145550100', To: phone }, breakable: { CallSid: 'sid', To: 'address' } },
    { path: '/api/webhooks/twilio/voice/wait', valid: { CallSid: callSid, To: phone, QueuePosition: '1' }, breakable: { CallSid: 'sid', QueuePosition: 'number', To: 'address' } },
    { path: '/api/webhooks/twilio/voice/queue-result', valid: { CallSid: callSid, To: phone, QueueResult: 'hangup', QueueTime: '3' }, breakable: { CallSid: 'sid', QueueResult: 'enum', QueueTime: 'number', To: 'address' } },
    { path: '/api/webhooks/twilio/voice/status', valid: { CallSid: callSid, To: phone, CallStatus: 'completed', CallDuration: '3' }, breakable: { CallSid: 'sid', CallStatus: 'enum', CallDuration: 'number', SequenceNumber: 'number', To: 'address' } },
    { path: '/api/webhooks/twilio/message-status', valid: { MessageSid: 'SM' + 'cd'.repeat(16), MessageStatus: 'delivered', From: sms, AccountSid: ACCOUNT_SID }, breakable: { MessageSid: 'sid', MessageStatus: 'enum', ErrorCode: 'number', From: 'address' } },
  ] as { path: string; valid: Record<string, string>; breakable: Record<string, 'sid' | 'enum' | 'number' | 'address' | 'text'> }[];
};

function breakValue(kind: string, value: string): fc.Arbitrary<string | undefined> {
  switch (kind) {
    case 'sid': return fc.oneof(fc.constant(undefined), junk, fc.constant(value.slice(0, 10)), fc.constant(value + '0'), fc.constant(value.replace(/^(..)/, 'xx')));
    case 'enum': return fc.oneof(fc.constant(undefined), junk.filter((s) => !['hangup', 'bridged', 'completed', 'delivered'].includes(s)), fc.constant('HANGUP'));
    case 'number': return fc.oneof(junk.filter((s) => !/^\d{1,6}$/.test(s)), fc.constant('-3'), fc.constant('1e3'), fc.constant('99999999999'));
    case 'address': return fc.oneof(fc.constant(undefined), junk, fc.constant('+15550000000'), fc.constant('a'.repeat(101)));
    default: return fc.oneof(fc.constant(undefined), fc.constant(''));
  }
}

const twilioCase = fc
  .record({ route: fc.constantFrom(...twilioRoutes().map((_, i) => i)), seed: fc.integer(), extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }), mode: fc.constantFrom('valid-signature-bad-field', 'wrong-token', 'random-signature', 'no-signature', 'other-url', 'tampered', 'not-form'), remoteAddress: ip })
  .chain((c) => {
    const route = twilioRoutes()[c.route];
    const fields = Object.keys(route.breakable);
    return fc.record({ c: fc.constant(c), field: fc.constantFrom(...fields) }).chain(({ c, field }) => breakValue(route.breakable[field], route.valid[field] ?? '').map((broken) => ({ ...c, route, field, broken })));
  });

describe('fuzzing the public intake endpoints', () => {
  it('answers every bad Twilio webhook with a 4xx (valid and invalid signatures)', async () => {
    const before = (await server.db.selectFrom('contact_message').select('id').execute()).length;
    await fc.assert(
      fc.asyncProperty(twilioCase, fc.string({ maxLength: 60 }), async ({ route, field, broken, extra, mode, remoteAddress }, noise) => {
        const params: Record<string, string> = { ...extra, ...route.valid };
        if (mode === 'valid-signature-bad-field' || mode === 'not-form') {
          if (broken === undefined) delete params[field];
          else params[field] = broken;
        }
        const url = `${BASE}${route.path}`;
        const signed = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
        const signature =
          mode === 'wrong-token' ? twilio.getExpectedTwilioSignature('not-the-token', url, params)
          : mode === 'random-signature' ? noise
          : mode === 'other-url' ? twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${BASE}/api/webhooks/twilio/other`, params)
          : signed;
        const payload = mode === 'tampered' ? new URLSearchParams({ ...params, Body: `${params.Body ?? ''}!` }).toString() : mode === 'not-form' ? JSON.stringify(params) : new URLSearchParams(params).toString();
        const headers: Record<string, string> = { 'content-type': mode === 'not-form' ? 'application/json' : 'application/x-www-form-urlencoded', ...(mode !== 'no-signature' && { 'x-twilio-signature': signature }) };
        await send({ method: 'POST', url: route.path, headers, payload, remoteAddress });
      }),
      { numRuns: 6000 },
    );
    expect((await server.db.selectFrom('contact_message').select('id').execute()).length).toBe(before);
  }, 240_000);

  it('answers every bad intake API request with a 4xx', async () => {
    const before = (await server.db.selectFrom('contact_message').select('id').execute()).length;
    const badBody = fc.oneof(
      fc.jsonValue().filter((v) => !intakeContactBody.safeParse(v).success).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ channel: fc.oneof(fc.constant('sms'), junk), body: fc.oneof(fc.constant(''), fc.integer(), fc.string({ minLength: 20001, maxLength: 20001 })), correspondent: fc.oneof(fc.constant({ phone: 'x', email: 'y' }), fc.constant({})) }).map((v) => JSON.stringify(v)),
      fc.record({ body: fc.string({ minLength: 1 }), externalId: fc.oneof(fc.constant('has space'), fc.constant(''), fc.constant('é')), language: junk }).map((v) => JSON.stringify(v)),
      junk.map((s) => `{"body":${s}`),
    );
    const c = fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET') as fc.Arbitrary<'GET' | 'POST'>,
      id: fc.oneof(fc.uuid(), junk.map(encodeURIComponent)),
      body: badBody,
      mode: fc.constantFrom('valid', 'valid', 'valid', 'stale', 'future', 'bad-timestamp', 'wrong-secret', 'random-signature', 'unknown-key', 'malformed-key', 'missing', 'wrong-path', 'content-type'),
      noise: junk,
      remoteAddress: ip,
    });
    await fc.assert(
      fc.asyncProperty(c, async ({ method, id, body, mode, noise, remoteAddress }) => {
        const path = method === 'GET' ? `/api/intake/v1/contacts/${id}` : '/api/intake/v1/contacts';
        const payload = method === 'GET' ? '' : body;
        const now = Math.floor(Date.now() / 1000);
        const timestamp = mode === 'stale' ? String(now - 301) : mode === 'future' ? String(now + 301) : mode === 'bad-timestamp' ? noise : String(now);
        const secret = mode === 'wrong-secret' ? `${key.secret}x` : key.secret;
        let signature = signIntakeRequest(secret, method, mode === 'wrong-path' ? `${path}/x` : path, timestamp, payload);
        if (mode === 'random-signature') signature = noise;
        const keyId = mode === 'unknown-key' ? 'ck_ffffffffffffffff' : mode === 'malformed-key' ? noise : key.keyId;
        const headers: Record<string, string> = mode === 'missing' ? {} : { 'x-catalyst-key': keyId, 'x-catalyst-timestamp': timestamp, 'x-catalyst-signature': signature };
        if (method === 'POST') headers['content-type'] = mode === 'content-type' ? 'text/plain' : 'application/json';
        // A GET for a random well-formed id with a valid signature is a 404, not found for this key: still a 4xx.
        await send({ method, url: path, headers, payload: method === 'GET' ? undefined : payload, remoteAddress });
      }),
      { numRuns: 4500 },
    );
    expect((await server.db.selectFrom('contact_message').select('id').execute()).length).toBe(before);
  }, 240_000);

  it('threw at least 10,000 bad inputs and the server is still up', async () => {
    expect(results.total).toBeGreaterThanOrEqual(10_000);
    const health = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    console.log('fuzz statuses', Object.fromEntries([...results.byStatus].sort()), 'total', results.total);
  });
});
