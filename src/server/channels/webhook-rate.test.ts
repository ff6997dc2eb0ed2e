import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_RATE_PER_MINUTE, webhookRatePerMinute } from './webhook-rate.js';

describe('the webhook rate limit', () => {
  it('allows 1,000 requests a second from one address by default, and takes CATALYST_WEBHOOK_RATE_PER_MINUTE', () => {
    expect(webhookRatePerMinute({})).toBe(DEFAULT_WEBHOOK_RATE_PER_MINUTE);
    expect(DEFAULT_WEBHOOK_RATE_PER_MINUTE).toBe(60_000);
    expect(webhookRatePerMinute({ CATALYST_WEBHOOK_RATE_PER_MINUTE: '120000' })).toBe(120_000);
  });

  it('refuses a value that is not a whole number of at least 1, naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', 'lots']) expect(() => webhookRatePerMinute({ CATALYST_WEBHOOK_RATE_PER_MINUTE: bad })).toThrow(/CATALYST_WEBHOOK_RATE_PER_MINUTE/);
  });
});
