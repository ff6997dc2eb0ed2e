import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Assignment, RosterInput, RosterShift, Staff } from '../../shared/scheduling/roster-schemas.js';
import { assignStaff, type RosterResult } from './roster-assign.js';
import { checkRoster } from './roster-check.js';
import { planRoster } from './roster-plan.js';
import { prepareRoster } from './roster-problem.js';
import { syntheticStaff } from './synthetic-staff.js';

/**
 * The test's own oracle for the hard rules, written from the rule texts and sharing no code with
 * roster-check.ts. Times: hourly week; `realMinute` converts wall-clock minutes to real elapsed
 * minutes for the two zones used here.
 */
const HOUR = 60;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

type Zone = { timeZone: 'UTC' | 'Europe/Paris'; weekStart: string };
// Week of 19 October 2026 in Paris: UTC+2 until Sunday 03:00 local, then UTC+1.
function realMinute(zone: Zone, wall: number): number {
  if (zone.timeZone === 'UTC') return wall;
  return wall - (wall < 6 * DAY + 3 * HOUR ? 120 : 60);
}

function oracleViolations(input: RosterInput, assignments: readonly Assignment[]): string[] {
  const found: string[] = [];
  const zone = { timeZone: input.timeZone, weekStart: input.weekStart } as Zone;
  const shiftById = new Map(input.shifts.map((s) => [s.id!, s]));
  const seen = new Set<string>();
  for (const a of assignments) {
    const key = `${a.shiftId}/${a.staffId}`;
    if (seen.has(key)) found.push(`duplicate ${key}`);
    seen.add(key);
  }
  for (const s of input.shifts) {
    const people = assignments.filter((a) => a.shiftId === s.id).length;
    if (people > (s.count ?? 1)) found.push(`overfilled ${s.id}`);
  }
  const weekStartMs = Date.parse(`${input.weekStart}T00:00:00Z`);
  const isNightShift = (s: RosterShift) => {
    let minutes = 0;
    for (let m = s.startMinuteOfWeek; m < s.startMinuteOfWeek + s.lengthMinutes; m++) if (m % DAY < 6 * HOUR) minutes++;
    return minutes >= 180;
  };
  const longestRun = (days: Set<number>, history: number) => {
    let run = history;
    let best = 0;
    for (let d = 0; d < 7; d++) {
      if (days.has(d)) best = Math.max(best, ++run);
      else run = 0;
    }
    return best;
  };
  for (const staff of input.staff) {
    const mine = assignments.filter((a) => a.staffId === staff.id).map((a) => shiftById.get(a.shiftId)!).sort((x, y) => x.startMinuteOfWeek - y.startMinuteOfWeek);
    for (const s of mine) {
      const [start, end] = [s.startMinuteOfWeek, s.startMinuteOfWeek + s.lengthMinutes];
      for (const leave of staff.leave ?? []) {
        const from = (Date.parse(`${leave.from}T00:00:00Z`) - weekStartMs) / 60_000;
        const to = (Date.parse(`${leave.to}T00:00:00Z`) - weekStartMs) / 60_000 + DAY;
        if (start < to && from < end) found.push(`leave ${staff.id} ${s.id}`);
      }
      for (const w of staff.unavailable ?? []) {
        for (const d of w.days) {
          for (const k of [-1, 0, 1]) {
            const from = k * WEEK + d * DAY + w.startMinute;
            if (start < k * WEEK + d * DAY + w.endMinute && from < end) found.push(`unavailable ${staff.id} ${s.id}`);
          }
        }
      }
    }
    const history = staff.history ?? {};
    let lastEnd = history.lastShiftEndMinute === undefined ? -Infinity : realMinute(zone, history.lastShiftEndMinute);
    for (const s of mine) {
      if (realMinute(zone, s.startMinuteOfWeek) - lastEnd < 11 * HOUR) found.push(`rest ${staff.id} ${s.id}`);
      lastEnd = realMinute(zone, s.startMinuteOfWeek + s.lengthMinutes);
    }
    // Paid hours: the length less unpaid breaks (breaks are unpaid unless they say otherwise).
    const hours = mine.reduce((sum, s) => sum + (s.lengthMinutes - (s.breaks ?? []).filter((b) => !b.isPaid).reduce((m, b) => m + b.lengthMinutes, 0)) / 60, 0);
    if (hours > staff.contract.maxHoursPerWeek) found.push(`contract ${staff.id}`);
    const days = new Set(mine.map((s) => Math.floor(s.startMinuteOfWeek / DAY)));
    if (longestRun(days, history.consecutiveDaysWorked ?? 0) > 5) found.push(`days ${staff.id}`);
    const nights = mine.filter(isNightShift);
    if (nights.length > 3) found.push(`nights ${staff.id}`);
    if (longestRun(new Set(nights.map((s) => Math.floor(s.startMinuteOfWeek / DAY))), history.consecutiveNightShifts ?? 0) > 3) found.push(`nights in a row ${staff.id}`);
  }
  // Nobody alone at night (22:00–07:00), with a supervisor or on-call supervisor when required.
  const supervisorRule = input.rules?.nightFloor?.supervisor ?? 'fullOrOnCall';
  for (let hour = 0; hour < 168; hour++) {
    const minute = hour * HOUR;
    if (!(minute % DAY >= 22 * HOUR || minute % DAY < 7 * HOUR)) continue;
    const present = assignments.filter((a) => {
      const s = shiftById.get(a.shiftId)!;
      const offset = (((minute - s.startMinuteOfWeek) % WEEK) + WEEK) % WEEK;
      return offset < s.lengthMinutes;
    });
    // Alone means alone on duty: a colleague on a break is not answering the next call.
    const onBreak = (a: Assignment) => {
      const s = shiftById.get(a.shiftId)!;
      return (s.breaks ?? []).some((b) => {
        const offset = (((minute - b.startMinuteOfWeek) % WEEK) + WEEK) % WEEK;
        return offset < b.lengthMinutes;
      });
    };
    if (present.length > 0 && present.filter((a) => !onBreak(a)).length < 2) found.push(`alone at ${hour}`);
    const staffOf = (id: string) => input.staff.find((s) => s.id === id)!;
    if (present.length > 0 && supervisorRule !== 'none' && !present.some((a) => (staffOf(a.staffId).skills?.supervisor ?? 'none') !== 'none')) found.push(`no night supervisor at ${hour}`);
  }
  return found;
}

