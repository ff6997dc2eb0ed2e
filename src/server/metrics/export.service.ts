/**
 * Data-exchange exports (issue 8): HTCDS 2.0 case-level rows and a k-anonymous CTDC dataset. Both read cases and
 * their potential victims of one hotline, write no name, birth date, contact detail, address, free text or internal
 * identifier, and are audited in the transaction that reads the data.
 *
 * Restricted cases (docs/permissions.md) are left out unless asked for: an export is read by people outside the case's
 * named circle.
 */
import '../cases/schema.js';
import '../assessment/schema.js';
import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { IloIndicator } from '../../shared/assessment/vocabulary.js';
import { CTDC_QUASI_IDENTIFIERS, CTDC_VARIABLES, ageOn, polarisNumber, toCtdcRow, type CtdcRow } from '../../shared/metrics/ctdc.js';
import { HTCDS_EXPORT_FIELDS, toHtcdsRow, type HtcdsRow } from '../../shared/metrics/htcds.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { kAnonymise } from './kanonymity.js';

export interface ExportActor {
  id: string | null;
  label: string;
}

export interface ExportOptions {
  includeRestricted?: boolean;
  onProgress?: (done: number, total: number) => void;
}

interface CaseFacts {
  id: string;
  status: string;
  traffickingTypes: string[];
  polarisType: number | null;
  openedAt: Date;
}

async function loadCases(tx: DbOrTx, hotlineId: string, includeRestricted: boolean) {
  const rows = await tx
    .selectFrom('hotline_case')
    .select(['id', 'status', 'trafficking_types', 'typology_code', 'sensitivity', 'opened_at'])
    .where('hotline_id', '=', hotlineId)
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  const kept = rows.filter((r) => includeRestricted || r.sensitivity !== 'restricted');
  const cases: CaseFacts[] = kept.map((r) => ({ id: r.id, status: r.status, traffickingTypes: r.trafficking_types, polarisType: polarisNumber(r.typology_code), openedAt: r.opened_at }));
  return { cases, excludedRestricted: rows.length - kept.length };
}

async function loadVictims(tx: DbOrTx, hotlineId: string, withDetails: boolean) {
  const rows = await tx
    .selectFrom('case_person as cp')
    .innerJoin('person as p', 'p.id', 'cp.person_id')
    .select(['cp.case_id', 'p.id', 'p.gender', 'p.age_range', 'p.nationality', ...(withDetails ? (['p.details'] as const) : [])])
    .where('cp.hotline_id', '=', hotlineId)
    .where('p.hotline_id', '=', hotlineId)
    .where('cp.role', '=', 'potential_victim')
    .orderBy('cp.added_at')
    .orderBy('p.id')
    .execute();
  const byCase = new Map<string, typeof rows>();
  for (const row of rows) byCase.set(row.case_id, [...(byCase.get(row.case_id) ?? []), row]);
  return byCase;
}

/** ILO indicators of the latest assessment of every contact linked to each case, united per case. */
async function loadIndicators(ctx: AppContext, tx: DbOrTx, hotlineId: string) {
  const rows = await tx
    .selectFrom('assessment as a')
    .innerJoin('case_contact as cc', (join) => join.onRef('cc.contact_id', '=', 'a.contact_id').on('cc.hotline_id', '=', hotlineId))
    .distinctOn(['cc.case_id', 'a.contact_id'])
    .select(['cc.case_id', 'a.result'])
    .where('a.hotline_id', '=', hotlineId)
    .orderBy('cc.case_id')
    .orderBy('a.contact_id')
    .orderBy('a.assessed_at', 'desc')
    .execute();
  const byCase = new Map<string, Set<IloIndicator>>();
  for (const row of rows) {
    const result = JSON.parse(await ctx.keys.decrypt(hotlineId, 'assessment.result', row.result)) as { indicators?: { indicator: IloIndicator }[] };
    const set = byCase.get(row.case_id) ?? new Set<IloIndicator>();
    for (const entry of result.indicators ?? []) set.add(entry.indicator);
    byCase.set(row.case_id, set);
  }
  return byCase;
}

export interface HtcdsExport {
  rows: HtcdsRow[];
  cases: number;
  excludedRestricted: number;
}

