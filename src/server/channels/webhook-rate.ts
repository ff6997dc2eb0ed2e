import { z } from 'zod';

/**
 * Requests per minute per client address on the provider webhooks (Twilio messaging, voice, status callbacks) and the
 * intake API. A national hotline's SMS campaign can bring 1,000 messages a second from a few provider addresses, so the
 * default allows that from one address; set CATALYST_WEBHOOK_RATE_PER_MINUTE to change it (signatures, not this limit,
 * keep strangers out: an unsigned request is refused before any database work but the access-point look-up).
 */
export const DEFAULT_WEBHOOK_RATE_PER_MINUTE = 60_000;

export function webhookRatePerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CATALYST_WEBHOOK_RATE_PER_MINUTE;
  if (raw === undefined || raw === '') return DEFAULT_WEBHOOK_RATE_PER_MINUTE;
  const parsed = z.coerce.number().int().min(1).safeParse(raw);
  if (!parsed.success) throw new Error('Invalid configuration: CATALYST_WEBHOOK_RATE_PER_MINUTE must be a whole number ≥ 1');
  return parsed.data;
}

/** The route-level rate-limit option, read once when routes are registered. */
export const webhookRate = () => ({ max: webhookRatePerMinute(), timeWindow: '1 minute' });

/**
 * Route options of the provider webhooks. They answer TwiML or JSON to a provider's servers, never a page to a browser,
 * so the browser security headers (@fastify/helmet, which rebuilds its middleware on every request: ~5 % of a
 * webhook's CPU) are skipped. Their per-request access log lines ("incoming request", "request completed", written
 * synchronously) are skipped too: at the default level they took ~20 % of a webhook's CPU (profile in
 * docs/intake-throughput.md), a 1,000/s campaign would fill the log with them, and every stored signal already has its
 * audit entry; warnings and errors are still logged.
 */
export const PROVIDER_WEBHOOK = { helmet: false, logLevel: 'warn' } as const;
