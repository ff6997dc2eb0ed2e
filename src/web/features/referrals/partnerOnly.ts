import type { Session } from '../auth/session.js';

/**
 * Partner staff (role `partner`) use Catalyst only for the referrals sent to their organisation: no queue, contacts,
 * cases or directory. Decided from the permissions the server sent (never trusted by the server).
 */
export function isPartnerOnly(session: Session): boolean {
  return session.permissions.includes('referral.partner') && !session.permissions.includes('queue.read') && !session.permissions.includes('referral.read');
}

export const PARTNER_HOME = '/partner-referrals';
