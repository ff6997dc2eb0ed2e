import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyStore } from '../../crypto/keystore.js';

/**
 * The form token: issued with every form, signed with a key derived from the hotline's blind-index key (so every
 * server behind a load balancer agrees, and nothing new is stored). It proves the form came from us, carries the time
 * it was issued (minimum fill time, maximum age), and its nonce is the submission's idempotency key: a retried POST
 * of the same form stores nothing twice.
 */
export type TokenPurpose = 'tip' | 'follow-up';

export const MIN_FILL_MS = 3_000;
export const MAX_AGE_MS = 2 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 60_000;

async function tokenKey(keys: KeyStore, hotlineId: string): Promise<Buffer> {
  return keys.blindIndex(hotlineId, 'text', 'catalyst-webform-form-token-key-v1');
}

function mac(key: Buffer, hotlineId: string, purpose: TokenPurpose, issuedAt: number, nonce: string) {
  return createHmac('sha256', key).update(`webform|${hotlineId}|${purpose}|${issuedAt}|${nonce}`).digest('base64url');
}

export async function issueFormToken(keys: KeyStore, hotlineId: string, purpose: TokenPurpose, now = Date.now()): Promise<string> {
  const nonce = randomBytes(16).toString('base64url');
  return `v1.${now.toString(36)}.${nonce}.${mac(await tokenKey(keys, hotlineId), hotlineId, purpose, now, nonce)}`;
}

export type TokenCheck = { ok: true; nonce: string } | { ok: false; reason: 'invalid' | 'too_fast' | 'expired' };

export async function checkFormToken(keys: KeyStore, hotlineId: string, purpose: TokenPurpose, token: string | undefined, now = Date.now()): Promise<TokenCheck> {
  const parts = typeof token === 'string' && token.length < 200 ? token.split('.') : [];
  if (parts.length !== 4 || parts[0] !== 'v1' || !/^[0-9a-z]{1,12}$/.test(parts[1]) || !/^[A-Za-z0-9_-]{22}$/.test(parts[2])) return { ok: false, reason: 'invalid' };
  const issuedAt = parseInt(parts[1], 36);
  const expected = Buffer.from(mac(await tokenKey(keys, hotlineId), hotlineId, purpose, issuedAt, parts[2]));
  const given = Buffer.from(parts[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  if (issuedAt > now + CLOCK_SKEW_MS) return { ok: false, reason: 'invalid' };
  if (now - issuedAt < MIN_FILL_MS) return { ok: false, reason: 'too_fast' };
  if (now - issuedAt > MAX_AGE_MS) return { ok: false, reason: 'expired' };
  return { ok: true, nonce: parts[2] };
}

// No 0/O, 1/I/L, U/V confusion: codes are read aloud, written on paper and typed on phones.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
const PASS_ALPHABET = 'abcdefghjkmnpqrstwxyz23456789';

function randomFrom(alphabet: string, length: number): string {
  // Rejection sampling: no modulo bias.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** `TIP-XXXX-XXXX`: about 39 bits, enough to be unique with a check; the passphrase carries the secrecy. */
export function newReferenceCode(): string {
  const s = randomFrom(CODE_ALPHABET, 8);
  return `TIP-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Four groups of four lower-case characters: about 78 bits, case-insensitive, easy to write down. */
export function newPassphrase(): string {
  const s = randomFrom(PASS_ALPHABET, 16);
  return [0, 4, 8, 12].map((i) => s.slice(i, i + 4)).join('-');
}

/** What a person types back: any case, spaces or dashes, with or without the TIP prefix. Null if it cannot be a code. */
export function normaliseReferenceCode(input: string): string | null {
  const bare = input.toUpperCase().replace(/[\s\-_.]/g, '').replace(/^TIP/, '');
  if (bare.length !== 8 || [...bare].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return `TIP-${bare.slice(0, 4)}-${bare.slice(4)}`;
}

export function normalisePassphrase(input: string): string | null {
  const bare = input.toLowerCase().replace(/[\s\-_.]/g, '');
  if (bare.length !== 16 || [...bare].some((c) => !PASS_ALPHABET.includes(c))) return null;
  return [0, 4, 8, 12].map((i) => bare.slice(i, i + 4)).join('-');
}
