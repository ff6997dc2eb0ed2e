import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/helpers/client.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { register } from '../../cli/commands/export.js';
import { CTDC_QUASI_IDENTIFIERS, CTDC_VARIABLES } from '../../shared/metrics/ctdc.js';
import { HTCDS_EXPORT_FIELDS, HTCDS_MULTISELECT_SEPARATOR, HTCDS_PICKLIST_FIELDS } from '../../shared/metrics/htcds.js';
import { ctdcCsv, exportCtdc, exportHtcds, htcdsCsv, writeExportFile } from './export.service.js';
import { equivalenceClasses } from './kanonymity.js';

const standards = new URL('../../../../shared/standards/', import.meta.url);
const htcdsPicklists: Record<string, { values: string[]; type: string }> = JSON.parse(fs.readFileSync(new URL('htcds/htcds_picklists_2.0.json', standards), 'utf8')).picklists;

let server: TestServer;
let advocate: ApiClient;
const secrets: string[] = [];

const GENDERS = ['female', 'male', 'female', 'non_binary', 'female', 'male'] as const;
const AGES = ['18_24', '25_34', '12_17', '35_49', '18_24', '50_plus'] as const;
const NATIONALITIES = ['MX', 'GT', 'MX', 'PH', 'HN', 'MX'] as const;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  // 12 cases with 18 potential victims, one restricted case, one case with nobody recorded yet.
  for (let i = 0; i < 12; i++) {
    const created = await advocate.post('/api/cases', { title: `Caso ${i} en la calle Morelos`, traffickingTypes: i % 3 === 0 ? ['sex', 'labour'] : i % 2 ? ['labour'] : ['sex'], typologyCode: String((i % 25) + 1), sensitivity: i === 11 ? 'restricted' : 'normal' });
    expect(created.status).toBe(201);
    const id = created.body.case.id;
    if (i === 10) continue;
    for (let j = 0; j < (i % 2 ? 2 : 1); j++) {
      const n = i * 2 + j;
      const givenNames = `Persona${n}`;
      const phone = `+52 55 5555 ${String(1000 + n)}`;
      const email = `persona${n}@example.org`;
      const dateOfBirth = `19${80 + (n % 20)}-0${1 + (n % 9)}-1${n % 10}`;
      secrets.push(givenNames, phone, email, dateOfBirth, `Caso ${i} en la calle Morelos`);
      const person = await advocate.post(`/api/cases/${id}/people`, {
        role: 'potential_victim',
        details: { givenNames, familyNames: 'Hernández', phones: [phone], emails: [email], dateOfBirth, identifyingDetails: 'tatuaje en el brazo' },
        gender: GENDERS[n % GENDERS.length],
        ageRange: AGES[n % AGES.length],
        nationality: NATIONALITIES[n % NATIONALITIES.length],
      });
      expect(person.status).toBe(201);
    }
    // A signaler is never exported.
    await advocate.post(`/api/cases/${id}/people`, { role: 'signaler', details: { givenNames: 'Informante' }, gender: 'male' });
  }
  secrets.push('Informante', 'Hernández', 'tatuaje');
});
afterAll(() => server?.close());

const actor = { id: null, label: 'test' };

