/**
 * Scheduling with the database: settings, planned events, staff contracts and leave, the contact forecast, rosters
 * (generate a draft → publish → re-optimise after a sick call), "my shifts", calendar feeds by secret URL, and swap
 * and leave requests a supervisor approves. The maths is the pure core beside this file; solves run in a worker
 * thread (scheduling.solver.ts). Every write, and every read of a roster or a feed, is audited in its transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import {
  DEFAULT_SCHEDULING_SETTINGS,
  schedulingSettingsSchema,
  type eventBody,
  type ScheduleRequestBody,
  type staffContractBody,
} from '../../shared/api/scheduling.js';
import { rosterInputSchema, wellnessRulesSchema, type Assignment, type DebriefBlock, type RosterInput, type Staff } from '../../shared/scheduling/roster-schemas.js';
import { appendAudit } from '../audit/audit.js';
import type { Db, DbOrTx } from '../db/db.js';
import type { Actor } from '../permissions/engine.js';
import { backtest, forecastContacts, INTERVALS_PER_WEEK, addDays, type BacktestResult, type ForecastResult } from './forecast.js';
import { calendarFeed, shiftEvents } from './icalendar.js';
import { computeRequirement } from './requirement.js';
import { checkRoster, type RosterReport } from './roster-check.js';
import { prepareParsedRoster, type RosterProblem } from './roster-problem.js';
import { carryOverHistory, FAIRNESS_WEEKS, type PastShift } from './roster-history.js';
import { checkLeaveRequest, checkSwapRequest, type RequestCheck } from './roster-requests.js';
import { dateToWallMs, weekMinuteToInstant, zoneOffsetMs } from './roster-time.js';
import { solvePlan, solveReoptimise } from './scheduling.solver.js';
import './scheduling.tables.js';

export type Settings = z.output<typeof schedulingSettingsSchema>;
export interface Who {
  actor: Actor;
  label: string;
  ip?: string | null;
}

const audit = (tx: DbOrTx, who: Who | null, hotlineId: string, action: string, recordType: string, recordId: string | null, details?: Record<string, unknown>) =>
  appendAudit(tx, { hotlineId, actorId: who?.actor.id ?? null, actorLabel: who?.label ?? 'calendar feed', ip: who?.ip ?? null, action, recordType, recordId, details: details ?? null });

// ---------------------------------------------------------------- settings, events, staff

export async function getSettings(db: DbOrTx, hotlineId: string): Promise<{ settings: Settings; version: number }> {
  const row = await db.selectFrom('scheduling_settings').select(['settings', 'version']).where('hotline_id', '=', hotlineId).executeTakeFirst();
  return { settings: schedulingSettingsSchema.parse(row?.settings ?? DEFAULT_SCHEDULING_SETTINGS), version: row?.version ?? 1 };
}

export async function updateSettings(db: Db, hotlineId: string, version: number, settings: Settings, who: Who): Promise<Result<{ settings: Settings; version: number }>> {
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('scheduling_settings').select('version').where('hotline_id', '=', hotlineId).forUpdate().executeTakeFirst();
    if ((current?.version ?? 1) !== version) return fail('stale_version', 'The settings changed meanwhile; reload them');
    const next = version + 1;
    await tx
      .insertInto('scheduling_settings')
      .values({ hotline_id: hotlineId, settings: JSON.stringify(settings), version: next, updated_by: who.actor.id })
      .onConflict((oc) => oc.column('hotline_id').doUpdateSet({ settings: JSON.stringify(settings), version: next, updated_by: who.actor.id, updated_at: new Date() }))
      .execute();
    await audit(tx, who, hotlineId, 'scheduling.settings.update', 'scheduling_settings', hotlineId, { version: next });
    return ok({ settings, version: next });
  });
}

export async function listEvents(db: DbOrTx, hotlineId: string) {
  const rows = await db
    .selectFrom('schedule_event')
    .select(['id', sql<string>`date::text`.as('date'), sql<string | null>`end_date::text`.as('to'), 'factor', 'label', 'channels'])
    .where('hotline_id', '=', hotlineId)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({ id: r.id, date: r.date, to: r.to, factor: r.factor, label: r.label, channels: r.channels }));
}

export async function addEvent(db: Db, hotlineId: string, body: z.infer<typeof eventBody>, who: Who) {
  const to = body.to !== undefined && body.to !== body.date ? body.to : null;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('schedule_event')
      .values({ hotline_id: hotlineId, date: body.date, end_date: to, factor: body.factor, label: body.label, channels: body.channels ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, who, hotlineId, 'scheduling.event.create', 'schedule_event', row.id, { date: body.date, to, factor: body.factor });
    return { id: row.id, ...body, to, channels: body.channels ?? null };
  });
}

export async function deleteEvent(db: Db, hotlineId: string, id: string, who: Who): Promise<Result<null>> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.deleteFrom('schedule_event').where('hotline_id', '=', hotlineId).where('id', '=', id).returning('id').executeTakeFirst();
    if (!row) return fail('not_found', 'No such event');
    await audit(tx, who, hotlineId, 'scheduling.event.delete', 'schedule_event', id);
    return ok(null);
  });
}

type ContractData = z.output<typeof staffContractBody>;

/** Active staff who work shifts: advocates and supervisors. */
async function loadStaffRows(db: DbOrTx, hotlineId: string) {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('staff_contract as c', (j) => j.onRef('c.user_id', '=', 'u.id').on('c.hotline_id', '=', hotlineId))
    .select(['u.id', 'u.display_name', 'u.roles', 'u.languages', 'c.contract'])
    .where('u.hotline_id', '=', hotlineId)
    .where('u.is_active', '=', true)
    .where(sql<boolean>`u.roles && array['advocate', 'supervisor']::text[]`)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, roles: r.roles, languages: r.languages, contract: (r.contract as ContractData | null) ?? null }));
}

