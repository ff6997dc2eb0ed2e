import { sealAudit } from '../../src/server/audit/audit.js';
import type { Db } from '../../src/server/db/db.js';

/**
 * Seals until no row is left unsealed. Sealing waits for every older transaction in the cluster, including other test
 * files' transactions on other databases, so one call may leave the newest rows for the next.
 */
export async function sealEverything(db: Db) {
  for (let attempt = 0; attempt < 200; attempt++) {
    await sealAudit(db);
    const pending = await db.selectFrom('audit_log').select('id').where('hash', 'is', null).limit(1).execute();
    if (pending.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('audit rows stayed unsealed for 2 s');
}
