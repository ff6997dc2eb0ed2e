/**
 * A roster problem prepared once: shifts with real instants, the intervals they cover, night and
 * weekend flags; staff with leave and unavailability as minute ranges; debrief blocks; skill needs
 * per interval. The checker, the optimiser and the request checks all read this one view, so they
 * cannot disagree about what a rule means.
 */
import { MINUTES_PER_WEEK } from '../../shared/scheduling/schemas.js';
import {
  rosterInputSchema,
  type ParsedRosterInput,
  type ParsedStaff,
  type RosterInput,
} from '../../shared/scheduling/roster-schemas.js';
import { daysFrom, isInDailyWindow, MINUTES_PER_DAY, minutesInDailyWindow, weekMinuteToInstant } from './roster-time.js';

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface PreparedShift {
  readonly id: string;
  readonly index: number;
  readonly patternId: string;
  /** Wall-clock minutes after Monday 00:00; `end` may pass the end of the week. */
  readonly start: number;
  readonly end: number;
  readonly breaks: readonly { readonly startMinuteOfWeek: number; readonly lengthMinutes: number; readonly isPaid: boolean }[];
  readonly paidHours: number;
  readonly count: number;
  readonly startInstant: number;
  readonly endInstant: number;
  /** Day it starts: 0 = Monday … 6 = Sunday. A shift belongs to the day it starts. */
  readonly day: number;
  readonly isNight: boolean;
  readonly isWeekend: boolean;
  /** Intervals (cyclic week) with the person present, breaks included, and on duty, breaks excluded. */
  readonly onShiftIntervals: readonly number[];
  readonly onDutyIntervals: readonly number[];
}

export interface PreparedStaff {
  readonly index: number;
  readonly data: ParsedStaff;
  /** Leave and unavailability as [start, end) wall minutes relative to this week's Monday 00:00. */
  readonly leaveRanges: readonly (readonly [number, number])[];
  readonly unavailableRanges: readonly (readonly [number, number])[];
  /** Instant the last shift before this week ended, if known. */
  readonly lastShiftEndInstant: number | undefined;
}

export interface DebriefDemand {
  /** The interval with the crisis contacts; the block starts in the next interval. */
  readonly afterInterval: number;
  readonly startInterval: number;
  readonly intervals: number;
}

export interface SkillNeedPerInterval {
  readonly skill: string;
  readonly perInterval: readonly number[];
}

export interface RosterProblem {
  readonly input: ParsedRosterInput;
  readonly intervalCount: number;
  readonly step: number;
  readonly shifts: readonly PreparedShift[];
  readonly shiftById: ReadonlyMap<string, PreparedShift>;
  readonly staff: readonly PreparedStaff[];
  readonly staffById: ReadonlyMap<string, PreparedStaff>;
  readonly required: readonly number[];
  readonly supervisorsRequired: readonly number[];
  readonly debriefDemands: readonly DebriefDemand[];
  /** People debriefing in each interval (the reserved blocks). */
  readonly debriefLoad: readonly number[];
  readonly skillNeeds: readonly SkillNeedPerInterval[];
  readonly isNightFloorInterval: readonly boolean[];
  readonly restMs: number;
}

export function prepareRoster(raw: RosterInput): RosterProblem {
  return prepareParsedRoster(rosterInputSchema.parse(raw));
}

export function prepareParsedRoster(input: ParsedRosterInput): RosterProblem {
  const step = input.intervalMinutes;
  const n = MINUTES_PER_WEEK / step;
  const { rules } = input;

  const merged = mergeShifts(input);
  const shifts: PreparedShift[] = merged.map((s, index) => {
    const end = s.startMinuteOfWeek + s.lengthMinutes;
    const onShift: number[] = [];
    const onDuty: number[] = [];
    for (let m = s.startMinuteOfWeek; m < end; m += step) {
      const t = (m / step) % n;
      onShift.push(t);
      if (!s.breaks.some((b) => m >= b.startMinuteOfWeek && m < b.startMinuteOfWeek + b.lengthMinutes)) onDuty.push(t);
    }
    const unpaid = s.breaks.filter((b) => !b.isPaid).reduce((sum, b) => sum + b.lengthMinutes, 0);
    const day = Math.floor(s.startMinuteOfWeek / MINUTES_PER_DAY);
    return {
      id: s.id,
      index,
      patternId: s.patternId,
      start: s.startMinuteOfWeek,
      end,
      breaks: s.breaks,
      paidHours: s.paidHours ?? (s.lengthMinutes - unpaid) / 60,
      count: s.count,
      startInstant: weekMinuteToInstant(input.weekStart, s.startMinuteOfWeek, input.timeZone),
      endInstant: weekMinuteToInstant(input.weekStart, end, input.timeZone),
      day,
      isNight: minutesInDailyWindow(s.startMinuteOfWeek, end, rules.nightShift.startMinute, rules.nightShift.endMinute) >= rules.nightShift.minimumMinutes,
      isWeekend: rules.weekendDays.includes(day),
      onShiftIntervals: onShift,
      onDutyIntervals: onDuty,
    };
  });

  const staff: PreparedStaff[] = [...input.staff]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((data, index) => ({
      index,
      data,
      leaveRanges: data.leave.map((l) => [daysFrom(input.weekStart, l.from) * MINUTES_PER_DAY, (daysFrom(input.weekStart, l.to) + 1) * MINUTES_PER_DAY] as const),
      // Each weekly window repeats: last week, this week and next week, so shifts that wrap are checked too.
      unavailableRanges: data.unavailable.flatMap((w) =>
        w.days.flatMap((d) => [-1, 0, 1].map((k) => [k * MINUTES_PER_WEEK + d * MINUTES_PER_DAY + w.startMinute, k * MINUTES_PER_WEEK + d * MINUTES_PER_DAY + w.endMinute] as const)),
      ),
      lastShiftEndInstant: data.history.lastShiftEndMinute === undefined ? undefined : weekMinuteToInstant(input.weekStart, data.history.lastShiftEndMinute, input.timeZone),
    }));

  const { demands, load } = debriefDemands(input, n);
  const skillNeeds = input.skillNeeds.map((need) => ({
    skill: need.skill,
    perInterval: Array.from({ length: n }, (_, t) => (need.windows.length === 0 || need.windows.some((w) => isInWeeklyWindow(t * step, w)) ? need.minimum : 0)),
  }));

  return {
    input,
    intervalCount: n,
    step,
    shifts,
    shiftById: new Map(shifts.map((s) => [s.id, s])),
    staff,
    staffById: new Map(staff.map((s) => [s.data.id, s])),
    required: input.required,
    supervisorsRequired: input.supervisorsRequired ?? new Array<number>(n).fill(0),
    debriefDemands: demands,
    debriefLoad: load,
    skillNeeds,
    isNightFloorInterval: Array.from({ length: n }, (_, t) => isInDailyWindow(t * step, rules.nightFloor.startMinute, rules.nightFloor.endMinute)),
    restMs: rules.minRestHours * 3_600_000,
  };
}