/** People on duty (present and not on a break) per hour, recounted from the assignments. */
function onDutyPerHour(input: RosterInput, assignments: readonly Assignment[]): number[] {
  const counts = new Array<number>(168).fill(0);
  for (const a of assignments) {
    const s = input.shifts.find((x) => x.id === a.shiftId)!;
    for (let m = s.startMinuteOfWeek; m < s.startMinuteOfWeek + s.lengthMinutes; m += HOUR) {
      if ((s.breaks ?? []).some((b) => m >= b.startMinuteOfWeek && m < b.startMinuteOfWeek + b.lengthMinutes)) continue;
      counts[(m / HOUR) % 168]++;
    }
  }
  return counts;
}

function expectEveryShortfallReported(input: RosterInput, result: RosterResult): void {
  const onDuty = onDutyPerHour(input, result.assignments);
  let shortHours = 0;
  input.required.forEach((r, t) => {
    if (onDuty[t] >= r) return;
    shortHours += r - onDuty[t];
    const gap = result.report.gaps.find((g) => g.kind === 'people' && g.fromInterval <= t && t <= g.toInterval);
    expect(gap, `hour ${t}: ${onDuty[t]} on duty for ${r} required, and no gap reported`).toBeDefined();
    expect(gap!.reasons.length).toBeGreaterThan(0);
  });
  expect(result.report.totals.shortPersonHours).toBeCloseTo(shortHours, 9);
  for (const gap of result.report.gaps.filter((g) => g.kind === 'people')) {
    for (let t = gap.fromInterval; t <= gap.toInterval; t++) expect(onDuty[t]).toBeLessThan(input.required[t]);
  }
}

