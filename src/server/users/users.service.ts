import { fail, ok, type Result } from '../../shared/errors.js';
import type { Locale, Role } from '../../shared/roles.js';
import { appendAudit } from '../audit/audit.js';
import { deleteUserSessions } from '../auth/sessions.js';
import { generateTemporaryPassword, hashPassword, passwordWeakness } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { emailExists, findUser, insertUser, listUsers, organisationBelongsTo, type UserRow } from './users.repo.js';

/** Who is acting: a signed-in admin, or an operator at the CLI. */
export interface ActingAs {
  id: string | null;
  label: string;
  ip?: string | null;
}

export async function listHotlineUsers(ctx: AppContext, hotlineId: string, by: ActingAs) {
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await listUsers(tx, hotlineId);
    await appendAudit(tx, { hotlineId, actorId: by.id, actorLabel: by.label, action: 'user.list', recordType: 'user', details: { count: rows.length }, ip: by.ip });
    return rows;
  });
}

export async function readHotlineUser(ctx: AppContext, hotlineId: string, id: string, by: ActingAs): Promise<Result<UserRow>> {
  // One statement reads and audits (an attempt on a missing id is audited too: probing is worth knowing about).
  const row = await findUser(ctx.db, hotlineId, id, { hotlineId, actorId: by.id, actorLabel: by.label, action: 'user.read', recordType: 'user', recordId: id, ip: by.ip });
  return row ? ok(row) : fail('not_found', 'No such user');
}

export async function createUser(
  ctx: AppContext,
  hotlineId: string,
  input: { email: string; displayName: string; roles: Role[]; locale?: Locale; organisationId?: string | null; password?: string; totpSecret?: string | null },
  by: ActingAs,
): Promise<Result<{ user: UserRow; temporaryPassword: string | null }>> {
  const email = input.email.trim().toLowerCase();
  if (await emailExists(ctx.db, email)) return fail('email_taken', 'A user with this email already exists');
  if (input.roles.includes('partner') && !input.organisationId) return fail('validation_failed', 'organisationId: a partner user must belong to a partner organisation');
  if (input.organisationId && !(await organisationBelongsTo(ctx.db, hotlineId, input.organisationId))) return fail('validation_failed', 'organisationId: no such organisation in this hotline');
  if (input.password) {
    const weakness = passwordWeakness(input.password, email);
    if (weakness) return fail('weak_password', weakness);
  }
  const temporaryPassword = input.password ? null : generateTemporaryPassword();
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  const totpSecret = input.totpSecret ? await ctx.keys.encrypt(hotlineId, 'app_user.totp_secret', input.totpSecret) : null;
  const user = await ctx.db.transaction().execute(async (tx) => {
    const { id } = await insertUser(tx, {
      hotlineId, email, displayName: input.displayName, passwordHash, roles: [...new Set(input.roles)], locale: input.locale,
      organisationId: input.organisationId, mustChangePassword: temporaryPassword !== null, totpSecret,
    });
    await appendAudit(tx, { hotlineId, actorId: by.id, actorLabel: by.label, action: 'user.create', recordType: 'user', recordId: id, details: { roles: input.roles }, ip: by.ip });
    return (await findUser(tx, hotlineId, id))!;
  });
  return ok({ user, temporaryPassword });
}

async function isLastActiveAdmin(ctx: AppContext, hotlineId: string, userId: string) {
  const admins = await ctx.db
    .selectFrom('app_user')
    .select('id')
    .where('hotline_id', '=', hotlineId)
    .where('is_active', '=', true)
    .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')))
    .execute();
  return admins.length === 1 && admins[0].id === userId;
}

