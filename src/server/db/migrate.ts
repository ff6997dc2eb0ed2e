import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './db.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_intake.js';
// import:0003-webform
import * as m0004 from './migrations/0004_chat.js';
// import:0005-email
// import:0006-voice-and-api
import * as m0010 from './migrations/0010_cases.js';

// Migrations are listed here explicitly (not read from the file system) so the compiled build and the tests agree.
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_intake': m0002,
  // list:0003-webform
  '0004_chat': m0004,
  // list:0005-email
  // list:0006-voice-and-api
  '0010_cases': m0010,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'catalyst_migration', migrationLockTableName: 'catalyst_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function isMigrated(db: Db): Promise<boolean> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'catalyst_migration', migrationLockTableName: 'catalyst_migration_lock' });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
