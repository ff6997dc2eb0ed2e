import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const REPLAY_WINDOW_SECONDS = 300;

/** The string a client signs: method, path (with query, as sent), timestamp and the body's SHA-256, one per line. */
export function canonicalRequest(method: string, path: string, timestamp: string, body: string | Buffer) {
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
}

export function signIntakeRequest(secret: string, method: string, path: string, timestamp: string, body: string | Buffer) {
  return createHmac('sha256', secret).update(canonicalRequest(method, path, timestamp, body)).digest('hex');
}

export function isFreshTimestamp(timestamp: string, nowMs = Date.now()) {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= REPLAY_WINDOW_SECONDS;
}

export function signaturesEqual(expectedHex: string, givenHex: string) {
  if (!/^[0-9a-f]{64}$/.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex, 'hex'));
}
