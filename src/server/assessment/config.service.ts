import { createHash } from 'node:crypto';
import { sql, type ColumnType } from 'kysely';
import { z } from 'zod';
import { compileInstrument, type CompiledInstrument } from '../../shared/assessment/compile.js';
import { stableStringify } from '../../shared/assessment/instrument.json.js';
import { formatPath, parseInstrument } from '../../shared/assessment/instrument.validate.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { DEFAULT_PROTOCOLS } from '../protocols/defaults/index.js';
import type { Protocol } from '../protocols/protocol.schema.js';
import { parseProtocol } from '../protocols/protocol.validate.js';
import type { ActorContext } from '../queue/queue.service.js';
import { DEFAULT_INSTRUMENT } from './default-instrument/index.js';

/**
 * Versioned assessment configuration per hotline (docs/assessment.md, "Editing"): the instrument and the protocol set
 * are rows of `hotline_config` (kinds `instrument` and `protocols`). A version is a draft until published; a published
 * version never changes (a database trigger refuses it), so every stored result can name the version it used.
 * There is at most one draft per kind. Version numbers continue after the shipped default's, so `id@version` is
 * unambiguous within a hotline.
 */

declare module '../db/schema.js' {
  interface HotlineConfigTable {
    based_on: ColumnType<number | null, number | null | undefined, number | null>;
    source: ColumnType<'published' | 'draft' | 'import', 'published' | 'draft' | 'import' | undefined, never>;
    updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    updated_by: ColumnType<string | null, string | null | undefined, string | null>;
    published_by: ColumnType<string | null, string | null | undefined, string | null>;
  }
}

export const CONFIG_KINDS = ['instrument', 'protocols'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];
export const configKindSchema = z.enum(CONFIG_KINDS);

/** A problem that stops a version being saved or published: `subject` names the item, rule, protocol or step. */
export interface ConfigIssue { code: string; subject: string; path: string; message: string }

const protocolSetShape = z.strictObject({ protocols: z.array(z.unknown()).min(1, 'a hotline needs at least one protocol') });
export interface ProtocolSet { protocols: Protocol[] }

const SHIPPED: Record<ConfigKind, { version: number; data: unknown }> = {
  instrument: { version: DEFAULT_INSTRUMENT.version, data: DEFAULT_INSTRUMENT },
  protocols: { version: 0, data: { protocols: DEFAULT_PROTOCOLS } },
};

/** Validate a version's data. The instrument's own `version` is set to the config version (it is not the admin's to pick). */
export function validateConfig(kind: ConfigKind, raw: unknown, version: number): { ok: true; data: unknown } | { ok: false; issues: ConfigIssue[] } {
  if (kind === 'instrument') {
    const withVersion = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), version } : raw;
    const parsed = parseInstrument(withVersion);
    return parsed.ok ? { ok: true, data: parsed.instrument } : { ok: false, issues: parsed.issues };
  }
  return validateProtocolSet(raw);
}

export function validateProtocolSet(raw: unknown): { ok: true; data: ProtocolSet } | { ok: false; issues: ConfigIssue[] } {
  const shaped = protocolSetShape.safeParse(raw);
  if (!shaped.success) {
    return { ok: false, issues: shaped.error.issues.map((issue) => ({ code: 'invalid_shape', subject: 'protocol set', path: formatPath(issue.path), message: issue.message })) };
  }
  const issues: ConfigIssue[] = [];
  const protocols: Protocol[] = [];
  const seen = new Set<string>();
  shaped.data.protocols.forEach((entry, index) => {
    const rawId = (entry as { id?: unknown } | null)?.id;
    const name = typeof rawId === 'string' ? `protocol '${rawId}'` : `protocol #${index + 1}`;
    const parsed = parseProtocol(entry);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ code: issue.code, subject: subjectIn(entry, name, issue.path), path: `protocols[${index}].${issue.path}`, message: issue.message });
      return;
    }
    if (seen.has(parsed.protocol.id)) issues.push({ code: 'duplicate_protocol_id', subject: name, path: `protocols[${index}].id`, message: `another protocol already has the id '${parsed.protocol.id}'` });
    seen.add(parsed.protocol.id);
    protocols.push(parsed.protocol);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: { protocols } };
}

