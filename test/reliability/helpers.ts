import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { signIntakeRequest } from '../../src/server/channels/api/signing.js';
import type { TestServer } from '../helpers/server.js';
import { TWILIO_TOKEN } from '../helpers/intake.js';

export const ACCOUNT_SID = 'AC' + 'a1b2c3d4'.repeat(4);
export const callSid = () => `CA${randomBytes(16).toString('hex')}`;
export const randomNumber = () => `+1555${Math.floor(1000000 + Math.random() * 8999999)}`;

/** A phone line of the test hotline, with a Twilio auth token and optional voice settings. */
export async function addPhoneLine(server: TestServer, settings: Record<string, unknown> = {}, hotlineId = server.hotline.id, number = randomNumber()) {
  const row = await createAccessPoint(server.db, server.ctx, hotlineId, { channel: 'phone', name: 'Voice line', address: number, settings: settings as never, secret: TWILIO_TOKEN });
  return { number, id: row.id };
}

/** An SMS line set up for replies (account SID in settings, auth token as the secret). */
export async function addReplyableSmsLine(server: TestServer, hotlineId = server.hotline.id, number = randomNumber(), channel: 'sms' | 'whatsapp' = 'sms') {
  const row = await createAccessPoint(server.db, server.ctx, hotlineId, { channel, name: 'SMS line', address: number, settings: { twilioAccountSid: ACCOUNT_SID }, secret: TWILIO_TOKEN });
  return { number, id: row.id };
}

/** Posts a form-encoded Twilio webhook, signed with the official twilio package over the exact URL. */
export async function postTwilio(baseUrl: string, path: string, params: Record<string, string>, { token = TWILIO_TOKEN, signature }: { token?: string; signature?: string } = {}) {
  const url = `${baseUrl}${path}`;
  const header = signature ?? twilio.getExpectedTwilioSignature(token, url, params);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': header }, body: new URLSearchParams(params).toString() });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
}

/** A signed intake API request, as a partner system would send it. */
export async function intakeRequest(baseUrl: string, key: { keyId: string; secret: string }, method: 'GET' | 'POST', path: string, body?: unknown, opts: { timestamp?: number; signature?: string; contentType?: string; raw?: string } = {}) {
  const raw = opts.raw ?? (body === undefined ? '' : JSON.stringify(body));
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? signIntakeRequest(key.secret, method, path, timestamp, raw);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'x-catalyst-key': key.keyId, 'x-catalyst-timestamp': timestamp, 'x-catalyst-signature': signature, ...(raw && { 'content-type': opts.contentType ?? 'application/json' }) },
    body: method === 'GET' ? undefined : raw,
  });
  const text = await response.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, body: json, text };
}