export async function listStaff(db: DbOrTx, hotlineId: string) {
  const { settings } = await getSettings(db, hotlineId);
  const rows = await loadStaffRows(db, hotlineId);
  return rows.map((r) => ({
    userId: r.id,
    name: r.name,
    roles: r.roles,
    hasContract: r.contract !== null,
    // Contracts stored before preferences existed get the empty ones, so every contract has the same shape.
    contract: { ...NO_PREFERENCES, ...(r.contract ?? { ...settings.defaultContract, languages: r.languages.filter((l) => /^[a-z]{2,3}$/.test(l)), channels: ['voice', 'chat'], unavailable: [], avoidNights: false }) },
    supervisor: r.contract?.supervisor ?? defaultSupervisor(r.roles),
  }));
}

const NO_PREFERENCES = { preferredDays: [] as number[], avoidDays: [] as number[], preferredPatterns: [] as string[], avoidPatterns: [] as string[] };

const defaultSupervisor = (roles: readonly string[]) => (roles.includes('supervisor') ? ('full' as const) : ('none' as const));

export async function setContract(db: Db, hotlineId: string, userId: string, contract: ContractData, who: Who): Promise<Result<null>> {
  return db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('app_user').select('id').where('hotline_id', '=', hotlineId).where('id', '=', userId).executeTakeFirst();
    if (!user) return fail('not_found', 'No such staff member');
    await tx
      .insertInto('staff_contract')
      .values({ hotline_id: hotlineId, user_id: userId, contract: JSON.stringify(contract) })
      .onConflict((oc) => oc.columns(['hotline_id', 'user_id']).doUpdateSet({ contract: JSON.stringify(contract), updated_at: new Date() }))
      .execute();
    await audit(tx, who, hotlineId, 'scheduling.contract.update', 'app_user', userId, { minHoursPerWeek: contract.minHoursPerWeek, maxHoursPerWeek: contract.maxHoursPerWeek });
    return ok(null);
  });
}

// ---------------------------------------------------------------- time helpers

async function hotlineZone(db: DbOrTx, hotlineId: string): Promise<string> {
  const row = await db.selectFrom('hotline').select('timezone').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  return row.timezone;
}

/** The Monday of the week that contains `now` in the hotline's zone. */
export function currentMonday(timeZone: string, now = Date.now()): string {
  const local = new Date(now + zoneOffsetMs(now, timeZone));
  const date = local.toISOString().slice(0, 10);
  return addDays(date, -((local.getUTCDay() + 6) % 7));
}

/** Wall-clock minutes after the week's Monday 00:00 for an instant. */
function wallMinute(weekStart: string, instant: number, timeZone: string): number {
  return (instant + zoneOffsetMs(instant, timeZone) - dateToWallMs(weekStart)) / 60_000;
}

// ---------------------------------------------------------------- forecast and requirement