const staffArbitrary = (index: number): fc.Arbitrary<Staff> =>
  fc.record({
    maxHours: fc.constantFrom(16, 24, 40),
    minHours: fc.constantFrom(0, 8),
    supervisor: fc.constantFrom('none', 'none', 'onCall', 'full'),
    spanish: fc.boolean(),
    window: fc.option(fc.record({ day: fc.integer({ min: 0, max: 6 }), start: fc.integer({ min: 0, max: 23 }), hours: fc.integer({ min: 2, max: 14 }) }), { nil: undefined }),
    leaveDay: fc.option(fc.integer({ min: -1, max: 7 }), { nil: undefined }),
    days: fc.integer({ min: 0, max: 5 }),
    nights: fc.integer({ min: 0, max: 3 }),
    lastEnd: fc.option(fc.integer({ min: -24, max: 6 }), { nil: undefined }),
  }).map((g) => ({
    id: `p${index}`,
    name: `Person ${index}`,
    contract: { minHoursPerWeek: g.minHours, maxHoursPerWeek: g.maxHours },
    skills: { languages: g.spanish ? ['en', 'es'] : ['en'], supervisor: g.supervisor as 'none' | 'onCall' | 'full' },
    unavailable: g.window ? [{ days: [g.window.day], startMinute: g.window.start * HOUR, endMinute: (g.window.start + g.window.hours) * HOUR }] : [],
    leave: g.leaveDay === undefined ? [] : [{ from: dayAfter('2026-10-19', g.leaveDay), to: dayAfter('2026-10-19', g.leaveDay) }],
    history: { consecutiveDaysWorked: g.days, consecutiveNightShifts: g.nights, ...(g.lastEnd === undefined ? {} : { lastShiftEndMinute: g.lastEnd * HOUR }) },
  }));

function dayAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const rosterArbitrary: fc.Arbitrary<RosterInput> = fc
  .record({
    staffCount: fc.integer({ min: 2, max: 7 }),
    shifts: fc.array(fc.record({ day: fc.integer({ min: 0, max: 6 }), hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constantFrom(21, 22, 23)), hours: fc.constantFrom(6, 8, 10, 12), count: fc.integer({ min: 1, max: 2 }), breakAfter: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined, freq: 3 }) }), { minLength: 3, maxLength: 16 }),
    extra: fc.array(fc.integer({ min: 0, max: 167 }), { maxLength: 6 }),
    timeZone: fc.constantFrom('UTC' as const, 'Europe/Paris' as const),
    supervisor: fc.constantFrom('none' as const, 'fullOrOnCall' as const),
    spanishFrom: fc.option(fc.integer({ min: 0, max: 160 }), { nil: undefined }),
  })
  .chain((g) => fc.tuple(fc.constant(g), fc.tuple(...Array.from({ length: g.staffCount }, (_, i) => staffArbitrary(i)))))
  .map(([g, staff]) => {
    // Some shifts have a one-hour break, so the night floor is tested with colleagues on a break.
    const shifts: RosterShift[] = g.shifts.map((s, i) => {
      const start = (s.day * 24 + s.hour) * HOUR;
      return { id: `s${i}`, patternId: `${s.hours}h`, startMinuteOfWeek: start, lengthMinutes: s.hours * HOUR, count: s.count, ...(s.breakAfter === undefined ? {} : { breaks: [{ startMinuteOfWeek: start + s.breakAfter * HOUR, lengthMinutes: HOUR }] }) };
    });
    // Required: what the shifts would cover if all were filled, plus a few hours nobody planned for.
    const required = new Array<number>(168).fill(0);
    for (const s of shifts) for (let m = s.startMinuteOfWeek; m < s.startMinuteOfWeek + s.lengthMinutes; m += HOUR) required[(m / HOUR) % 168] += s.count ?? 1;
    for (const t of g.extra) required[t] += 1;
    return {
      weekStart: g.timeZone === 'UTC' ? '2026-11-30' : '2026-10-19',
      timeZone: g.timeZone,
      intervalMinutes: 60 as const,
      required,
      shifts,
      staff: g.timeZone === 'UTC' ? staff.map((s) => ({ ...s, leave: (s.leave ?? []).map((l) => ({ from: dayAfter('2026-11-30', (Date.parse(`${l.from}T00:00:00Z`) - Date.parse('2026-10-19T00:00:00Z')) / 86_400_000), to: dayAfter('2026-11-30', (Date.parse(`${l.to}T00:00:00Z`) - Date.parse('2026-10-19T00:00:00Z')) / 86_400_000) })) })) : staff,
      rules: { nightFloor: { startMinute: 22 * HOUR, endMinute: 7 * HOUR, supervisor: g.supervisor } },
      skillNeeds: g.spanishFrom === undefined ? [] : [{ skill: 'language:es', minimum: 1, windows: [{ days: [Math.floor(g.spanishFrom / 24)], startMinute: (g.spanishFrom % 24) * HOUR, endMinute: (g.spanishFrom % 24) * HOUR + 8 * HOUR }] }],
    } satisfies RosterInput;
  });

