import type { ContactFlags } from '../../shared/intake.js';

/**
 * Queue priority: lower comes first. Imminent danger, minors and crises go ahead of everything; then live channels,
 * whose people are waiting on the line; deferred channels (texts, email, web tips) after; non-data contacts last.
 * Within one priority, the longest waiting comes first.
 */
export function priorityOf(input: { channel: string; requestType?: string | null; flags?: ContactFlags | null }): number {
  const flags = input.flags ?? {};
  if (flags.imminent_danger || flags.suicide_risk || flags.medical_emergency) return 0;
  if (flags.minor) return 10;
  if (input.requestType === 'crisis') return 10;
  if (input.requestType === 'high_risk') return 20;
  if (input.requestType && ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'].includes(input.requestType)) return 90;
  if (input.channel === 'phone' || input.channel === 'chat') return 30;
  if (input.channel === 'sms' || input.channel === 'whatsapp') return 40;
  return 50;
}