/** HTCDS 2.0 rows: one per potential victim of each case, or one for a case with none recorded. */
export async function exportHtcds(ctx: AppContext, hotlineId: string, actor: ExportActor, options: ExportOptions = {}): Promise<HtcdsExport> {
  return ctx.db.transaction().execute(async (tx) => {
    const { cases, excludedRestricted } = await loadCases(tx, hotlineId, options.includeRestricted ?? false);
    const victims = await loadVictims(tx, hotlineId, false);
    const rows: HtcdsRow[] = [];
    cases.forEach((k, i) => {
      const people = victims.get(k.id) ?? [];
      const base = { caseStatus: k.status, traffickingTypes: k.traffickingTypes, polarisType: k.polarisType };
      if (people.length === 0) rows.push(toHtcdsRow({ ...base, victim: null }));
      for (const p of people) rows.push(toHtcdsRow({ ...base, victim: { gender: p.gender, nationality: p.nationality } }));
      options.onProgress?.(i + 1, cases.length);
    });
    await appendAudit(tx, { hotlineId, actorId: actor.id, actorLabel: actor.label, action: 'export.htcds', recordType: 'case', details: { rows: rows.length, cases: cases.length, excludedRestricted, includeRestricted: options.includeRestricted ?? false } });
    return { rows, cases: cases.length, excludedRestricted };
  });
}

export interface CtdcExport {
  rows: CtdcRow[];
  k: number;
  /** Potential victims considered, before k-anonymisation. */
  records: number;
  released: number;
  generalised: number;
  suppressed: number;
  /** Generalisation level reached by each quasi-identifier, with its name. */
  levels: Record<string, { level: number; name: string }>;
  excludedRestricted: number;
}

/** CTDC de-identified rows, one per potential victim, k-anonymous over CTDC_QUASI_IDENTIFIERS. */
export async function exportCtdc(ctx: AppContext, hotlineId: string, actor: ExportActor, options: ExportOptions & { k: number; maxSuppressionRate?: number }): Promise<CtdcExport> {
  return ctx.db.transaction().execute(async (tx) => {
    const hotline = await tx.selectFrom('hotline').select('country').where('id', '=', hotlineId).executeTakeFirstOrThrow();
    const { cases, excludedRestricted } = await loadCases(tx, hotlineId, options.includeRestricted ?? false);
    const victims = await loadVictims(tx, hotlineId, true);
    const indicators = await loadIndicators(ctx, tx, hotlineId);
    const raw: CtdcRow[] = [];
    for (const [i, k] of cases.entries()) {
      for (const p of victims.get(k.id) ?? []) {
        // Only the date of birth is read from the sealed details, to place the person in an age band; it is dropped here.
        const details = 'details' in p && p.details ? (JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', p.details as Buffer)) as { dateOfBirth?: string }) : {};
        raw.push(
          toCtdcRow({
            openedAt: k.openedAt,
            traffickingTypes: k.traffickingTypes,
            polarisType: k.polarisType,
            gender: p.gender,
            ageRange: p.age_range,
            ageYears: ageOn(details.dateOfBirth, k.openedAt),
            nationality: p.nationality,
            hotlineCountry: hotline.country,
            iloIndicators: [...(indicators.get(k.id) ?? [])],
          }),
        );
      }
      options.onProgress?.(i + 1, cases.length);
    }
    const result = kAnonymise(raw, CTDC_QUASI_IDENTIFIERS, { k: options.k, maxSuppressionRate: options.maxSuppressionRate });
    // Sorted by value: row order must not carry the order in which cases were opened.
    const rows = result.records.sort((a, b) => compareRows(a, b));
    const levels = Object.fromEntries(CTDC_QUASI_IDENTIFIERS.map((q) => [q.field, { level: result.levels[q.field], name: q.levelNames[result.levels[q.field]] }]));
    const summary = { k: options.k, records: raw.length, released: rows.length, generalised: result.generalised, suppressed: result.suppressed, excludedRestricted };
    await appendAudit(tx, { hotlineId, actorId: actor.id, actorLabel: actor.label, action: 'export.ctdc', recordType: 'person', details: { ...summary, levels: result.levels, includeRestricted: options.includeRestricted ?? false } });
    return { rows, levels, ...summary };
  });
}

function compareRows(a: CtdcRow, b: CtdcRow): number {
  for (const v of CTDC_VARIABLES) {
    const x = a[v] ?? '', y = b[v] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function htcdsCsv(rows: readonly HtcdsRow[]): string {
  return stringify(rows as HtcdsRow[], { header: true, columns: [...HTCDS_EXPORT_FIELDS] });
}

export function ctdcCsv(rows: readonly CtdcRow[]): string {
  return stringify(rows as CtdcRow[], { header: true, columns: [...CTDC_VARIABLES] });
}

/** Writes the file readable by its owner only, through a temporary name so a half-written export never lies around. */
export async function writeExportFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}