describe('assignStaff (properties)', () => {
  it('never breaks a wellness rule, availability or leave, reports every shortfall, and gives the same roster for the same input in any order', async () => {
    await fc.assert(
      fc.asyncProperty(rosterArbitrary, async (input) => {
        const result = await assignStaff(input);
        expect(oracleViolations(input, result.assignments)).toEqual([]);
        expect(result.report.violations).toEqual([]);
        expectEveryShortfallReported(input, result);
        // The same input listed in another order gives the same roster.
        const again = await assignStaff({ ...input, staff: [...input.staff].reverse(), shifts: [...input.shifts].reverse() });
        expect(again.assignments).toEqual(result.assignments);
        expect(again.report.gaps).toEqual(result.report.gaps);
      }),
      { numRuns: 40, seed: 20261130 },
    );
  });

  it('staffs every seat when there are enough free people, and the oracle catches a planted breach', async () => {
    const shifts: RosterShift[] = ['mon', 'tue', 'wed'].map((d, i) => ({ id: `day-${d}`, patternId: '8h', startMinuteOfWeek: i * DAY + 9 * HOUR, lengthMinutes: 8 * HOUR, count: 2 }));
    const input: RosterInput = {
      weekStart: '2026-11-30',
      timeZone: 'UTC',
      intervalMinutes: 60,
      required: onDutyPerHour({ shifts, required: [], staff: [], weekStart: '', } as unknown as RosterInput, shifts.flatMap((s) => [{ shiftId: s.id!, staffId: 'x' }, { shiftId: s.id!, staffId: 'y' }])),
      shifts,
      staff: ['a', 'b', 'c'].map((id) => ({ id, name: id, contract: { maxHoursPerWeek: 40 } })),
    };
    const result = await assignStaff(input);
    expect(result.report.totals.filledSeats).toBe(6);
    expect(result.report.gaps).toEqual([]);
    expect(oracleViolations(input, result.assignments)).toEqual([]);
    // The oracle is not vacuous: an overlapping extra shift and a leave day are caught.
    const withLeave = { ...input, staff: input.staff.map((s) => ({ ...s, leave: [{ from: '2026-11-30', to: '2026-12-02' }] })) };
    expect(oracleViolations(withLeave, result.assignments).filter((v) => v.startsWith('leave'))).toHaveLength(6);
  });
});

describe('nobody alone at night when a colleague is on a break', () => {
  // Two kinds of seat on Tuesday night: breaks at 02:00 (A) or 03:00 (B). One person is needed for contacts, so
  // counting people present, one on A and one on B would do; but then each is alone during the other's break.
  const night = (id: string, breakAt: string): RosterShift => ({ id, patternId: '8h', startMinuteOfWeek: DAY + 22 * HOUR, lengthMinutes: 8 * HOUR, count: 2, breaks: [{ startMinuteOfWeek: 2 * DAY + Number(breakAt) * HOUR, lengthMinutes: HOUR }] });
  const shifts = [night('night-a', '2'), night('night-b', '3')];
  const input = (people: number): RosterInput => ({
    weekStart: '2026-11-30',
    timeZone: 'UTC',
    intervalMinutes: 60,
    required: Array.from({ length: 168 }, (_, h) => (h >= 24 + 22 && h < 48 + 6 ? 1 : 0)),
    shifts,
    staff: Array.from({ length: people }, (_, i) => ({ id: `p${i}`, name: `P${i}`, contract: { maxHoursPerWeek: 40 } })),
    rules: { nightFloor: { startMinute: 22 * HOUR, endMinute: 7 * HOUR, supervisor: 'none' } },
  });

  it('staffs both break times twice when four people are free', async () => {
    const result = await assignStaff(input(4));
    expect(result.assignments).toHaveLength(4);
    expect(oracleViolations(input(4), result.assignments)).toEqual([]);
  });

  it('leaves the night empty, and says why, rather than leave someone alone during a break', async () => {
    const result = await assignStaff(input(3));
    expect(result.assignments).toEqual([]);
    expect(result.report.gaps.some((g) => g.reasons.some((r) => r.includes('left empty at night')))).toBe(true);
    // Three people would be two on one break time and one on the other: the check names it.
    const planted = [{ shiftId: 'night-a', staffId: 'p0' }, { shiftId: 'night-a', staffId: 'p1' }, { shiftId: 'night-b', staffId: 'p2' }];
    expect(oracleViolations(input(3), planted)).toContain(`alone at ${2 * 24 + 2}`);
    expect(checkRoster(prepareRoster(input(3)), { assignments: planted }).violations.map((v) => v.rule)).toContain('aloneAtNight');
  });
});

