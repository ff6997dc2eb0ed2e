import fs from 'node:fs';
import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { isValidTwilioRequest, twilioSignature } from './signature.js';

// Fixtures written for this project from Twilio's public docs: ../shared/standards/twilio/SOURCE.md
const fixtures = JSON.parse(fs.readFileSync(new URL('../../../../../shared/standards/twilio/twilio_webhook_fixtures.json', import.meta.url), 'utf8'));

describe('Twilio signature validation', () => {
  for (const vector of fixtures.signature_vectors) {
    it(`handles the fixture "${vector.id}" (${vector.valid ? 'valid' : 'invalid'})`, () => {
      const header = vector.header ?? vector.expectedSignature;
      expect(isValidTwilioRequest(vector.authToken, header, vector.url, vector.params, vector.rawBody)).toBe(vector.valid);
      if (vector.expectedSignature && !vector.rawBody) expect(twilioSignature(vector.authToken, vector.url, vector.params)).toBe(vector.expectedSignature);
    });
  }

  it('agrees with the official twilio package on generated requests', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('https://hotline.example.org/api/webhooks/twilio/messaging', 'https://h.example.org:8443/x?y=1', 'http://127.0.0.1:8080/api/webhooks/twilio/voice'),
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/), fc.string({ maxLength: 60 }), { maxKeys: 8 }),
        (token, url, params) => {
          const official = twilio.getExpectedTwilioSignature(token, url, params);
          expect(twilioSignature(token, url, params)).toBe(official);
          expect(isValidTwilioRequest(token, official, url, params)).toBe(true);
          expect(twilio.validateRequest(token, twilioSignature(token, url, params), url, params)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a missing or wrong signature, and the right signature with another token', () => {
    const params = { From: '+15145550100', Body: 'hola' };
    const url = 'https://hotline.example.org/api/webhooks/twilio/messaging';
    const signature = twilioSignature('token-a', url, params);
    expect(isValidTwilioRequest('token-a', undefined, url, params)).toBe(false);
    expect(isValidTwilioRequest('token-b', signature, url, params)).toBe(false);
    expect(isValidTwilioRequest('token-a', signature, url, { ...params, Body: 'hola!' })).toBe(false);
  });
});