/** Ids compare by code unit so the order never depends on the machine's locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Shifts without an id get one from their timing (`8h.mon0700.b1030`). Identical timings (the
 * covering ILP lists a staff and a supervisor copy of a shift) are merged, adding their counts.
 */
function mergeShifts(input: ParsedRosterInput) {
  const byId = new Map<string, ParsedRosterInput['shifts'][number] & { id: string }>();
  for (const s of input.shifts) {
    const id = s.id ?? derivedShiftId(s);
    const existing = byId.get(id);
    if (existing && s.id === undefined) byId.set(id, { ...existing, count: existing.count + s.count });
    else byId.set(id, { ...s, id });
  }
  return [...byId.values()].sort((a, b) => a.startMinuteOfWeek - b.startMinuteOfWeek || a.lengthMinutes - b.lengthMinutes || compareIds(a.id, b.id));
}

function derivedShiftId(s: { patternId: string; startMinuteOfWeek: number; lengthMinutes: number; breaks: readonly { startMinuteOfWeek: number; lengthMinutes: number }[] }): string {
  const clock = (m: number) => {
    const inDay = ((m % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    return `${String(Math.floor(inDay / 60)).padStart(2, '0')}${String(inDay % 60).padStart(2, '0')}`;
  };
  const pattern = s.patternId.replace(/[^A-Za-z0-9_-]/g, '-');
  const day = DAY_NAMES[Math.floor(s.startMinuteOfWeek / MINUTES_PER_DAY)];
  const breaks = s.breaks.map((b) => `.b${clock(b.startMinuteOfWeek)}${b.lengthMinutes === 30 ? '' : `+${b.lengthMinutes}`}`).join('');
  return `${pattern}.${day}${clock(s.startMinuteOfWeek)}.${s.lengthMinutes}m${breaks}`;
}

function isInWeeklyWindow(minuteOfWeek: number, w: { days: readonly number[]; startMinute: number; endMinute: number }): boolean {
  return w.days.some((d) => {
    const offset = (((minuteOfWeek - d * MINUTES_PER_DAY - w.startMinute) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    return offset < w.endMinute - w.startMinute;
  });
}

/**
 * Debrief blocks from the crisis forecast. The cumulative count of crisis contacts over the week
 * crosses a multiple of `afterCrisisContacts` in some intervals; each crossing reserves one block of
 * `minutes`, starting in the next interval, for one person on duty. Fractional forecasts therefore
 * add up instead of each rounding to a block of its own.
 */
function debriefDemands(input: ParsedRosterInput, n: number): { demands: DebriefDemand[]; load: number[] } {
  const load = new Array<number>(n).fill(0);
  const demands: DebriefDemand[] = [];
  const { afterCrisisContacts, minutes } = input.rules.debrief;
  if (!input.crisisContacts || minutes === 0) return { demands, load };
  const length = minutes / input.intervalMinutes;
  let cumulative = 0;
  input.crisisContacts.forEach((count, t) => {
    const before = Math.floor(cumulative / afterCrisisContacts + 1e-9);
    cumulative += count;
    const after = Math.floor(cumulative / afterCrisisContacts + 1e-9);
    for (let k = before; k < after; k++) {
      const startInterval = (t + 1) % n;
      demands.push({ afterInterval: t, startInterval, intervals: length });
      for (let i = 0; i < length; i++) load[(startInterval + i) % n] += 1;
    }
  });
  return { demands, load };
}

export function hasSkill(staff: ParsedStaff, skill: string): boolean {
  if (skill === 'supervisor') return staff.skills.supervisor === 'full';
  if (skill === 'supervisor:onCall') return staff.skills.supervisor !== 'none';
  if (skill.startsWith('language:')) return staff.skills.languages.includes(skill.slice('language:'.length));
  if (skill.startsWith('channel:')) return (staff.skills.channels as readonly string[]).includes(skill.slice('channel:'.length));
  return false;
}

/** Whether this person counts towards the night floor's supervisor. */
export function isNightSupervisor(problem: RosterProblem, staff: ParsedStaff): boolean {
  const rule = problem.input.rules.nightFloor.supervisor;
  return rule === 'full' ? staff.skills.supervisor === 'full' : staff.skills.supervisor !== 'none';
}

export function overlaps(a: readonly [number, number], start: number, end: number): boolean {
  return a[0] < end && start < a[1];
}
