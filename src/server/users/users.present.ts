import type { UserRow } from './users.repo.js';

/** The only shape in which a staff account leaves the server: no hashes, no secrets. */
export function presentUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    locale: row.locale,
    isActive: row.is_active,
    mfaEnrolled: Boolean(row.mfa_enrolled),
    lockedUntil: row.locked_until && row.locked_until.getTime() > Date.now() ? row.locked_until.toISOString() : null,
    mustChangePassword: row.must_change_password,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    organisationId: row.organisation_id,
    // Routing: languages worked in, channels certified for, teams (empty: any).
    languages: row.languages,
    skills: row.skills,
    teams: row.teams,
    version: row.version,
  };
}
