import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DbOrTx } from '../db/db.js';
import type { Role } from '../../shared/roles.js';

export const SESSION_COOKIE = 'catalyst_session';
const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000; // one long shift
const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000; // write last_seen_at at most once a minute, not on every request

export type SessionState = 'mfa_required' | 'mfa_enrol_required' | 'signed_in';

export interface LoadedSession {
  id: string;
  state: SessionState;
  csrfToken: string;
  user: {
    id: string;
    hotlineId: string;
    email: string;
    displayName: string;
    roles: Role[];
    organisationId: string | null;
    locale: string;
    mustChangePassword: boolean;
    hasTotp: boolean;
    availability: string;
    languages: string[];
    skills: string[];
  };
  hotline: { id: string; slug: string; name: string; locales: string[]; timezone: string };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: DbOrTx, input: { userId: string; hotlineId: string; state: SessionState; ip: string | null }) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db
    .insertInto('user_session')
    .values({
      id: hashToken(token),
      user_id: input.userId,
      hotline_id: input.hotlineId,
      state: input.state,
      csrf_token: csrfToken,
      ip: input.ip,
      expires_at: new Date(Date.now() + ABSOLUTE_LIFETIME_MS),
    })
    .execute();
  return { token, csrfToken };
}

export async function loadSession(db: DbOrTx, token: string): Promise<LoadedSession | null> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('hotline as h', 'h.id', 's.hotline_id')
    .select([
      's.id', 's.state', 's.csrf_token', 's.last_seen_at', 's.expires_at',
      'u.id as user_id', 'u.hotline_id', 'u.email', 'u.display_name', 'u.roles', 'u.organisation_id', 'u.locale',
      'u.must_change_password', 'u.is_active', 'u.locked_until', 'u.availability', 'u.languages', 'u.skills',
      (eb) => eb('u.totp_secret', 'is not', null).as('has_totp'),
      'h.slug', 'h.name as hotline_name', 'h.locales', 'h.timezone',
    ])
    .where('s.id', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || !row.is_active) return null;
  const now = Date.now();
  if (row.expires_at.getTime() < now || now - row.last_seen_at.getTime() > IDLE_TIMEOUT_MS) {
    await db.deleteFrom('user_session').where('id', '=', row.id).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('user_session').set({ last_seen_at: new Date(now) }).where('id', '=', row.id).execute();
  }
  return {
    id: row.id,
    state: row.state,
    csrfToken: row.csrf_token,
    user: {
      id: row.user_id,
      hotlineId: row.hotline_id,
      email: row.email,
      displayName: row.display_name,
      roles: row.roles as Role[],
      organisationId: row.organisation_id,
      locale: row.locale,
      mustChangePassword: row.must_change_password,
      hasTotp: Boolean(row.has_totp),
      availability: row.availability,
      languages: row.languages,
      skills: row.skills,
    },
    hotline: { id: row.hotline_id, slug: row.slug, name: row.hotline_name, locales: row.locales, timezone: row.timezone },
  };
}

export async function setSessionState(db: DbOrTx, sessionId: string, state: SessionState) {
  // A new CSRF token at every step up: a token seen before sign-in completes is useless after it.
  const csrfToken = randomBytes(24).toString('base64url');
  await db.updateTable('user_session').set({ state, csrf_token: csrfToken, last_seen_at: new Date() }).where('id', '=', sessionId).execute();
  return csrfToken;
}

export async function deleteSession(db: DbOrTx, sessionId: string) {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: DbOrTx, userId: string, exceptSessionId?: string) {
  let q = db.deleteFrom('user_session').where('user_id', '=', userId);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  await q.execute();
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const CACHE_TTL_MS = 2_000;
const CACHE_MAX = 10_000;

/**
 * Signed-in sessions seen in the last two seconds, so a burst of API calls costs one session query, not one each.
 * Every change made through this server (sign-out, role change, deactivation, password reset) evicts at once; another
 * server sharing the database sees such a change within the TTL at worst.
 */
export class SessionCache {
  private entries = new Map<string, { session: LoadedSession; at: number }>();

  async load(db: DbOrTx, token: string): Promise<LoadedSession | null> {
    const key = hashToken(token);
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.session;
    const session = await loadSession(db, token);
    if (session?.state === 'signed_in') {
      if (this.entries.size >= CACHE_MAX) this.entries.clear();
      this.entries.set(key, { session, at: Date.now() });
    } else this.entries.delete(key);
    return session;
  }

  evictUser(userId: string) {
    for (const [key, entry] of this.entries) if (entry.session.user.id === userId) this.entries.delete(key);
  }
}
