import type { DbOrTx } from '../db/db.js';
import { auditInsert, type AuditEntry } from '../audit/audit.js';

const USER_COLUMNS = [
  'id', 'hotline_id', 'email', 'display_name', 'roles', 'organisation_id', 'locale', 'is_active', 'locked_until',
  'last_sign_in_at', 'created_at', 'must_change_password', 'version', 'languages', 'skills', 'teams',
] as const;

export type UserRow = Awaited<ReturnType<typeof findUser>> & {};

export async function findUser(db: DbOrTx, hotlineId: string, id: string, audit?: AuditEntry) {
  const base = audit ? db.with('audit', (qb) => auditInsert(qb, audit)) : db;
  return base
    .selectFrom('app_user')
    .select([...USER_COLUMNS, (eb) => eb('totp_secret', 'is not', null).as('mfa_enrolled')])
    .where('hotline_id', '=', hotlineId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listUsers(db: DbOrTx, hotlineId: string) {
  return db
    .selectFrom('app_user')
    .select([...USER_COLUMNS, (eb) => eb('totp_secret', 'is not', null).as('mfa_enrolled')])
    .where('hotline_id', '=', hotlineId)
    .orderBy('display_name')
    .execute();
}

export async function emailExists(db: DbOrTx, email: string) {
  return !!(await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst());
}

export async function organisationBelongsTo(db: DbOrTx, hotlineId: string, organisationId: string) {
  return !!(await db.selectFrom('organisation').select('id').where('hotline_id', '=', hotlineId).where('id', '=', organisationId).executeTakeFirst());
}

export async function insertUser(
  db: DbOrTx,
  input: { hotlineId: string; email: string; displayName: string; passwordHash: string; roles: string[]; locale?: string; organisationId?: string | null; mustChangePassword: boolean; totpSecret?: Buffer | null },
) {
  return db
    .insertInto('app_user')
    .values({
      hotline_id: input.hotlineId,
      email: input.email,
      display_name: input.displayName,
      password_hash: input.passwordHash,
      roles: input.roles,
      locale: input.locale,
      organisation_id: input.organisationId ?? null,
      must_change_password: input.mustChangePassword,
      totp_secret: input.totpSecret ?? null,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
