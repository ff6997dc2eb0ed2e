import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { runCli } from './run.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, CATALYST_MASTER_KEY: randomBytes(32).toString('base64') };
  const seeded = await runCli(['seed', '--demo', '--size', '120', '--json'], env);
  expect(seeded.code).toBe(0);
});
afterAll(() => database?.drop());

const docsOf = async (slug: string) => {
  const hotline = await database.db.selectFrom('hotline').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return database.db.selectFrom('search_doc').select(['record_type', 'record_id', 'name_tokens', 'text_tokens']).where('hotline_id', '=', hotline.id).execute();
};

describe('catalyst search reindex', () => {
  it('rebuilds one hotline’s index from its records, removes entries whose record is gone, and audits it', async () => {
    const hotline = await database.db.selectFrom('hotline').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    const before = await docsOf('demo');
    const person = before.find((d) => d.record_type === 'person');
    // Damage the index: a person's tokens emptied, one stale entry for a record that does not exist.
    if (person) await database.db.updateTable('search_doc').set({ name_tokens: [] }).where('record_id', '=', person.record_id).execute();
    await database.db.insertInto('search_doc').values({ record_type: 'person', record_id: '00000000-0000-4000-8000-000000000001', hotline_id: hotline.id, case_id: null, name_tokens: [1, 2], text_tokens: [], indexed_at: new Date() }).execute();
    const otherBefore = await docsOf('demo-mx');

    const result = await runCli(['search', 'reindex', '--hotline', 'demo', '--json'], env);
    expect(result.code).toBe(0);
    const [summary] = result.json.hotlines;
    const contacts = await database.db.selectFrom('contact').select((eb) => eb.fn.countAll<string>().as('n')).where('hotline_id', '=', hotline.id).executeTakeFirstOrThrow();
    const people = await database.db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).where('hotline_id', '=', hotline.id).executeTakeFirstOrThrow();
    expect(summary).toMatchObject({ hotline: 'demo', indexed: { contact: Number(contacts.n), person: Number(people.n), removed: 1 } });
    expect(summary.indexed.contact).toBeGreaterThan(0);

    const after = await docsOf('demo');
    expect(after.some((d) => d.record_id === '00000000-0000-4000-8000-000000000001')).toBe(false);
    if (person) expect(after.find((d) => d.record_id === person.record_id)!.name_tokens.length).toBeGreaterThan(0);
    // Tokens are made the same way as when the records were written: an unchanged document is unchanged.
    const contactBefore = before.find((d) => d.record_type === 'contact' && d.text_tokens.length > 0);
    if (contactBefore) expect(after.find((d) => d.record_id === contactBefore.record_id)!.text_tokens.sort()).toEqual([...contactBefore.text_tokens].sort());
    // The other hotline was not touched.
    expect((await docsOf('demo-mx')).length).toBe(otherBefore.length);
    const audit = await database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'search.reindex').where('hotline_id', '=', hotline.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('re-indexes every hotline without --hotline, prints a human summary, and names a missing hotline', async () => {
    const all = await runCli(['search', 'reindex'], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^demo: re-indexed \d+ people, \d+ cases/m);
    expect(all.stdout).toMatch(/^demo-mx: re-indexed/m);
    const missing = await runCli(['search', 'reindex', '--hotline', 'nowhere'], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('No hotline with slug "nowhere"');
    expect((await runCli(['search', 'reindex', '--help'], env)).stdout).toMatch(/Usage: catalyst search reindex/);
  });
});