/** `protocol 'danger', step 'ask_safe'` when the path points into a step or action that has an id. */
function subjectIn(entry: unknown, name: string, path: string): string {
  const match = /^(steps|actions)\[(\d+)\]/.exec(path);
  if (!match) return name;
  const list = (entry as Record<string, unknown>)[match[1]];
  const part = Array.isArray(list) ? (list[Number(match[2])] as { id?: unknown } | undefined) : undefined;
  const kind = match[1] === 'steps' ? 'step' : 'action';
  return `${name}, ${kind} ${typeof part?.id === 'string' ? `'${part.id}'` : `#${Number(match[2]) + 1}`}`;
}

// ---------------------------------------------------------------------------------------------------------------
// What assessments use: the newest published version (compiled once per immutable version), else the shipped default.

const compiledCache = new Map<string, CompiledInstrument>();
const compiledDefault = compileInstrument(DEFAULT_INSTRUMENT);

async function newestPublished(db: DbOrTx, hotlineId: string, kind: ConfigKind) {
  return db
    .selectFrom('hotline_config')
    .select(['version', 'data'])
    .where('hotline_id', '=', hotlineId)
    .where('kind', '=', kind)
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function publishedInstrumentFor(db: DbOrTx, hotlineId: string): Promise<CompiledInstrument> {
  const row = await newestPublished(db, hotlineId, 'instrument');
  if (!row) return compiledDefault;
  const key = `${hotlineId}:${row.version}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const parsed = parseInstrument(row.data);
  // Published data was validated when published; if the engine's rules tightened since, fall back rather than stop intake.
  if (!parsed.ok) return compiledDefault;
  const compiled = compileInstrument(parsed.instrument);
  if (compiledCache.size > 500) compiledCache.clear();
  compiledCache.set(key, compiled);
  return compiled;
}

export async function publishedProtocolsFor(db: DbOrTx, hotlineId: string): Promise<readonly Protocol[]> {
  const row = await newestPublished(db, hotlineId, 'protocols');
  if (!row) return DEFAULT_PROTOCOLS;
  const parsed = validateProtocolSet(row.data);
  return parsed.ok ? parsed.data.protocols : DEFAULT_PROTOCOLS;
}

// ---------------------------------------------------------------------------------------------------------------
// The editor's API.

type VersionRow = {
  version: number; data: unknown; published_at: Date | null; created_at: Date; created_by: string | null; based_on: number | null;
  source: string; updated_at: Date | null; updated_by: string | null; published_by: string | null;
};

export interface ConfigVersionView {
  version: number;
  status: 'shipped' | 'draft' | 'published';
  /** The version in use by new assessments. */
  isCurrent: boolean;
  basedOn: number | null;
  source: 'shipped' | 'draft' | 'import' | 'published';
  title: unknown;
  createdAt: string | null;
  createdBy: { id: string; name: string } | null;
  updatedAt: string | null;
  updatedBy: { id: string; name: string } | null;
  publishedAt: string | null;
  publishedBy: { id: string; name: string } | null;
}

const titleOf = (kind: ConfigKind, data: unknown) =>
  kind === 'instrument' ? ((data as { title?: unknown })?.title ?? null) : { count: ((data as { protocols?: unknown[] })?.protocols ?? []).length };
const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

async function staffNames(db: DbOrTx, hotlineId: string, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('hotline_id', '=', hotlineId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

function present(kind: ConfigKind, row: VersionRow, names: Map<string, string>, currentVersion: number): ConfigVersionView {
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '—' } : null);
  return {
    version: row.version,
    status: row.published_at ? 'published' : 'draft',
    isCurrent: row.version === currentVersion,
    basedOn: row.based_on,
    source: (row.source ?? 'published') as ConfigVersionView['source'],
    title: titleOf(kind, row.data),
    createdAt: iso(row.created_at),
    createdBy: person(row.created_by),
    updatedAt: iso(row.updated_at),
    updatedBy: person(row.updated_by),
    publishedAt: iso(row.published_at),
    publishedBy: person(row.published_by),
  };
}

function shippedView(kind: ConfigKind, currentVersion: number): ConfigVersionView {
  const shipped = SHIPPED[kind];
  return {
    version: shipped.version, status: 'shipped', isCurrent: currentVersion === shipped.version, basedOn: null, source: 'shipped', title: titleOf(kind, shipped.data),
    createdAt: null, createdBy: null, updatedAt: null, updatedBy: null, publishedAt: null, publishedBy: null,
  };
}

const versionColumns = ['version', 'data', 'published_at', 'created_at', 'created_by', 'based_on', 'source', 'updated_at', 'updated_by', 'published_by'] as const;

async function loadRows(db: DbOrTx, hotlineId: string, kind: ConfigKind): Promise<VersionRow[]> {
  return (await db.selectFrom('hotline_config').select([...versionColumns]).where('hotline_id', '=', hotlineId).where('kind', '=', kind).orderBy('version', 'desc').execute()) as VersionRow[];
}

async function loadRow(db: DbOrTx, hotlineId: string, kind: ConfigKind, version: number, lock = false): Promise<VersionRow | undefined> {
  let query = db.selectFrom('hotline_config').select([...versionColumns]).where('hotline_id', '=', hotlineId).where('kind', '=', kind).where('version', '=', version);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as VersionRow | undefined;
}

const currentOf = (kind: ConfigKind, rows: VersionRow[]) => rows.find((row) => row.published_at)?.version ?? SHIPPED[kind].version;

/** Every version, newest first, ending with the shipped default. */
export async function listConfigVersions(ctx: AppContext, who: ActorContext, kind: ConfigKind) {
  const { hotlineId } = who.actor;
  const rows = await loadRows(ctx.db, hotlineId, kind);
  const names = await staffNames(ctx.db, hotlineId, rows.flatMap((row) => [row.created_by, row.updated_by, row.published_by]));
  const current = currentOf(kind, rows);
  return { current, draft: rows.find((row) => !row.published_at)?.version ?? null, items: [...rows.map((row) => present(kind, row, names, current)), shippedView(kind, current)] };
}

/** One version with its data (the shipped default included). */
export async function readConfigVersion(ctx: AppContext, who: ActorContext, kind: ConfigKind, version: number): Promise<Result<{ version: ConfigVersionView; data: unknown }>> {
  const { hotlineId } = who.actor;
  const rows = await loadRows(ctx.db, hotlineId, kind);
  const current = currentOf(kind, rows);
  const row = rows.find((r) => r.version === version);
  if (!row) {
    if (version === SHIPPED[kind].version) return ok({ version: shippedView(kind, current), data: SHIPPED[kind].data });
    return fail('not_found', `There is no ${kind} version ${version}`);
  }
  const names = await staffNames(ctx.db, hotlineId, [row.created_by, row.updated_by, row.published_by]);
  return ok({ version: present(kind, row, names, current), data: row.data });
}

const audit = (tx: DbOrTx, who: ActorContext, action: string, kind: ConfigKind, version: number, details?: Record<string, unknown>) =>
  appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action, recordType: 'hotline_config', recordId: `${kind}:${version}`, ip: who.ip, details: details ?? null });

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';
const refused = (issues: ConfigIssue[]) => {
  const first = issues[0];
  return fail<never>('validation_failed', `${first.subject} (${first.path}): ${first.message}`, { issues: issues.slice(0, 100) });
};

/** Insert a draft; the partial unique index allows one per kind, the primary key one writer of each number. */
async function insertDraft(ctx: AppContext, who: ActorContext, kind: ConfigKind, data: (version: number) => unknown, basedOn: number | null, source: 'draft' | 'import'): Promise<Result<{ version: number; data: unknown }>> {
  const { hotlineId } = who.actor;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const { max } = await tx.selectFrom('hotline_config').select((eb) => eb.fn.max('version').as('max')).where('hotline_id', '=', hotlineId).where('kind', '=', kind).executeTakeFirstOrThrow();
      const version = Math.max(Number(max ?? 0), SHIPPED[kind].version) + 1;
      const value = data(version);
      await tx.insertInto('hotline_config').values({
        hotline_id: hotlineId, kind, version, data: JSON.stringify(value), published_at: null, created_by: who.actor.id, based_on: basedOn, source, updated_at: new Date(), updated_by: who.actor.id,
      }).execute();
      await audit(tx, who, source === 'import' ? 'config.import' : 'config.draft.create', kind, version, { basedOn });
      return ok({ version, data: value });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail('conflict', `There is already a draft of the ${kind}: publish or discard it first`);
    throw error;
  }
}

/** A new draft, a copy of any version (published, the current draft's own base, or the shipped default). */
export async function createConfigDraft(ctx: AppContext, who: ActorContext, kind: ConfigKind, from: number) {
  const source = await readConfigVersion(ctx, who, kind, from);
  if (!source.ok) return source;
  const base = source.value.data;
  return insertDraft(ctx, who, kind, (version) => (kind === 'instrument' ? { ...(base as object), version } : base), from, 'draft');
}

/** Import JSON as a new draft; refused (naming the item) unless it is a valid instrument or protocol set. */
export async function importConfig(ctx: AppContext, who: ActorContext, kind: ConfigKind, json: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return refused([{ code: 'invalid_json', subject: kind === 'instrument' ? 'instrument' : 'protocol set', path: '(root)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  // The number is only known inside the transaction; validate with a placeholder first so a refusal writes nothing.
  const checked = validateConfig(kind, raw, 1);
  if (!checked.ok) return refused(checked.issues);
  return insertDraft(ctx, who, kind, (version) => (validateConfig(kind, raw, version) as { data: unknown }).data, null, 'import');
}

/** Replace a draft's data. Refused with every issue (each naming its item) when the data is not valid. */
export async function updateConfigDraft(ctx: AppContext, who: ActorContext, kind: ConfigKind, version: number, data: unknown, ifUpdatedAt?: string) {
  const checked = validateConfig(kind, data, version);
  if (!checked.ok) return refused(checked.issues);
  const { hotlineId } = who.actor;
  return ctx.db.transaction().execute(async (tx): Promise<Result<{ version: number; data: unknown; updatedAt: string }>> => {
    const row = await loadRow(tx, hotlineId, kind, version, true);
    if (!row) return fail('not_found', `There is no ${kind} version ${version}`);
    if (row.published_at) return fail('conflict', `Version ${version} is published and cannot change; start a new draft from it`);
    if (ifUpdatedAt && iso(row.updated_at) !== new Date(ifUpdatedAt).toISOString()) return fail('stale_version', 'Someone else saved this draft since you opened it; reload it');
    const now = new Date();
    await tx.updateTable('hotline_config').set({ data: JSON.stringify(checked.data), updated_at: now, updated_by: who.actor.id }).where('hotline_id', '=', hotlineId).where('kind', '=', kind).where('version', '=', version).execute();
    await audit(tx, who, 'config.draft.update', kind, version);
    return ok({ version, data: checked.data, updatedAt: now.toISOString() });
  });
}

export async function discardConfigDraft(ctx: AppContext, who: ActorContext, kind: ConfigKind, version: number) {
  const { hotlineId } = who.actor;
  return ctx.db.transaction().execute(async (tx): Promise<Result<{ version: number }>> => {
    const row = await loadRow(tx, hotlineId, kind, version, true);
    if (!row) return fail('not_found', `There is no ${kind} version ${version}`);
    if (row.published_at) return fail('conflict', `Version ${version} is published and cannot be discarded`);
    await tx.deleteFrom('hotline_config').where('hotline_id', '=', hotlineId).where('kind', '=', kind).where('version', '=', version).where('published_at', 'is', null).execute();
    await audit(tx, who, 'config.draft.discard', kind, version);
    return ok({ version });
  });
}

/**
 * Publish a draft: validated again, then frozen. New assessments use it from now on; stored results keep naming the
 * version they used. For protocols, a protocol whose content changed while keeping a version number already used
 * gets the next number, so `protocol@version` in tasks and the audit always means one text.
 */
export async function publishConfigDraft(ctx: AppContext, who: ActorContext, kind: ConfigKind, version: number) {
  const { hotlineId } = who.actor;
  return ctx.db.transaction().execute(async (tx): Promise<Result<{ version: number; data: unknown; bumped: string[] }>> => {
    // One publisher at a time per hotline and kind, so two publishes cannot both see the same history.
    await sql`select pg_advisory_xact_lock(hashtext(${`config:${hotlineId}:${kind}`}))`.execute(tx);
    const row = await loadRow(tx, hotlineId, kind, version, true);
    if (!row) return fail('not_found', `There is no ${kind} version ${version}`);
    if (row.published_at) return fail('conflict', `Version ${version} is already published`);
    const checked = validateConfig(kind, row.data, version);
    if (!checked.ok) return refused(checked.issues);
    let data = checked.data;
    let bumped: string[] = [];
    if (kind === 'protocols') ({ data, bumped } = await bumpChangedProtocols(tx, hotlineId, data as ProtocolSet));
    await tx.updateTable('hotline_config').set({ data: JSON.stringify(data), published_at: new Date(), published_by: who.actor.id }).where('hotline_id', '=', hotlineId).where('kind', '=', kind).where('version', '=', version).execute();
    await audit(tx, who, 'config.publish', kind, version, bumped.length ? { bumped } : undefined);
    return ok({ version, data, bumped });
  });
}

const contentHash = (protocol: Protocol) => createHash('sha256').update(stableStringify({ ...protocol, version: 0 })).digest('hex');

async function bumpChangedProtocols(tx: DbOrTx, hotlineId: string, set: ProtocolSet) {
  const published = await tx.selectFrom('hotline_config').select('data').where('hotline_id', '=', hotlineId).where('kind', '=', 'protocols').where('published_at', 'is not', null).execute();
  const known = new Map<string, Map<number, string>>(); // protocol id -> version -> content hash
  const remember = (protocol: Protocol) => {
    const versions = known.get(protocol.id) ?? new Map<number, string>();
    versions.set(protocol.version, contentHash(protocol));
    known.set(protocol.id, versions);
  };
  DEFAULT_PROTOCOLS.forEach(remember);
  for (const row of published) for (const protocol of (row.data as ProtocolSet).protocols ?? []) remember(protocol);
  const bumped: string[] = [];
  const protocols = set.protocols.map((protocol) => {
    const versions = known.get(protocol.id);
    const previous = versions?.get(protocol.version);
    if (!versions || previous === undefined || previous === contentHash(protocol)) return protocol;
    const next = Math.max(...versions.keys()) + 1;
    bumped.push(`${protocol.id}@${next}`);
    return { ...protocol, version: next };
  });
  return { data: { protocols }, bumped };
}

/** The stable JSON of a version (sorted keys), for download and review; the export is audited. */
export async function exportConfig(ctx: AppContext, who: ActorContext, kind: ConfigKind, version: number): Promise<Result<{ filename: string; json: string }>> {
  const found = await readConfigVersion(ctx, who, kind, version);
  if (!found.ok) return found;
  await audit(ctx.db, who, 'config.export', kind, version);
  const name = kind === 'instrument' ? String((found.value.data as { id?: string }).id ?? 'instrument') : 'protocols';
  return ok({ filename: `${name}-v${version}.json`, json: stableStringify(found.value.data) + '\n' });
}
