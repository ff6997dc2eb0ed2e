import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { recordAvailability } from '../queue/availability.js';
import { burnPasswordCheck, hashPassword, passwordWeakness, verifyPassword } from './passwords.js';
import { createSession, deleteSession, deleteUserSessions, setSessionState, type LoadedSession, type SessionState } from './sessions.js';
import { enrolmentMaterial, matchTotp, newTotpSecret } from './totp.js';

export const LOCKOUT_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
const TOTP_FIELD = 'app_user.totp_secret';
const TOTP_PENDING_FIELD = 'app_user.totp_pending_secret';

interface RequestMeta {
  ip: string | null;
}

function lockedFailure(lockedUntil: Date) {
  return fail<never>('account_locked', `Too many failed attempts. This account is locked until ${lockedUntil.toISOString()}.`, {
    lockedUntil: lockedUntil.toISOString(),
  });
}

/** Counts one failed attempt; the attempt that reaches the limit locks the account for a while. */
async function recordFailure(ctx: AppContext, user: { id: string; hotline_id: string; email: string }, action: string, meta: RequestMeta) {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('app_user')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', user.id)
      .returning(['failed_attempts'])
      .executeTakeFirstOrThrow();
    let lockedUntil: Date | null = null;
    if (row.failed_attempts >= LOCKOUT_ATTEMPTS) {
      lockedUntil = new Date(Date.now() + LOCKOUT_MINUTES * 60_000);
      await tx.updateTable('app_user').set({ locked_until: lockedUntil, failed_attempts: 0 }).where('id', '=', user.id).execute();
    }
    await appendAudit(tx, {
      hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action, recordType: 'user', recordId: user.id, ip: meta.ip,
      details: { attempts: row.failed_attempts, locked: lockedUntil !== null },
    });
    if (lockedUntil) {
      await appendAudit(tx, { hotlineId: user.hotline_id, actorId: null, actorLabel: 'system', action: 'auth.locked', recordType: 'user', recordId: user.id, ip: meta.ip, details: { minutes: LOCKOUT_MINUTES } });
    }
    return lockedUntil;
  });
}

export async function signIn(ctx: AppContext, email: string, password: string, meta: RequestMeta): Promise<Result<{ token: string; csrfToken: string; state: SessionState }>> {
  const user = await ctx.db.selectFrom('app_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!user || !user.is_active) {
    await burnPasswordCheck(password);
    await ctx.db.transaction().execute((tx) =>
      appendAudit(tx, { hotlineId: user?.hotline_id ?? null, actorId: user?.id ?? null, actorLabel: 'unknown', action: 'auth.sign_in_failed', ip: meta.ip, details: { reason: user ? 'deactivated' : 'unknown_account' } }),
    );
    return fail('invalid_credentials', 'Wrong email or password');
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await burnPasswordCheck(password);
    return lockedFailure(user.locked_until);
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const lockedUntil = await recordFailure(ctx, user, 'auth.sign_in_failed', meta);
    return lockedUntil ? lockedFailure(lockedUntil) : fail('invalid_credentials', 'Wrong email or password');
  }
  const state: SessionState = user.totp_secret ? 'mfa_required' : 'mfa_enrol_required';
  const session = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('app_user').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
    await appendAudit(tx, { hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action: 'auth.password_ok', recordType: 'user', recordId: user.id, ip: meta.ip });
    return createSession(tx, { userId: user.id, hotlineId: user.hotline_id, state, ip: meta.ip });
  });
  return ok({ ...session, state });
}

export async function verifySecondFactor(ctx: AppContext, session: LoadedSession, code: string, meta: RequestMeta): Promise<Result<{ csrfToken: string }>> {
  if (session.state !== 'mfa_required') return fail('conflict', 'No second-factor check is pending');
  const user = await ctx.db.selectFrom('app_user').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow();
  if (user.locked_until && user.locked_until.getTime() > Date.now()) return lockedFailure(user.locked_until);
  const secret = await ctx.keys.decryptOptional(user.hotline_id, TOTP_FIELD, user.totp_secret);
  const counter = secret ? matchTotp(secret, code) : null;
  if (counter === null || (user.totp_last_counter !== null && counter <= Number(user.totp_last_counter))) {
    const lockedUntil = await recordFailure(ctx, user, 'auth.mfa_failed', meta);
    if (lockedUntil) {
      await deleteSession(ctx.db, session.id);
      return lockedFailure(lockedUntil);
    }
    return fail('invalid_code', 'That code is not valid; check the time on your device and try the next code');
  }
  const csrfToken = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('app_user').set({ totp_last_counter: counter, failed_attempts: 0, last_sign_in_at: new Date() }).where('id', '=', user.id).execute();
    await appendAudit(tx, { hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action: 'auth.sign_in', recordType: 'user', recordId: user.id, ip: meta.ip });
    return setSessionState(tx, session.id, 'signed_in');
  });
  return ok({ csrfToken });
}