export async function updateUser(
  ctx: AppContext,
  hotlineId: string,
  id: string,
  patch: { displayName?: string; roles?: Role[]; locale?: Locale; organisationId?: string | null; languages?: string[]; skills?: string[]; teams?: string[] },
  by: ActingAs,
): Promise<Result<UserRow>> {
  const current = await findUser(ctx.db, hotlineId, id);
  if (!current) return fail('not_found', 'No such user');
  if (patch.roles && !patch.roles.includes('admin') && current.roles.includes('admin') && (await isLastActiveAdmin(ctx, hotlineId, id))) {
    return fail('conflict', 'This is the last active admin of the hotline; make someone else admin first');
  }
  const organisationId = patch.organisationId === undefined ? current.organisation_id : patch.organisationId;
  if ((patch.roles ?? current.roles).includes('partner') && !organisationId) return fail('validation_failed', 'organisationId: a partner user must belong to a partner organisation');
  if (patch.organisationId && !(await organisationBelongsTo(ctx.db, hotlineId, patch.organisationId))) return fail('validation_failed', 'organisationId: no such organisation in this hotline');
  const user = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set((eb) => ({
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.roles !== undefined && { roles: [...new Set(patch.roles)] }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        ...(patch.organisationId !== undefined && { organisation_id: patch.organisationId }),
        ...(patch.languages !== undefined && { languages: [...new Set(patch.languages)] }),
        ...(patch.skills !== undefined && { skills: [...new Set(patch.skills)] }),
        ...(patch.teams !== undefined && { teams: [...new Set(patch.teams)] }),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', id)
      .execute();
    const rolesChanged = patch.roles && [...patch.roles].sort().join() !== [...current.roles].sort().join();
    await appendAudit(tx, {
      hotlineId, actorId: by.id, actorLabel: by.label, action: rolesChanged ? 'user.roles_change' : 'user.update', recordType: 'user', recordId: id, ip: by.ip,
      details: { fields: Object.keys(patch), ...(rolesChanged && { from: current.roles, to: patch.roles }) },
    });
    if (rolesChanged) await deleteUserSessions(tx, id); // new roles take effect at the next sign-in, not halfway through a page
    return (await findUser(tx, hotlineId, id))!;
  });
  ctx.sessions.evictUser(id);
  return ok(user);
}

export async function resetPassword(ctx: AppContext, hotlineId: string, id: string, by: ActingAs, password?: string): Promise<Result<{ temporaryPassword: string | null }>> {
  const current = await findUser(ctx.db, hotlineId, id);
  if (!current) return fail('not_found', 'No such user');
  if (password) {
    const weakness = passwordWeakness(password, current.email);
    if (weakness) return fail('weak_password', weakness);
  }
  const temporaryPassword = password ? null : generateTemporaryPassword();
  const passwordHash = await hashPassword(password ?? temporaryPassword!);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set((eb) => ({ password_hash: passwordHash, must_change_password: temporaryPassword !== null, failed_attempts: 0, locked_until: null, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', id)
      .execute();
    await deleteUserSessions(tx, id);
    await appendAudit(tx, { hotlineId, actorId: by.id, actorLabel: by.label, action: 'user.reset_password', recordType: 'user', recordId: id, ip: by.ip });
  });
  ctx.sessions.evictUser(id);
  return ok({ temporaryPassword });
}

export async function resetSecondFactor(ctx: AppContext, hotlineId: string, id: string, by: ActingAs): Promise<Result<null>> {
  const current = await findUser(ctx.db, hotlineId, id);
  if (!current) return fail('not_found', 'No such user');
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set((eb) => ({ totp_secret: null, totp_pending_secret: null, totp_last_counter: null, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', id)
      .execute();
    await deleteUserSessions(tx, id);
    await appendAudit(tx, { hotlineId, actorId: by.id, actorLabel: by.label, action: 'user.reset_mfa', recordType: 'user', recordId: id, ip: by.ip });
  });
  ctx.sessions.evictUser(id);
  return ok(null);
}

export async function setUserActive(ctx: AppContext, hotlineId: string, id: string, isActive: boolean, by: ActingAs): Promise<Result<UserRow>> {
  const current = await findUser(ctx.db, hotlineId, id);
  if (!current) return fail('not_found', 'No such user');
  if (!isActive && by.id === id) return fail('conflict', 'You cannot deactivate your own account; ask another admin');
  if (!isActive && current.roles.includes('admin') && (await isLastActiveAdmin(ctx, hotlineId, id))) {
    return fail('conflict', 'This is the last active admin of the hotline; it cannot be deactivated');
  }
  const user = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set((eb) => ({ is_active: isActive, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', id)
      .execute();
    if (!isActive) await deleteUserSessions(tx, id);
    await appendAudit(tx, { hotlineId, actorId: by.id, actorLabel: by.label, action: isActive ? 'user.reactivate' : 'user.deactivate', recordType: 'user', recordId: id, ip: by.ip });
    return (await findUser(tx, hotlineId, id))!;
  });
  ctx.sessions.evictUser(id);
  return ok(user);
}
