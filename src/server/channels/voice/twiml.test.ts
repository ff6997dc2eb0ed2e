import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { enqueue, hangup, pause, say, voiceResponse } from './twiml.js';

// XML 1.0 cannot carry control characters or lone surrogates: twilio's builder throws on them, ours drops them.
const xmlText = fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

describe('the TwiML builder', () => {
  it('writes exactly what twilio’s VoiceResponse writes, for generated text and attributes', () => {
    fc.assert(
      fc.property(xmlText, fc.constantFrom('en-US', 'es-MX', 'fr-CA'), xmlText, xmlText, fc.integer({ min: 0, max: 600 }), (text, language, url, queue, seconds) => {
        const official = new twilio.twiml.VoiceResponse();
        official.say({ language: language as 'en-US' }, text);
        official.pause({ length: seconds });
        official.enqueue({ action: `https://h.example.org/a?x=${url}`, method: 'POST', waitUrl: `https://h.example.org/w#${url}`, waitUrlMethod: 'POST' }, queue);
        official.hangup();
        const ours = voiceResponse([say(text, language), pause(seconds), enqueue(queue, { action: `https://h.example.org/a?x=${url}`, waitUrl: `https://h.example.org/w#${url}` }), hangup()]);
        expect(ours).toBe(official.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('writes an empty response like twilio', () => {
    expect(voiceResponse([])).toBe(new twilio.twiml.VoiceResponse().toString());
  });

  it('cannot be made to emit markup from text, and drops characters XML cannot carry', () => {
    const xml = voiceResponse([say('</Say><Dial>+15550000000</Dial><Say>\u0001', 'en-US')]);
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US">&lt;/Say&gt;&lt;Dial&gt;+15550000000&lt;/Dial&gt;&lt;Say&gt;</Say></Response>');
  });
});
