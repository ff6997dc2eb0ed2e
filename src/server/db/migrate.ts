import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './db.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_intake.js';
import * as m0003 from './migrations/0003_webform.js';
import * as m0004 from './migrations/0004_chat.js';
import * as m0005 from './migrations/0005_email.js';
import * as m0006 from './migrations/0006_voice_and_api.js';
import * as m0010 from './migrations/0010_cases.js';
import * as m0011 from './migrations/0011_assessment.js';
import * as m0012 from './migrations/0012_directory.js';
import * as m0013 from './migrations/0013_referrals.js';
import * as m0014 from './migrations/0014_search.js';
import * as m0015 from './migrations/0015_reports.js';
import * as m0016 from './migrations/0016_scheduling.js';
import * as m0018 from './migrations/0018_config_versions.js';
import * as m0021 from './migrations/0021_partner_accounts.js';
import * as m0022 from './migrations/0022_metrics_rollup.js';
import * as m0023 from './migrations/0023_search_more.js';
import * as m0024 from './migrations/0024_queue_transfer.js';
import * as m0025 from './migrations/0025_scheduling_forms.js';
import * as m0026 from './migrations/0026_referrals_more.js';
import * as m0027 from './migrations/0027_queue_sla_breach.js';
import * as m0028 from './migrations/0028_report_referrals.js';
import * as m0029 from './migrations/0029_metrics_rollup_pairs.js';
import * as m0030 from './migrations/0030_staff_teams.js';
import * as m0031 from './migrations/0031_staff_availability.js';
import * as m0032 from './migrations/0032_intake_function.js';
import * as m0033 from './migrations/0033_thread_index.js';
import * as m0034 from './migrations/0034_media_fetch.js';

// Migrations are listed here explicitly (not read from the file system) so the compiled build and the tests agree.
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_intake': m0002,
  '0003_webform': m0003,
  '0004_chat': m0004,
  '0005_email': m0005,
  '0006_voice_and_api': m0006,
  '0010_cases': m0010,
  '0011_assessment': m0011,
  '0012_directory': m0012,
  '0013_referrals': m0013,
  '0014_search': m0014,
  '0015_reports': m0015,
  '0016_scheduling': m0016,
  '0018_config_versions': m0018,
  '0021_partner_accounts': m0021,
  '0022_metrics_rollup': m0022,
  '0023_search_more': m0023,
  '0024_queue_transfer': m0024,
  '0025_scheduling_forms': m0025,
  '0026_referrals_more': m0026,
  '0027_queue_sla_breach': m0027,
  '0028_report_referrals': m0028,
  '0029_metrics_rollup_pairs': m0029,
  '0030_staff_teams': m0030,
  '0031_staff_availability': m0031,
  '0032_intake_function': m0032,
  '0033_thread_index': m0033,
  '0034_media_fetch': m0034,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'catalyst_migration', migrationLockTableName: 'catalyst_migration_lock', allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function isMigrated(db: Db): Promise<boolean> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'catalyst_migration', migrationLockTableName: 'catalyst_migration_lock', allowUnorderedMigrations: true });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
