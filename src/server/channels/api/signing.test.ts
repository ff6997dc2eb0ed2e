import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, isFreshTimestamp, signaturesEqual, signIntakeRequest } from './signing.js';

describe('intake API request signing', () => {
  it('reproduces the worked example in docs/intake-voice-api.md', () => {
    const body = '{"channel":"phone","correspondent":{"phone":"+14165550199"},"body":"Caller reports workers kept in a motel","externalId":"pbx-2026-000123","language":"en","requestType":"tip"}';
    expect(canonicalRequest('POST', '/api/intake/v1/contacts', '1767225600', body)).toBe('POST\n/api/intake/v1/contacts\n1767225600\nf61dbc856a1f9068506139d30ae2ba54eddef6794db86aff743cc9ee9d644237');
    expect(signIntakeRequest('cks_3q2-7wAAAAB4mR0kXample-Secret-Do-Not-Use-000', 'POST', '/api/intake/v1/contacts', '1767225600', body)).toBe('45eaa4d693ed48a0df086216b43fca2e413e42be7811c1e6bc3f4d48f497d7ea');
  });

  it('is HMAC-SHA256 over method, path, timestamp and body hash, for any input', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom('get', 'POST'), fc.string(), fc.string(), (secret, method, path, body) => {
        const expected = createHmac('sha256', secret).update(`${method.toUpperCase()}\n${path}\n1\n${createHash('sha256').update(body).digest('hex')}`).digest('hex');
        expect(signIntakeRequest(secret, method, path, '1', body)).toBe(expected);
        expect(signaturesEqual(expected, expected)).toBe(true);
        expect(signaturesEqual(expected, expected.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe(false);
      }),
    );
  });

  it('accepts timestamps within five minutes only', () => {
    const now = 1_767_225_600_000;
    expect(isFreshTimestamp('1767225600', now)).toBe(true);
    expect(isFreshTimestamp('1767225900', now)).toBe(true);
    expect(isFreshTimestamp('1767225901', now)).toBe(false);
    expect(isFreshTimestamp('1767225299', now)).toBe(false);
    expect(isFreshTimestamp('1767225600.5', now)).toBe(false);
    expect(isFreshTimestamp('', now)).toBe(false);
    expect(signaturesEqual('a'.repeat(64), 'A'.repeat(64))).toBe(false);
  });
});