/** Inbound contacts per half-hour of local time, by staffing channel, for whole weeks from `start`. */
async function contactHistory(db: DbOrTx, hotlineId: string, settings: Settings, timeZone: string, start: string, weeks: number): Promise<Record<string, number[]>> {
  const end = addDays(start, weeks * 7);
  const rows = await db
    .selectFrom('contact')
    .select([
      'channel',
      sql<number>`floor(extract(epoch from ((received_at at time zone ${timeZone}) - ${start}::timestamp)) / 1800)::int`.as('slot'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('hotline_id', '=', hotlineId)
    .where('direction', '=', 'inbound')
    .where(sql<boolean>`received_at >= (${start}::timestamp at time zone ${timeZone}) - interval '1 day'`)
    .where(sql<boolean>`received_at < (${end}::timestamp at time zone ${timeZone}) + interval '1 day'`)
    .groupBy(['channel', 'slot'])
    .execute();
  const history: Record<string, number[]> = {};
  for (const c of settings.channels) history[c.model.id] = new Array<number>(weeks * INTERVALS_PER_WEEK).fill(0);
  for (const r of rows) {
    if (r.slot < 0 || r.slot >= weeks * INTERVALS_PER_WEEK) continue;
    const target = settings.channels.find((c) => (c.sources as readonly string[]).includes(r.channel));
    if (target) history[target.model.id][r.slot] += r.n;
  }
  return history;
}

/** Events as the forecast takes them: one per date, only the dates from `from` up to (not including) `until`. */
async function forecastEvents(db: DbOrTx, hotlineId: string, settings: Settings, from: string, until: string) {
  const events = await listEvents(db, hotlineId);
  // An event over several days is the same factor on each of its dates.
  return events.flatMap((e) => {
    const days = e.to === null ? 1 : Math.round((dateToWallMs(e.to) - dateToWallMs(e.date)) / 86_400_000) + 1;
    return Array.from({ length: days }, (_, k) => addDays(e.date, k))
      .filter((date) => date >= from && date < until)
      .map((date) => ({
        date,
        factor: e.factor,
        label: e.label,
        ...(e.channels ? { channels: settings.channels.filter((c) => c.sources.some((s) => e.channels!.includes(s))).map((c) => c.model.id) } : {}),
      }));
  });
}

export interface ForecastView {
  forecast: ForecastResult;
  backtest: BacktestResult | null;
  historyStart: string;
  historyWeeks: number;
}

/** Forecast from the `historyWeeks` whole weeks before this week, for this week and the following ones. */
export async function forecastFor(db: DbOrTx, hotlineId: string, weeks: number, now = Date.now()): Promise<ForecastView> {
  const { settings } = await getSettings(db, hotlineId);
  const timeZone = await hotlineZone(db, hotlineId);
  const thisWeek = currentMonday(timeZone, now);
  const historyStart = addDays(thisWeek, -7 * settings.historyWeeks);
  const history = await contactHistory(db, hotlineId, settings, timeZone, historyStart, settings.historyWeeks);
  const events = await forecastEvents(db, hotlineId, settings, historyStart, addDays(thisWeek, 7 * weeks));
  const input = { historyStart, history, horizonWeeks: weeks, events };
  const forecast = forecastContacts(input);
  const check = settings.historyWeeks > settings.holdoutWeeks ? backtest(input, settings.holdoutWeeks) : null;
  return { forecast, backtest: check, historyStart, historyWeeks: settings.historyWeeks };
}

export async function requirementFor(db: DbOrTx, hotlineId: string, weekStart: string, now = Date.now()): Promise<Result<{ weekStart: string; required: number[]; supervisorsRequired: number[] | undefined; arrivals: Record<string, number[]>; byChannel: Record<string, number[]>; scheduledStaffHours: number }>> {
  const { settings } = await getSettings(db, hotlineId);
  const timeZone = await hotlineZone(db, hotlineId);
  const offsetWeeks = Math.round((dateToWallMs(weekStart) - dateToWallMs(currentMonday(timeZone, now))) / (7 * 86_400_000));
  if (offsetWeeks < 0 || offsetWeeks > 7) return fail('validation_failed', 'Rosters are planned for this week or up to 7 weeks ahead');
  const { forecast } = await forecastFor(db, hotlineId, offsetWeeks + 1, now);
  const arrivals = Object.fromEntries(forecast.channels.map((c) => [c.id, c.forecast.slice(offsetWeeks * INTERVALS_PER_WEEK, (offsetWeeks + 1) * INTERVALS_PER_WEEK)]));
  const requirement = computeRequirement({ intervalMinutes: 30, channels: settings.channels.map((c) => c.model), arrivals, shrinkage: settings.shrinkage, floor: settings.floor, isCyclicWeek: true });
  const required = requirement.intervals.map((r) => r.scheduled);
  const supervisorsRequired = settings.floor.supervisor === 'onDuty' ? requirement.intervals.map((r) => r.supervisorsOnDuty) : undefined;
  const byChannel = Object.fromEntries(settings.channels.map((c) => [c.model.id, requirement.intervals.map((r) => r.byChannel[c.model.id])]));
  return ok({ weekStart, required, supervisorsRequired, arrivals, byChannel, scheduledStaffHours: requirement.scheduledStaffHours });
}

// ---------------------------------------------------------------- rosters

interface RosterRow {
  id: string;
  week_start: string;
  status: 'draft' | 'published' | 'superseded';
  input: unknown;
  assignments: unknown;
  debriefs: unknown;
  report: unknown;
  solver: unknown;
  version: number;
  created_at: Date;
  published_at: Date | null;
}

const rosterColumns = ['id', sql<string>`week_start::text`.as('week_start'), 'status', 'input', 'assignments', 'debriefs', 'report', 'solver', 'version', 'created_at', 'published_at'] as const;

async function loadRoster(db: DbOrTx, hotlineId: string, id: string, lock = false): Promise<RosterRow | undefined> {
  let q = db.selectFrom('roster').select([...rosterColumns]).where('hotline_id', '=', hotlineId).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as RosterRow | undefined;
}

function problemOf(row: RosterRow): RosterProblem {
  return prepareParsedRoster(rosterInputSchema.parse(row.input));
}

/** Staff for a week: contracts (or the default), skills, weekly unavailability, leave, and when each last worked. */
async function staffForWeek(db: DbOrTx, hotlineId: string, settings: Settings, weekStart: string, timeZone: string): Promise<Staff[]> {
  const rows = await loadStaffRows(db, hotlineId);
  const weekEnd = addDays(weekStart, 6);
  const leave = await db
    .selectFrom('staff_leave')
    .select(['user_id', sql<string>`from_date::text`.as('from'), sql<string>`to_date::text`.as('to'), 'kind'])
    .where('hotline_id', '=', hotlineId)
    .where('from_date', '<=', weekEnd)
    .where('to_date', '>=', addDays(weekStart, -1))
    .execute();
  const startInstant = weekMinuteToInstant(weekStart, 0, timeZone);
  // Shifts of published rosters in the four weeks before: rest after the last one, and the runs of days and nights
  // that end last Sunday carry into this week's wellness rules (and recent nights and weekends into fairness).
  const pastRows = await db
    .selectFrom('roster_shift as s')
    .innerJoin('roster as r', 'r.id', 's.roster_id')
    .select(['s.user_id', 's.start_at', 's.end_at', sql<string>`r.week_start::text`.as('week_start')])
    .where('s.hotline_id', '=', hotlineId)
    .where('r.hotline_id', '=', hotlineId)
    .where('r.status', '=', 'published')
    .where('s.start_at', '<', new Date(startInstant))
    .where('s.start_at', '>', new Date(startInstant - FAIRNESS_WEEKS * 7 * 86_400_000))
    .execute();
  const lastEnd = new Map<string, number>();
  const past: PastShift[] = pastRows.map((p) => {
    const start = new Date(p.start_at).getTime();
    const end = new Date(p.end_at).getTime();
    lastEnd.set(p.user_id, Math.max(lastEnd.get(p.user_id) ?? -Infinity, end));
    const startMinute = Math.round(wallMinute(p.week_start, start, timeZone));
    return { staffId: p.user_id, weekStart: p.week_start, startMinuteOfWeek: startMinute, lengthMinutes: Math.round(wallMinute(p.week_start, end, timeZone)) - startMinute };
  });
  const carried = carryOverHistory(past, weekStart, wellnessRulesSchema.parse(settings.rules));
  return rows.map((r): Staff => {
    const c = r.contract;
    const end = lastEnd.get(r.id);
    const lastShiftEndMinute = end === undefined ? undefined : Math.max(-28 * 1440, Math.min(1440, Math.round(wallMinute(weekStart, end, timeZone))));
    const runs = carried.get(r.id);
    return {
      id: r.id,
      name: r.name,
      contract: c ? { minHoursPerWeek: c.minHoursPerWeek, maxHoursPerWeek: c.maxHoursPerWeek } : settings.defaultContract,
      skills: { languages: c?.languages ?? r.languages.filter((l) => /^[a-z]{2,3}$/.test(l)), channels: c?.channels ?? ['voice', 'chat'], supervisor: c?.supervisor ?? defaultSupervisor(r.roles) },
      unavailable: c?.unavailable ?? [],
      leave: leave.filter((l) => l.user_id === r.id).map((l) => ({ from: l.from, to: l.to, kind: l.kind as 'annual' })),
      preferences: {
        avoidNights: c?.avoidNights ?? false,
        preferredDays: c?.preferredDays ?? [],
        avoidDays: c?.avoidDays ?? [],
        // Only patterns that still exist: a pattern removed from the settings is no preference any more.
        preferredPatterns: (c?.preferredPatterns ?? []).filter((id) => settings.patterns.some((p) => p.id === id)),
        avoidPatterns: (c?.avoidPatterns ?? []).filter((id) => settings.patterns.some((p) => p.id === id)),
      },
      history: { ...(lastShiftEndMinute === undefined ? {} : { lastShiftEndMinute }), ...(runs ?? {}) },
    };
  });
}

/** High-crisis contacts per half-hour: the hotline's crisis share of the forecast live contacts (phone and chat). */
function crisisContactsFor(settings: Settings, arrivals: Record<string, number[]>): { crisisContacts: number[] } | null {
  if (settings.crisisShare <= 0 || settings.rules.debrief.minutes === 0) return null;
  const live = settings.channels.filter((c) => c.model.kind !== 'deferred').map((c) => arrivals[c.model.id] ?? []);
  if (live.length === 0) return null;
  const crisisContacts = Array.from({ length: INTERVALS_PER_WEEK }, (_, t) => live.reduce((sum, a) => sum + (a[t] ?? 0), 0) * settings.crisisShare);
  return { crisisContacts };
}

export async function generateRoster(db: Db, hotlineId: string, weekStart: string, who: Who, now = Date.now()): Promise<Result<RosterView>> {
  const { settings } = await getSettings(db, hotlineId);
  const timeZone = await hotlineZone(db, hotlineId);
  const requirement = await requirementFor(db, hotlineId, weekStart, now);
  if (!requirement.ok) return requirement;
  const staff = await staffForWeek(db, hotlineId, settings, weekStart, timeZone);
  if (staff.length === 0) return fail('conflict', 'There are no active advocates or supervisors to roster');
  const roster: Omit<RosterInput, 'shifts'> = {
    weekStart,
    timeZone,
    intervalMinutes: 30,
    required: requirement.value.required,
    ...(requirement.value.supervisorsRequired ? { supervisorsRequired: requirement.value.supervisorsRequired } : {}),
    staff,
    rules: settings.rules,
    ...(crisisContactsFor(settings, requirement.value.arrivals) ?? {}),
    ...(settings.skillNeeds.length > 0 ? { skillNeeds: settings.skillNeeds } : {}),
    solver: { timeLimitSeconds: 60 },
  };
  const started = performance.now();
  const plan = await solvePlan({ roster, patterns: settings.patterns, covering: { timeLimitSeconds: 20 } });
  const wallSeconds = (performance.now() - started) / 1000;
  if (plan.status !== 'planned') return fail('conflict', `No roster could be built: ${plan.message}`);
  const input: RosterInput = {
    ...roster,
    shifts: plan.covering.shifts.map(({ patternId, startMinuteOfWeek, lengthMinutes, breaks, paidHours, count }) => ({ patternId, startMinuteOfWeek, lengthMinutes, breaks: [...breaks], paidHours, count })),
  };
  const solver = {
    coveringStatus: plan.covering.status,
    coveringPaidHours: plan.covering.paidHours,
    coveringLpBound: plan.covering.lpBound,
    assignmentStatus: plan.roster.status,
    stoppedBy: plan.roster.stoppedBy,
    isDeterministic: plan.roster.isDeterministic,
    solveSeconds: plan.covering.solveSeconds + plan.roster.solveSeconds,
    wallSeconds,
  };
  const id = await db.transaction().execute(async (tx) => {
    // One draft per week: a new generation replaces the old draft (published rosters are never touched here).
    await tx.deleteFrom('roster').where('hotline_id', '=', hotlineId).where('week_start', '=', weekStart).where('status', '=', 'draft').execute();
    const row = await tx
      .insertInto('roster')
      .values({
        hotline_id: hotlineId,
        week_start: weekStart,
        status: 'draft',
        input: JSON.stringify(input),
        assignments: JSON.stringify(plan.roster.assignments),
        debriefs: JSON.stringify(plan.roster.debriefs),
        report: JSON.stringify(plan.roster.report),
        solver: JSON.stringify(solver),
        created_by: who.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, who, hotlineId, 'scheduling.roster.generate', 'roster', row.id, { weekStart, staff: staff.length, seats: plan.roster.report.totals.seats, filledSeats: plan.roster.report.totals.filledSeats, gaps: plan.roster.report.gaps.length });
    return row.id;
  });
  const row = await loadRoster(db, hotlineId, id);
  return ok(presentRoster(row!));
}

export async function listRosters(db: DbOrTx, hotlineId: string) {
  const rows = await db
    .selectFrom('roster')
    .select(['id', sql<string>`week_start::text`.as('week_start'), 'status', 'version', 'created_at', 'published_at'])
    .where('hotline_id', '=', hotlineId)
    .where('status', '!=', 'superseded')
    .orderBy('week_start', 'desc')
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, weekStart: r.week_start, status: r.status, version: r.version, createdAt: r.created_at.toISOString(), publishedAt: r.published_at?.toISOString() ?? null }));
}

export async function readRoster(db: Db, hotlineId: string, id: string, who: Who): Promise<Result<RosterView>> {
  return db.transaction().execute(async (tx) => {
    const row = await loadRoster(tx, hotlineId, id);
    if (!row) return fail('not_found', 'No such roster');
    await audit(tx, who, hotlineId, 'scheduling.roster.read', 'roster', id);
    return ok(presentRoster(row));
  });
}

async function writeShifts(tx: DbOrTx, hotlineId: string, rosterId: string, problem: RosterProblem, assignments: readonly Assignment[]) {
  await tx.deleteFrom('roster_shift').where('hotline_id', '=', hotlineId).where('roster_id', '=', rosterId).execute();
  const rows = assignments.map((a) => {
    const s = problem.shiftById.get(a.shiftId)!;
    return { hotline_id: hotlineId, roster_id: rosterId, shift_id: s.id, user_id: a.staffId, pattern_id: s.patternId, start_at: new Date(s.startInstant), end_at: new Date(s.endInstant) };
  });
  if (rows.length > 0) await tx.insertInto('roster_shift').values(rows).execute();
}

export async function publishRoster(db: Db, hotlineId: string, id: string, version: number, who: Who): Promise<Result<RosterView>> {
  const result = await db.transaction().execute(async (tx) => {
    const row = await loadRoster(tx, hotlineId, id, true);
    if (!row) return fail('not_found', 'No such roster');
    if (row.status !== 'draft') return fail('conflict', 'Only a draft roster can be published');
    if (row.version !== version) return fail('stale_version', 'The roster changed meanwhile; reload it');
    const previous = await tx
      .updateTable('roster')
      .set({ status: 'superseded', updated_at: new Date() })
      .where('hotline_id', '=', hotlineId)
      .where('week_start', '=', row.week_start)
      .where('status', '=', 'published')
      .returning('id')
      .execute();
    await tx.updateTable('roster').set({ status: 'published', published_at: new Date(), published_by: who.actor.id, version: version + 1, updated_at: new Date() }).where('id', '=', id).execute();
    await writeShifts(tx, hotlineId, id, problemOf(row), row.assignments as Assignment[]);
    await audit(tx, who, hotlineId, 'scheduling.roster.publish', 'roster', id, { weekStart: row.week_start, supersedes: previous.map((p) => p.id) });
    return ok(null);
  });
  if (!result.ok) return result;
  return ok(presentRoster((await loadRoster(db, hotlineId, id))!));
}

/** Someone calls in sick: re-optimise the published roster, keeping what has started and changing as little as possible. */
export async function recordAbsence(db: Db, hotlineId: string, id: string, absence: { userId: string; from: string; to: string }, who: Who) {
  const row = await loadRoster(db, hotlineId, id);
  if (!row) return fail('not_found', 'No such roster');
  if (row.status !== 'published') return fail('conflict', 'Absences are recorded against the published roster');
  const input = row.input as RosterInput;
  const timeZone = input.timeZone ?? 'UTC';
  const fromMinute = Math.max(0, Math.floor(wallMinute(row.week_start, Date.parse(absence.from), timeZone)));
  const toMinute = Math.min(2 * 10_080, Math.ceil(wallMinute(row.week_start, Date.parse(absence.to), timeZone)));
  if (toMinute <= fromMinute) return fail('validation_failed', 'The absence does not fall in this roster’s week');
  const published = { assignments: row.assignments as Assignment[], debriefs: row.debriefs as DebriefBlock[] };
  const result = await solveReoptimise(input, published, { staffId: absence.userId, fromMinute, toMinute });
  if (result.status === 'unknownStaff') return fail('not_found', 'That person is not on this roster');
  if (result.status === 'invalidRoster') return fail('conflict', result.message);
  const applied = await applyToPublished(db, hotlineId, row, result.assignments, result.debriefs, result.report, who, 'scheduling.roster.absence', {
    staffId: absence.userId,
    fromMinute,
    toMinute,
    changes: result.changes.length,
    othersAffected: result.othersAffected,
  });
  if (!applied.ok) return applied;
  return ok({ roster: applied.value, changes: result.changes, othersAffected: result.othersAffected, inProgress: result.inProgress });
}

/** Writes new assignments into a published roster if nobody changed it meanwhile. */
async function applyToPublished(db: Db, hotlineId: string, before: RosterRow, assignments: readonly Assignment[], debriefs: readonly DebriefBlock[], report: RosterReport, who: Who, action: string, details: Record<string, unknown>, extra?: (tx: DbOrTx) => Promise<void>): Promise<Result<RosterView>> {
  const result = await db.transaction().execute(async (tx) => {
    const row = await loadRoster(tx, hotlineId, before.id, true);
    if (!row || row.status !== 'published' || row.version !== before.version) return fail('stale_version', 'The roster changed meanwhile; try again');
    await tx
      .updateTable('roster')
      .set({ assignments: JSON.stringify(assignments), debriefs: JSON.stringify(debriefs), report: JSON.stringify(report), version: row.version + 1, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await writeShifts(tx, hotlineId, row.id, problemOf(row), assignments);
    await extra?.(tx);
    await audit(tx, who, hotlineId, action, 'roster', row.id, details);
    return ok(null);
  });
  if (!result.ok) return result;
  return ok(presentRoster((await loadRoster(db, hotlineId, before.id))!));
}

export type RosterView = ReturnType<typeof presentRoster>;

function presentRoster(row: RosterRow) {
  const input = row.input as RosterInput & { staff: Staff[] };
  const report = row.report as RosterReport;
  const assignments = row.assignments as Assignment[];
  const problem = problemOf(row);
  const names = new Map(input.staff.map((s) => [s.id, s.name]));
  const byShift = new Map<string, string[]>();
  for (const a of assignments) byShift.set(a.shiftId, [...(byShift.get(a.shiftId) ?? []), a.staffId]);
  return {
    id: row.id,
    weekStart: row.week_start,
    timeZone: input.timeZone ?? 'UTC',
    status: row.status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
    solver: row.solver,
    totals: report.totals,
    gaps: report.gaps.map((g) => ({ kind: g.kind, skill: g.skill ?? null, from: g.from, to: g.to, fromInterval: g.fromInterval, toInterval: g.toInterval, shortBy: g.shortBy, shortPersonHours: g.shortPersonHours, reasons: g.reasons })),
    unfilledSeats: report.unfilledShifts.reduce((s, u) => s + u.unfilledSeats, 0),
    contractShortfalls: report.contractShortfalls.map((c) => ({ userId: c.staffId, name: names.get(c.staffId) ?? '', shortHours: c.shortHours })),
    staff: report.staffSummary.map((s) => ({ userId: s.staffId, name: names.get(s.staffId) ?? '', shifts: s.shifts, paidHours: s.paidHours, nightShifts: s.nightShifts, weekendShifts: s.weekendShifts })),
    shifts: problem.shifts.map((s) => ({
      shiftId: s.id,
      patternId: s.patternId,
      start: new Date(s.startInstant).toISOString(),
      end: new Date(s.endInstant).toISOString(),
      seats: s.count,
      staff: (byShift.get(s.id) ?? []).map((id) => ({ userId: id, name: names.get(id) ?? '' })),
    })),
    // Coverage heatmap: people needed (contacts + debrief) against people on duty, per half-hour of the week.
    heatmap: {
      intervalMinutes: problem.step,
      required: report.coverage.map((c) => c.required + problem.debriefLoad[c.interval]),
      rostered: report.coverage.map((c) => c.onDuty),
      isGap: report.coverage.map((c) => c.onDuty < c.required + problem.debriefLoad[c.interval] || c.supervisors < c.supervisorsRequired),
    },
  };
}

// ---------------------------------------------------------------- my shifts and the calendar feed

export async function myShifts(db: DbOrTx, hotlineId: string, userId: string, now = Date.now()) {
  const rows = await db
    .selectFrom('roster_shift as s')
    .innerJoin('roster as r', 'r.id', 's.roster_id')
    .select(['s.roster_id', 's.shift_id', 's.pattern_id', 's.start_at', 's.end_at', sql<string>`r.week_start::text`.as('week_start')])
    .where('s.hotline_id', '=', hotlineId)
    .where('s.user_id', '=', userId)
    .where('r.status', '=', 'published')
    .where('s.end_at', '>', new Date(now - 7 * 86_400_000))
    .orderBy('s.start_at')
    .limit(200)
    .execute();
  const feed = await db.selectFrom('calendar_feed_token').select('created_at').where('hotline_id', '=', hotlineId).where('user_id', '=', userId).executeTakeFirst();
  return {
    timeZone: await hotlineZone(db, hotlineId),
    hasCalendarFeed: !!feed,
    shifts: rows.map((r) => ({ rosterId: r.roster_id, shiftId: r.shift_id, patternId: r.pattern_id, weekStart: r.week_start, start: new Date(r.start_at).toISOString(), end: new Date(r.end_at).toISOString() })),
  };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret feed URL for the user (any previous one stops working). Only the hash is stored. */
export async function createCalendarToken(db: Db, hotlineId: string, who: Who): Promise<{ path: string }> {
  const token = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('calendar_feed_token')
      .values({ hotline_id: hotlineId, user_id: who.actor.id, token_hash: hashToken(token) })
      .onConflict((oc) => oc.columns(['hotline_id', 'user_id']).doUpdateSet({ token_hash: hashToken(token), created_at: new Date() }))
      .execute();
    await audit(tx, who, hotlineId, 'scheduling.calendar.token', 'app_user', who.actor.id);
  });
  return { path: `/api/calendar/${token}` };
}

/** The iCalendar feed behind a secret URL: the person's shifts in published rosters from four weeks back. */
export async function calendarFor(db: Db, token: string, now = Date.now()): Promise<string | null> {
  const owner = await db
    .selectFrom('calendar_feed_token as t')
    .innerJoin('app_user as u', (j) => j.onRef('u.id', '=', 't.user_id').onRef('u.hotline_id', '=', 't.hotline_id'))
    .select(['t.hotline_id', 't.user_id', 'u.is_active'])
    .where('t.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!owner || !owner.is_active) return null;
  const rosters = await db
    .selectFrom('roster')
    .select([...rosterColumns])
    .where('hotline_id', '=', owner.hotline_id)
    .where('status', '=', 'published')
    .where('week_start', '>=', new Date(now - 35 * 86_400_000).toISOString().slice(0, 10))
    .where(sql<boolean>`assignments @> ${JSON.stringify([{ staffId: owner.user_id }])}::jsonb`)
    .orderBy('week_start')
    .execute();
  const events = (rosters as RosterRow[]).flatMap((r) => shiftEvents(problemOf(r), { assignments: r.assignments as Assignment[], debriefs: r.debriefs as DebriefBlock[] }, owner.user_id));
  const publishedAt = rosters.reduce((max, r) => Math.max(max, r.published_at?.getTime() ?? 0), 0) || now;
  const timeZone = await hotlineZone(db, owner.hotline_id);
  await appendAudit(db, { hotlineId: owner.hotline_id, actorId: owner.user_id, actorLabel: 'calendar feed', action: 'scheduling.calendar.read', recordType: 'app_user', recordId: owner.user_id, details: { events: events.length } });
  return calendarFeed(events, { publishedAt: new Date(publishedAt).toISOString(), calendarName: 'Catalyst shifts', timeZone });
}

// ---------------------------------------------------------------- swap and leave requests

/** Rule messages name staff by id; people read names. */
function withNames(message: string, input: RosterInput): string {
  return input.staff.reduce((m, s) => m.split(s.id).join(s.name), message);
}

function summariseCheck(check: RequestCheck, input: RosterInput) {
  if (check.status !== 'checked') return { isAllowed: false, newViolations: [withNames(check.message, input)], rules: [] as string[], coverageLosses: 0 };
  return {
    isAllowed: check.isAllowed,
    newViolations: check.newViolations.map((v) => withNames(v.message, input)),
    // Which wellness rules the change would break, as codes the web app translates.
    rules: [...new Set(check.newViolations.map((v) => v.rule))],
    coverageLosses: check.coverageLosses.length,
  };
}

function swapCheck(row: RosterRow, requester: string, body: Extract<ScheduleRequestBody, { kind: 'handover' | 'exchange' }>): RequestCheck {
  const published = { assignments: row.assignments as Assignment[], debriefs: row.debriefs as DebriefBlock[] };
  return body.kind === 'handover'
    ? checkSwapRequest(row.input as RosterInput, published, { kind: 'handover', fromStaff: requester, toStaff: body.toUserId, shiftId: body.shiftId })
    : checkSwapRequest(row.input as RosterInput, published, { kind: 'exchange', staffA: requester, shiftA: body.shiftId, staffB: body.withUserId, shiftB: body.withShiftId });
}

/** Published rosters whose week overlaps the dates. */
async function publishedRostersOverlapping(db: DbOrTx, hotlineId: string, from: string, to: string): Promise<RosterRow[]> {
  return (await db
    .selectFrom('roster')
    .select([...rosterColumns])
    .where('hotline_id', '=', hotlineId)
    .where('status', '=', 'published')
    .where('week_start', '<=', to)
    .where('week_start', '>=', addDays(from, -6))
    .orderBy('week_start')
    .execute()) as RosterRow[];
}

export async function createRequest(db: Db, hotlineId: string, body: ScheduleRequestBody, who: Who, now = Date.now()): Promise<Result<RequestView>> {
  let rosterId: string | null = null;
  let check: ReturnType<typeof summariseCheck> | null = null;
  // Leave is requested by the person, or entered for them by a supervisor (the route checks `scheduling.plan`).
  const subject = body.kind === 'leave' && body.staffId ? body.staffId : who.actor.id;
  if (subject !== who.actor.id) {
    const person = await db.selectFrom('app_user').select('id').where('hotline_id', '=', hotlineId).where('id', '=', subject).where('is_active', '=', true).executeTakeFirst();
    if (!person) return fail('not_found', 'No such staff member');
  }
  if (body.kind === 'leave') {
    const rosters = await publishedRostersOverlapping(db, hotlineId, body.from, body.to);
    const mine = rosters.filter((r) => (r.assignments as Assignment[]).some((a) => a.staffId === subject));
    if (mine.length > 0) {
      const checks = mine.map((r) => summariseCheck(checkLeaveRequest(r.input as RosterInput, { assignments: r.assignments as Assignment[], debriefs: r.debriefs as DebriefBlock[] }, { staffId: subject, leave: { from: body.from, to: body.to, kind: body.leaveKind } }), r.input as RosterInput));
      check = { isAllowed: checks.every((c) => c.isAllowed), newViolations: checks.flatMap((c) => c.newViolations), rules: [...new Set(checks.flatMap((c) => c.rules))], coverageLosses: checks.reduce((s, c) => s + c.coverageLosses, 0) };
    } else check = { isAllowed: true, newViolations: [], rules: [], coverageLosses: 0 };
  } else {
    const row = await loadRoster(db, hotlineId, body.rosterId);
    if (!row || row.status !== 'published') return fail('not_found', 'No such published roster');
    const assignments = row.assignments as Assignment[];
    if (!assignments.some((a) => a.staffId === who.actor.id && a.shiftId === body.shiftId)) return fail('not_found', 'You are not on that shift');
    const other = body.kind === 'handover' ? body.toUserId : body.withUserId;
    if (other === who.actor.id) return fail('validation_failed', 'Choose a colleague, not yourself');
    if (!(row.input as RosterInput).staff.some((s) => s.id === other)) return fail('not_found', 'That colleague is not on this roster');
    const problem = problemOf(row);
    const started = [body.shiftId, ...(body.kind === 'exchange' ? [body.withShiftId] : [])].some((sid) => (problem.shiftById.get(sid)?.startInstant ?? 0) <= now);
    if (started) return fail('validation_failed', 'That shift has already started');
    rosterId = row.id;
    check = summariseCheck(swapCheck(row, who.actor.id, body), row.input as RosterInput);
  }
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('schedule_request')
      .values({ hotline_id: hotlineId, kind: body.kind, requested_by: subject, roster_id: rosterId, payload: JSON.stringify(subject === who.actor.id ? body : { ...body, enteredBy: who.actor.id }), check_result: JSON.stringify(check) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, who, hotlineId, 'scheduling.request.create', 'schedule_request', row.id, { kind: body.kind, ...(subject === who.actor.id ? {} : { enteredFor: subject }) });
    return row.id;
  });
  return ok((await listRequests(db, hotlineId, { id }))[0]);
}

export type RequestView = Awaited<ReturnType<typeof listRequests>>[number];

export async function listRequests(db: DbOrTx, hotlineId: string, filter: { requestedBy?: string; id?: string }) {
  let q = db
    .selectFrom('schedule_request as q')
    .innerJoin('app_user as u', 'u.id', 'q.requested_by')
    .select(['q.id', 'q.kind', 'q.status', 'q.roster_id', 'q.payload', 'q.check_result', 'q.created_at', 'q.decided_at', 'q.requested_by', 'u.display_name'])
    .where('q.hotline_id', '=', hotlineId);
  if (filter.requestedBy) q = q.where('q.requested_by', '=', filter.requestedBy);
  if (filter.id) q = q.where('q.id', '=', filter.id);
  const rows = await q.orderBy(sql`q.status = 'pending'`, 'desc').orderBy('q.created_at', 'desc').limit(200).execute();
  // For swaps: when the shifts are and who the colleague is, so nobody has to decode shift ids.
  const swaps = rows.map((r) => r.payload as ScheduleRequestBody).filter((p): p is Extract<ScheduleRequestBody, { rosterId: string }> => p.kind !== 'leave');
  const rosterIds = [...new Set(swaps.map((p) => p.rosterId))];
  const times = rosterIds.length === 0 ? [] : await db
    .selectFrom('roster_shift')
    .select(['roster_id', 'shift_id', sql<Date>`min(start_at)`.as('start_at'), sql<Date>`min(end_at)`.as('end_at')])
    .where('hotline_id', '=', hotlineId)
    .where('roster_id', 'in', rosterIds)
    .groupBy(['roster_id', 'shift_id'])
    .execute();
  const timeOf = (rosterId: string, shiftId: string) => {
    const t = times.find((x) => x.roster_id === rosterId && x.shift_id === shiftId);
    return t ? { start: new Date(t.start_at).toISOString(), end: new Date(t.end_at).toISOString() } : null;
  };
  const colleagueIds = [...new Set(swaps.map((p) => (p.kind === 'handover' ? p.toUserId : p.withUserId)))];
  const timeZone = rows.length === 0 ? 'UTC' : await hotlineZone(db, hotlineId);
  const colleagues = colleagueIds.length === 0 ? [] : await db.selectFrom('app_user').select(['id', 'display_name']).where('hotline_id', '=', hotlineId).where('id', 'in', colleagueIds).execute();
  return rows.map((r) => {
    const details = r.payload as ScheduleRequestBody;
    const colleagueId = details.kind === 'handover' ? details.toUserId : details.kind === 'exchange' ? details.withUserId : null;
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      rosterId: r.roster_id,
      requestedBy: { userId: r.requested_by, name: r.display_name },
      details,
      timeZone,
      shift: details.kind === 'leave' ? null : timeOf(details.rosterId, details.shiftId),
      withShift: details.kind === 'exchange' ? timeOf(details.rosterId, details.withShiftId) : null,
      colleague: colleagueId ? { userId: colleagueId, name: colleagues.find((c) => c.id === colleagueId)?.display_name ?? '' } : null,
      check: r.check_result as (ReturnType<typeof summariseCheck> & { rules?: string[] }) | null,
      createdAt: r.created_at.toISOString(),
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    };
  });
}

/**
 * For someone on a published roster: the colleagues on it and their shifts still to come, to choose whom to offer a
 * shift to or trade with. Names and shift times only.
 */
export async function rosterTeam(db: Db, hotlineId: string, rosterId: string, who: Who, now = Date.now()): Promise<Result<{ rosterId: string; weekStart: string; timeZone: string; colleagues: { userId: string; name: string; shifts: { shiftId: string; start: string; end: string }[] }[] }>> {
  const row = await loadRoster(db, hotlineId, rosterId);
  if (!row || row.status !== 'published' || !(row.assignments as Assignment[]).some((a) => a.staffId === who.actor.id)) return fail('not_found', 'No such published roster');
  const input = row.input as RosterInput;
  const problem = problemOf(row);
  const colleagues = input.staff
    .filter((s) => s.id !== who.actor.id)
    .map((s) => ({
      userId: s.id,
      name: s.name,
      shifts: (row.assignments as Assignment[])
        .filter((a) => a.staffId === s.id)
        .map((a) => problem.shiftById.get(a.shiftId)!)
        .filter((sh) => sh.startInstant > now)
        .sort((a, b) => a.startInstant - b.startInstant)
        .map((sh) => ({ shiftId: sh.id, start: new Date(sh.startInstant).toISOString(), end: new Date(sh.endInstant).toISOString() })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  await audit(db, who, hotlineId, 'scheduling.roster.team', 'roster', rosterId);
  return ok({ rosterId, weekStart: row.week_start, timeZone: input.timeZone ?? 'UTC', colleagues });
}

/**
 * A supervisor decides. Approving a swap re-checks it against the roster as it is now and refuses it if it would
 * break a wellness rule; approving leave records it and re-optimises every published roster it touches.
 */
export async function decideRequest(db: Db, hotlineId: string, id: string, approve: boolean, who: Who): Promise<Result<RequestView>> {
  const [request] = await listRequests(db, hotlineId, { id });
  if (!request) return fail('not_found', 'No such request');
  if (request.status !== 'pending') return fail('conflict', 'This request was already decided');
  const markDecided = async (tx: DbOrTx) => {
    const updated = await tx
      .updateTable('schedule_request')
      .set({ status: approve ? 'approved' : 'rejected', decided_by: who.actor.id, decided_at: new Date() })
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new Error('request decided concurrently');
  };
  const details = { kind: request.kind, approve };
  if (!approve) {
    await db.transaction().execute(async (tx) => {
      await markDecided(tx);
      await audit(tx, who, hotlineId, 'scheduling.request.decide', 'schedule_request', id, details);
    });
    return ok((await listRequests(db, hotlineId, { id }))[0]);
  }
  const body = request.details;
  if (body.kind !== 'leave') {
    const row = await loadRoster(db, hotlineId, body.rosterId);
    if (!row || row.status !== 'published') return fail('conflict', 'The roster is no longer published');
    const check = swapCheck(row, request.requestedBy.userId, body);
    if (check.status !== 'checked' || check.newViolations.length > 0) {
      // Refused: the request stays pending with what the check found now, so the supervisor sees which rule.
      const summary = summariseCheck(check, row.input as RosterInput);
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('schedule_request').set({ check_result: JSON.stringify(summary) }).where('hotline_id', '=', hotlineId).where('id', '=', id).where('status', '=', 'pending').execute();
        await audit(tx, who, hotlineId, 'scheduling.request.refused', 'schedule_request', id, { kind: request.kind, rules: summary.rules });
      });
      return fail('conflict', `The swap would break a wellness rule: ${summary.newViolations[0]}`);
    }
    const report = checkRoster(problemOf(row), { assignments: check.assignments, debriefs: check.debriefs });
    const applied = await applyToPublished(db, hotlineId, row, check.assignments, check.debriefs, report, who, 'scheduling.request.decide', { ...details, requestId: id }, markDecided);
    if (!applied.ok) return applied;
    return ok((await listRequests(db, hotlineId, { id }))[0]);
  }
  // Leave: record it, then re-optimise each published roster where the person has shifts on those dates.
  const requester = request.requestedBy.userId;
  const rosters = await publishedRostersOverlapping(db, hotlineId, body.from, body.to);
  for (const row of rosters) {
    if (!(row.assignments as Assignment[]).some((a) => a.staffId === requester)) continue;
    const fromMinute = Math.max(0, (dateToWallMs(body.from) - dateToWallMs(row.week_start)) / 60_000);
    const toMinute = Math.min(2 * 10_080, (dateToWallMs(addDays(body.to, 1)) - dateToWallMs(row.week_start)) / 60_000);
    if (toMinute <= fromMinute) continue;
    const result = await solveReoptimise(row.input as RosterInput, { assignments: row.assignments as Assignment[], debriefs: row.debriefs as DebriefBlock[] }, { staffId: requester, fromMinute, toMinute });
    if (result.status === 'unknownStaff' || result.status === 'invalidRoster') return fail('conflict', result.message);
    const applied = await applyToPublished(db, hotlineId, row, result.assignments, result.debriefs, result.report, who, 'scheduling.roster.leave', { requestId: id, changes: result.changes.length });
    if (!applied.ok) return applied;
  }
  await db.transaction().execute(async (tx) => {
    await markDecided(tx);
    await tx.insertInto('staff_leave').values({ hotline_id: hotlineId, user_id: requester, from_date: body.from, to_date: body.to, kind: body.leaveKind, request_id: id }).execute();
    await audit(tx, who, hotlineId, 'scheduling.request.decide', 'schedule_request', id, details);
  });
  return ok((await listRequests(db, hotlineId, { id }))[0]);
}
