import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { TestServer } from './server.js';
import { createAccessPoint } from '../../src/server/channels/access-points.js';

export const TWILIO_TOKEN = 'test-auth-token-0123456789abcdef';

/** An SMS access point for the test hotline, with a Twilio auth token. */
export async function addSmsNumber(server: TestServer, hotlineId = server.hotline.id, number = `+1555${Math.floor(1000000 + Math.random() * 8999999)}`) {
  await createAccessPoint(server.db, server.ctx, hotlineId, { channel: 'sms', name: 'SMS line', address: number, settings: {}, secret: TWILIO_TOKEN });
  return number;
}

export const messageSid = () => `SM${randomBytes(16).toString('hex')}`;

/** Posts an inbound SMS exactly as Twilio would: form-encoded, signed with the official twilio package. */
export async function postSms(baseUrl: string, params: Record<string, string>, { token = TWILIO_TOKEN, signature }: { token?: string; signature?: string } = {}) {
  const url = `${baseUrl}/api/webhooks/twilio/messaging`;
  const body = new URLSearchParams(params).toString();
  const header = signature ?? twilio.getExpectedTwilioSignature(token, url, params);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': header }, body });
  return { status: response.status, text: await response.text() };
}
