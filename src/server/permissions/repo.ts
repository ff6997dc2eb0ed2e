import { ruleSetSchema, type RuleSet } from '../../shared/permissions.js';
import type { DbOrTx } from '../db/db.js';
import { DEFAULT_RULES } from './defaults.js';

export async function getRuleSet(db: DbOrTx, hotlineId: string): Promise<{ rules: RuleSet; version: number }> {
  const row = await db.selectFrom('permission_rule_set').select(['rules', 'version']).where('hotline_id', '=', hotlineId).executeTakeFirst();
  if (!row) return { rules: DEFAULT_RULES, version: 0 };
  // Stored rules were validated on write; parsing again guards against a hand-edited row widening access.
  const parsed = ruleSetSchema.safeParse(row.rules);
  return { rules: parsed.success ? parsed.data : {}, version: row.version };
}

export async function saveRuleSet(db: DbOrTx, hotlineId: string, rules: RuleSet, expectedVersion: number, userId: string) {
  if (expectedVersion === 0) {
    const inserted = await db
      .insertInto('permission_rule_set')
      .values({ hotline_id: hotlineId, rules: JSON.stringify(rules), version: 1, updated_at: new Date(), updated_by: userId })
      .onConflict((oc) => oc.column('hotline_id').doNothing())
      .returning('version')
      .executeTakeFirst();
    return inserted?.version ?? null;
  }
  const updated = await db
    .updateTable('permission_rule_set')
    .set({ rules: JSON.stringify(rules), version: expectedVersion + 1, updated_at: new Date(), updated_by: userId })
    .where('hotline_id', '=', hotlineId)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated?.version ?? null;
}