export async function startEnrolment(ctx: AppContext, session: LoadedSession) {
  if (session.state !== 'mfa_enrol_required') return fail<never>('conflict', 'This account already has a second factor');
  const secret = newTotpSecret();
  const sealed = await ctx.keys.encrypt(session.user.hotlineId, TOTP_PENDING_FIELD, secret);
  await ctx.db.updateTable('app_user').set({ totp_pending_secret: sealed }).where('id', '=', session.user.id).execute();
  return ok(await enrolmentMaterial(secret, session.user.email));
}

export async function confirmEnrolment(ctx: AppContext, session: LoadedSession, code: string, meta: RequestMeta): Promise<Result<{ csrfToken: string }>> {
  if (session.state !== 'mfa_enrol_required') return fail('conflict', 'This account already has a second factor');
  const user = await ctx.db.selectFrom('app_user').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow();
  const pending = await ctx.keys.decryptOptional(user.hotline_id, TOTP_PENDING_FIELD, user.totp_pending_secret);
  if (!pending) return fail('conflict', 'Start the enrolment first');
  const counter = matchTotp(pending, code);
  if (counter === null) {
    const lockedUntil = await recordFailure(ctx, user, 'auth.mfa_failed', meta);
    if (lockedUntil) {
      await deleteSession(ctx.db, session.id);
      return lockedFailure(lockedUntil);
    }
    return fail('invalid_code', 'That code is not valid; scan the QR code again or type the secret, then enter the current code');
  }
  const csrfToken = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set({
        totp_secret: await ctx.keys.encrypt(user.hotline_id, TOTP_FIELD, pending),
        totp_pending_secret: null,
        totp_last_counter: counter,
        failed_attempts: 0,
        last_sign_in_at: new Date(),
      })
      .where('id', '=', user.id)
      .execute();
    await appendAudit(tx, { hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action: 'auth.mfa_enrolled', recordType: 'user', recordId: user.id, ip: meta.ip });
    await appendAudit(tx, { hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action: 'auth.sign_in', recordType: 'user', recordId: user.id, ip: meta.ip });
    return setSessionState(tx, session.id, 'signed_in');
  });
  return ok({ csrfToken });
}

export async function signOut(ctx: AppContext, session: LoadedSession, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (tx) => {
    await deleteSession(tx, session.id);
    // Signing out is going offline (occupancy counts the time people were available or busy).
    await tx.updateTable('app_user').set({ availability: 'offline' }).where('id', '=', session.user.id).execute();
    await recordAvailability(tx, session.user.hotlineId, session.user.id, 'offline');
    await appendAudit(tx, { hotlineId: session.user.hotlineId, actorId: session.user.id, actorLabel: session.user.email, action: 'auth.sign_out', recordType: 'user', recordId: session.user.id, ip: meta.ip });
  });
  ctx.sessions.evictUser(session.user.id);
}

export async function changePassword(ctx: AppContext, session: LoadedSession, current: string, next: string, meta: RequestMeta): Promise<Result<null>> {
  const user = await ctx.db.selectFrom('app_user').select(['id', 'hotline_id', 'email', 'password_hash']).where('id', '=', session.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) {
    const lockedUntil = await recordFailure(ctx, user, 'auth.password_change_failed', meta);
    return lockedUntil ? lockedFailure(lockedUntil) : fail('invalid_credentials', 'Your current password is not right');
  }
  const weakness = passwordWeakness(next, user.email);
  if (weakness) return fail('weak_password', weakness);
  if (current === next) return fail('weak_password', 'Choose a password different from the current one');
  const passwordHash = await hashPassword(next);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set((eb) => ({ password_hash: passwordHash, must_change_password: false, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', user.id)
      .execute();
    // Other sessions of this user end: a password change is often a reaction to a suspected compromise.
    await deleteUserSessions(tx, user.id, session.id);
    await appendAudit(tx, { hotlineId: user.hotline_id, actorId: user.id, actorLabel: user.email, action: 'auth.password_changed', recordType: 'user', recordId: user.id, ip: meta.ip });
  });
  ctx.sessions.evictUser(user.id);
  return ok(null);
}
