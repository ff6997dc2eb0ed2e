import { z } from 'zod';
import { CHANNELS, REQUEST_TYPES } from './intake.js';

/**
 * Service-level targets: how soon a waiting contact must be answered (live channels) or reviewed (deferred ones).
 * A contact turns amber at `amberFraction` of its target and red when the target passes.
 */
export const slaConfigSchema = z
  .object({
    channels: z.partialRecord(z.enum(CHANNELS), z.object({ answerSeconds: z.number().int().positive() }).strict()),
    requestTypes: z.partialRecord(z.enum(REQUEST_TYPES), z.object({ answerSeconds: z.number().int().positive() }).strict()).default({}),
    amberFraction: z.number().gt(0).lt(1).default(0.75),
  })
  .strict();
export type SlaConfig = z.infer<typeof slaConfigSchema>;

export const DEFAULT_SLA: SlaConfig = {
  channels: {
    phone: { answerSeconds: 20 },
    chat: { answerSeconds: 60 },
    sms: { answerSeconds: 15 * 60 },
    whatsapp: { answerSeconds: 15 * 60 },
    email: { answerSeconds: 24 * 3600 },
    webform: { answerSeconds: 24 * 3600 },
    other: { answerSeconds: 24 * 3600 },
  },
  // A crisis on a deferred channel must not wait for the channel's 24 h review.
  requestTypes: { crisis: { answerSeconds: 5 * 60 } },
  amberFraction: 0.75,
};

export type SlaState = 'ok' | 'amber' | 'red';

export function slaTargetSeconds(config: SlaConfig, channel: string, requestType: string | null): number {
  const byType = requestType ? config.requestTypes[requestType as keyof SlaConfig['requestTypes']]?.answerSeconds : undefined;
  const byChannel = config.channels[channel as keyof SlaConfig['channels']]?.answerSeconds ?? 24 * 3600;
  return byType !== undefined ? Math.min(byType, byChannel) : byChannel;
}

export function slaState(config: SlaConfig, receivedAt: Date, dueAt: Date | null, now: Date): SlaState {
  if (!dueAt) return 'ok';
  const total = dueAt.getTime() - receivedAt.getTime();
  const elapsed = now.getTime() - receivedAt.getTime();
  if (elapsed >= total) return 'red';
  return elapsed >= total * config.amberFraction ? 'amber' : 'ok';
}
