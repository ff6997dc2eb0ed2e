import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { register } from '../../cli/commands/export.js';
import { CTDC_VARIABLES } from '../../shared/metrics/ctdc.js';
import { HTCDS_EXPORT_FIELDS } from '../../shared/metrics/htcds.js';
import '../cases/schema.js';
import { buildKeyring } from '../crypto/master-key.js';
import { KeyStore } from '../crypto/keystore.js';
import { createHotline } from '../hotlines/hotlines.repo.js';

// Runs the commands in-process, as `catalyst export …` would once src/cli/main.ts registers them.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const masterKey = randomBytes(32).toString('base64');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-export-cli-'));
let slug: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const keys = new KeyStore(database.db, buildKeyring(masterKey));
  slug = `x${randomBytes(3).toString('hex')}`;
  const hotline = await database.db.transaction().execute((tx) => createHotline(tx, keys, { slug, name: 'Export test', country: 'MX', timezone: 'America/Mexico_City' }));
  for (let i = 0; i < 8; i++) {
    const k = await database.db
      .insertInto('hotline_case')
      .values({ hotline_id: hotline.id, title: await keys.encrypt(hotline.id, 'hotline_case.title', `Caso secreto ${i}`), status: i % 2 ? 'closed' : 'active', trafficking_types: ['labour'], typology_code: '11', assignee_id: null, team: null, created_by: null, closed_at: null, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const details = await keys.encrypt(hotline.id, 'person.details', JSON.stringify({ givenNames: `Nombre${i}`, phones: ['+52 55 1234 5678'], dateOfBirth: '1995-04-02', aliases: [], emails: [], socialHandles: [], languages: [] }));
    const person = await database.db.insertInto('person').values({ hotline_id: hotline.id, details, gender: 'female', age_range: '25_34', nationality: i < 6 ? 'GT' : 'HN', created_by: null, updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('case_person').values({ case_id: k.id, person_id: person.id, hotline_id: hotline.id, role: 'potential_victim' }).execute();
  }
});
afterAll(async () => {
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const program = new Command('catalyst').option('--database-url <url>').option('--data-dir <dir>').option('--log-level <level>').exitOverride();
  register(program);
  const previous = process.env.CATALYST_MASTER_KEY;
  process.env.CATALYST_MASTER_KEY = masterKey;
  const writes: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => { writes.push(String(chunk)); return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'catalyst', '--database-url', database.url, ...args]);
  } finally {
    process.stdout.write = write;
    if (previous === undefined) delete process.env.CATALYST_MASTER_KEY;
    else process.env.CATALYST_MASTER_KEY = previous;
  }
  return writes.join('');
}

describe('catalyst export (in-process)', () => {
  it('export htcds writes the CSV and prints the counts', async () => {
    const out = path.join(dir, 'htcds.csv');
    const printed = JSON.parse(await run(['export', 'htcds', '--hotline', slug, '--out', out, '--json']));
    expect(printed).toMatchObject({ format: 'htcds', records: 8, cases: 8 });
    const rows: Record<string, string>[] = parse(fs.readFileSync(out), { columns: true });
    expect(Object.keys(rows[0])).toEqual([...HTCDS_EXPORT_FIELDS]);
    expect(rows.filter((r) => r.vic_ForcedLabourIndustry === 'A_AgricultureForestryAndFishing')).toHaveLength(8);
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(/Nombre|secreto|5678|1995/);
  });

  it('export ctdc is k-anonymous and reports records, generalised and suppressed', async () => {
    const out = path.join(dir, 'ctdc.csv');
    const printed = JSON.parse(await run(['export', 'ctdc', '--hotline', slug, '--k', '3', '--out', out, '--json']));
    // Six Guatemalans and two Hondurans: citizenship goes up to the region (Americas) rather than dropping two people.
    expect(printed).toMatchObject({ format: 'ctdc', k: 3, records: 8, released: 8, suppressed: 0, generalised: 8 });
    expect(printed.levels.citizenship).toEqual({ level: 1, name: 'UN region' });
    const rows: Record<string, string>[] = parse(fs.readFileSync(out), { columns: true });
    expect(Object.keys(rows[0])).toEqual([...CTDC_VARIABLES]);
    expect(new Set(rows.map((r) => r.citizenship))).toEqual(new Set(['Americas']));
    expect(new Set(rows.map((r) => r.ageBroad))).toEqual(new Set(['30--38']));
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(/Nombre|secreto|5678|1995/);
  });

  it('refuses a bad --k before touching the database', async () => {
    await expect(run(['export', 'ctdc', '--k', 'many', '--out', path.join(dir, 'x.csv')])).rejects.toThrow(/--k must be an integer/);
  });
});