describe('HTCDS export', () => {
  it('writes one row per potential victim with upstream field names and picklist value names only', async () => {
    const result = await exportHtcds(server.ctx, server.hotline.id, actor);
    expect(result.excludedRestricted).toBe(1);
    expect(result.cases).toBe(11);
    // Cases 0..9: 1 victim when even, 2 when odd (15), plus case 10 with none (1 row).
    expect(result.rows).toHaveLength(16);
    const csv = htcdsCsv(result.rows);
    const parsed: Record<string, string>[] = parse(csv, { columns: true });
    expect(Object.keys(parsed[0])).toEqual([...HTCDS_EXPORT_FIELDS]);
    for (const row of parsed) {
      for (const field of HTCDS_PICKLIST_FIELDS) {
        if (row[field] === '') continue;
        const values = htcdsPicklists[field].type.startsWith('Multiselect') ? row[field].split(HTCDS_MULTISELECT_SEPARATOR) : [row[field]];
        for (const value of values) expect(htcdsPicklists[field].values, `${field}=${value}`).toContain(value);
      }
    }
    expect(parsed.filter((r) => r.vic_TraffickingStatus === 'PossibleVictimOfTrafficking')).toHaveLength(15);
    expect(new Set(parsed.map((r) => r.prs_Citizenship))).toEqual(new Set(['MX', 'GT', 'PH', 'HN', '']));
    for (const secret of secrets) expect(csv).not.toContain(secret);
  });

  it('includes restricted cases only when asked', async () => {
    const result = await exportHtcds(server.ctx, server.hotline.id, actor, { includeRestricted: true });
    expect(result.excludedRestricted).toBe(0);
    expect(result.rows).toHaveLength(18);
  });

  it('audits the export', async () => {
    const audits = await server.db.selectFrom('audit_log').select(['action', 'details']).where('hotline_id', '=', server.hotline.id).where('action', '=', 'export.htcds').execute();
    expect(audits.length).toBeGreaterThanOrEqual(2);
    // Rows come back in no set order: look for the first export's audit among them.
    expect(audits.map((a) => a.details)).toContainEqual(expect.objectContaining({ rows: 16, excludedRestricted: 1 }));
  });
});

describe('CTDC export', () => {
  it('is k-anonymous over its quasi-identifiers, uses the CTDC variable names and reports what it changed', async () => {
    for (const k of [1, 3, 5, 11]) {
      const result = await exportCtdc(server.ctx, server.hotline.id, actor, { k });
      expect(result.records).toBe(15);
      expect(result.released + result.suppressed).toBe(15);
      const csv = ctdcCsv(result.rows);
      const parsed: Record<string, string>[] = parse(csv, { columns: true });
      expect(csv.split('\n')[0].split(',')).toEqual([...CTDC_VARIABLES]);
      expect(parsed).toHaveLength(result.released);
      for (const size of equivalenceClasses(parsed, CTDC_QUASI_IDENTIFIERS.map((q) => q.field)).values()) expect(size).toBeGreaterThanOrEqual(k);
      for (const secret of secrets) expect(csv).not.toContain(secret);
      // The exact age read from the birth date is never released, only a band.
      expect(csv).not.toMatch(/age:|range:/);
      if (k === 1) {
        expect(result.generalised).toBe(0);
        expect(result.suppressed).toBe(0);
        expect(parsed.every((r) => r.CountryOfExploitation === 'CAN')).toBe(true);
        expect(new Set(parsed.map((r) => r.citizenship))).toEqual(new Set(['MEX', 'GTM', 'PHL', 'HND']));
      }
      if (k === 11) expect(result.generalised + result.suppressed).toBeGreaterThan(0);
    }
    const audits = await server.db.selectFrom('audit_log').select(['details']).where('hotline_id', '=', server.hotline.id).where('action', '=', 'export.ctdc').execute();
    expect(audits).toHaveLength(4);
    expect(audits.map((a) => (a.details as { k: number }).k).sort((a, b) => a - b)).toEqual([1, 3, 5, 11]);
  });

  it('writes the CSV readable by its owner only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-export-'));
    const file = path.join(dir, 'ctdc.csv');
    await writeExportFile(file, ctdcCsv((await exportCtdc(server.ctx, server.hotline.id, actor, { k: 3 })).rows));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['ctdc.csv']);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('catalyst export command', () => {
  it('registers `export htcds` and `export ctdc` with the options of the issue', () => {
    const program = new Command('catalyst');
    register(program);
    const exportCommand = program.commands.find((c) => c.name() === 'export')!;
    const options = (name: string) => exportCommand.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
    expect(options('htcds')).toEqual(expect.arrayContaining(['--hotline', '--out', '--json']));
    expect(options('ctdc')).toEqual(expect.arrayContaining(['--hotline', '--k', '--out', '--json']));
  });
});