describe('a realistic week', () => {
  it('rosters 20 people over 336 half-hours with a Spanish speaker by day, debriefs and no rule broken', async () => {
    const weekStart = '2026-11-30';
    // Two on duty at night, three by day, four at the evening peak.
    const required = Array.from({ length: 336 }, (_, t) => {
      const hour = (t % 48) / 2;
      return hour >= 18 && hour < 22 ? 4 : hour >= 9 && hour < 18 ? 3 : 2;
    });
    const crisisContacts = required.map((r, t) => ((t % 48) / 2 >= 20 ? 0.4 : 0.1 * r));
    const staff = syntheticStaff({ count: 20, seed: 'realistic', weekStart });
    const plan = await planRoster({
      roster: {
        weekStart,
        timeZone: 'America/New_York',
        required,
        staff,
        crisisContacts,
        skillNeeds: [{ skill: 'language:es', minimum: 1, windows: [{ days: [0, 1, 2, 3, 4, 5, 6], startMinute: 8 * 60, endMinute: 22 * 60 }] }],
      },
      patterns: [
        { id: 'early', lengthMinutes: 480, startMinutesOfDay: [420, 480, 540] },
        { id: 'late', lengthMinutes: 480, startMinutesOfDay: [780, 840, 900] },
        { id: 'night', lengthMinutes: 600, startMinutesOfDay: [1260, 1320] },
        { id: 'mid', lengthMinutes: 600, startMinutesOfDay: [600, 660] },
      ],
      covering: { timeLimitSeconds: 10 },
    });
    if (plan.status !== 'planned') throw new Error(plan.message);
    const { roster, covering } = plan;
    expect(roster.report.violations).toEqual([]);
    expect(roster.isDeterministic).toBe(true);
    // Each gap is explained; the people-hours short are what the coverage table says.
    for (const gap of roster.report.gaps) expect(gap.reasons.length).toBeGreaterThan(0);
    const short = roster.report.coverage.reduce((sum, c) => sum + Math.max(0, c.required - c.available), 0) / 2;
    expect(roster.report.totals.shortPersonHours).toBeCloseTo(short, 9);
    // Nobody above their contract, nights shared out under the weekly limit.
    for (const s of roster.report.staffSummary) {
      const person = staff.find((p) => p.id === s.staffId)!;
      expect(s.paidHours).toBeLessThanOrEqual(person.contract.maxHoursPerWeek);
      expect(s.nightShifts).toBeLessThanOrEqual(3);
    }
    // Debrief blocks sit inside their person's shift, one per crossing of 3 crisis contacts.
    const totalCrisis = crisisContacts.reduce((a, b) => a + b, 0);
    expect(roster.debriefs.length + roster.report.gaps.filter((g) => g.kind === 'debrief').reduce((n, g) => n + g.toInterval - g.fromInterval + 1, 0)).toBeGreaterThanOrEqual(Math.floor(totalCrisis / 3 - 1e-9));
    for (const d of roster.debriefs) expect(roster.assignments).toContainEqual({ shiftId: d.shiftId, staffId: d.staffId });
    // Enough people for this week: every seat the covering opened is filled, nothing is short.
    expect(roster.report.gaps).toEqual([]);
    expect(roster.report.totals.filledSeats).toBe(roster.report.totals.seats);
    expect(roster.report.totals.rosteredPaidHours).toBeCloseTo(covering.paidHours, 6);
    expect(roster.report.coverage.every((c) => c.available >= c.required && (c.skills['language:es']?.rostered ?? 0) >= (c.skills['language:es']?.needed ?? 0))).toBe(true);
  });
});
