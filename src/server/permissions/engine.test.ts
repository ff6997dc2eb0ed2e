import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { ROLES } from '../../shared/roles.js';
import { ACTIONS, RECORD_CONDITIONS, SENSITIVITIES, USER_CONDITIONS, ruleSetSchema, type Condition, type RuleSet } from '../../shared/permissions.js';
import { compilePermissions, type Actor } from './engine.js';

const ids = ['00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-00000000000c'];
const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom(...USER_CONDITIONS),
  fc.constantFrom(...RECORD_CONDITIONS),
  fc.constantFrom(...SENSITIVITIES).map((s) => ({ sensitivityAtMost: s })),
);
const rulesArb: fc.Arbitrary<RuleSet> = fc.dictionary(fc.constantFrom(...ACTIONS), fc.array(fc.array(conditionArb, { minLength: 1, maxLength: 3 }), { maxLength: 3 })) as fc.Arbitrary<RuleSet>;
const actorArb: fc.Arbitrary<Actor> = fc.record({
  id: fc.constantFrom(...ids),
  hotlineId: fc.constant('h'),
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
  organisationId: fc.option(fc.constantFrom(...ids), { nil: null }),
});
const recordArb = fc.record({
  id: fc.constantFrom(...ids),
  assigneeId: fc.option(fc.constantFrom(...ids), { nil: null }),
  creatorId: fc.option(fc.constantFrom(...ids), { nil: null }),
  organisationId: fc.option(fc.constantFrom(...ids), { nil: null }),
  sensitivity: fc.constantFrom(...SENSITIVITIES),
  namedUserIds: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 3 }),
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create temporary table rec (id uuid, assignee_id uuid, creator_id uuid, organisation_id uuid, sensitivity text)`.execute(database.db);
});
afterAll(() => database?.drop());

describe('permission rules', () => {
  it('denies an action with no rule, allows by OR of AND clauses', () => {
    const admin = { id: ids[0], hotlineId: 'h', roles: ['admin'] as const, organisationId: null };
    const advocate = { id: ids[1], hotlineId: 'h', roles: ['advocate'] as const, organisationId: null };
    const rules: RuleSet = { 'user.update': [['isAdmin'], ['isAdvocate', 'isSelf']] };
    expect(compilePermissions(rules, admin).allows('user.update', { id: ids[2] })).toBe(true);
    expect(compilePermissions(rules, advocate).allows('user.update', { id: ids[2] })).toBe(false);
    expect(compilePermissions(rules, advocate).allows('user.update', { id: ids[1] })).toBe(true);
    expect(compilePermissions(rules, advocate).mayAttempt('user.update')).toBe(true);
    expect(compilePermissions(rules, advocate).mayAttempt('user.create')).toBe(false);
  });

  it('rejects malformed rule sets', () => {
    expect(ruleSetSchema.safeParse({ 'user.list': [['isWizard']] }).success).toBe(false);
    expect(ruleSetSchema.safeParse({ 'no.such.action': [['isAdmin']] }).success).toBe(false);
    expect(ruleSetSchema.safeParse({ 'user.list': [[]] }).success).toBe(false);
  });

  it('compiles to a SQL filter that keeps exactly the records the predicate allows', async () => {
    await fc.assert(
      fc.asyncProperty(rulesArb, actorArb, fc.array(recordArb, { minLength: 1, maxLength: 12 }), fc.constantFrom(...ACTIONS), async (rules, actor, records, action) => {
        const can = compilePermissions(rules, actor);
        const columns = {
          id: 'id', assigneeId: 'assignee_id', creatorId: 'creator_id', organisationId: 'organisation_id', sensitivity: 'sensitivity',
          named: (userId: string) => sql<boolean>`${userId}::uuid = any(named)`,
        };
        const rows = records.map((r, i) => ({ ...r, key: i }));
        const values = sql.join(rows.map((r) => sql`(${r.key}::int, ${r.id}::uuid, ${r.assigneeId}::uuid, ${r.creatorId}::uuid, ${r.organisationId}::uuid, ${r.sensitivity}::text, ${sql.val(r.namedUserIds)}::uuid[])`));
        const result = await sql<{ key: number }>`select key from (values ${values}) as t(key, id, assignee_id, creator_id, organisation_id, sensitivity, named) where ${can.sqlFilter(action, columns)}`.execute(database.db);
        const fromSql = result.rows.map((r) => r.key).sort((a, b) => a - b);
        const fromPredicate = rows.filter((r) => can.allows(action, r)).map((r) => r.key);
        expect(fromSql).toEqual(fromPredicate);
      }),
      { numRuns: 150 },
    );
  });
});
