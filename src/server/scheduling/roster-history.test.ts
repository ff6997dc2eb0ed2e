import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wellnessRulesSchema, type RosterInput, type RosterShift, type Staff } from '../../shared/scheduling/roster-schemas.js';
import { assignStaff } from './roster-assign.js';
import { checkRoster } from './roster-check.js';
import { DAY, hourlyRoster, person, WEEK_START } from './roster-fixtures.js';
import { carryOverHistory, type PastShift } from './roster-history.js';
import { prepareRoster } from './roster-problem.js';
import { addDays } from './forecast.js';

const RULES = wellnessRulesSchema.parse({});
const LAST_WEEK = addDays(WEEK_START, -7);
const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A day shift (08:00, 8 h) and a night shift (23:00, 8 h) on every day of the week. */
const weekShifts = (): RosterShift[] =>
  DAY_KEYS.flatMap((d, i) => [
    { id: `${d}-day`, patternId: 'day', startMinuteOfWeek: i * DAY + 8 * 60, lengthMinutes: 480 },
    { id: `${d}-night`, patternId: 'night', startMinuteOfWeek: i * DAY + 23 * 60, lengthMinutes: 480 },
  ]);

/** Wants someone on every shift, so the optimiser would work people every day if the rules let it. */
function nextWeek(staff: Staff[]): RosterInput {
  const required = Array.from({ length: 168 }, (_, h) => (h % 24 >= 8 && h % 24 < 16) || h % 24 >= 23 || h % 24 < 7 ? 1 : 0);
  return hourlyRoster({ shifts: weekShifts(), staff, required, rules: { nightFloor: { startMinute: 22 * 60, endMinute: 7 * 60, minimumPeople: 1, supervisor: 'none' } } });
}

const pastShift = (staffId: string, day: number, kind: 'day' | 'night'): PastShift => ({ staffId, weekStart: LAST_WEEK, startMinuteOfWeek: day * DAY + (kind === 'day' ? 8 : 23) * 60, lengthMinutes: 480 });

/** Staff for next week with what last week carries over (runs, and the end of the last shift for rest). */
function staffAfter(past: PastShift[], ids: string[]): Staff[] {
  const carried = carryOverHistory(past, WEEK_START, RULES);
  return ids.map((id) => {
    const mine = past.filter((p) => p.staffId === id);
    const lastEnd = mine.length === 0 ? undefined : Math.max(...mine.map((p) => p.startMinuteOfWeek + p.lengthMinutes)) - 7 * DAY;
    return person(id, { contract: { minHoursPerWeek: 0, maxHoursPerWeek: 80 }, history: { ...(lastEnd === undefined ? {} : { lastShiftEndMinute: lastEnd }), ...carried.get(id) } });
  });
}

/** The longest run of consecutive day numbers in a set. */
function longestRun(days: Iterable<number>): number {
  const set = new Set(days);
  let best = 0;
  for (const d of set) {
    if (set.has(d - 1)) continue;
    let n = 1;
    while (set.has(d + n)) n++;
    best = Math.max(best, n);
  }
  return best;
}

describe('carry-over from the previous published week', () => {
  it('counts the runs of days and nights that end last Sunday, and recent nights and weekends', () => {
    const past = [
      ...[2, 3, 4, 5, 6].map((d) => pastShift('a', d, 'day')), // Wednesday to Sunday
      ...[4, 5, 6].map((d) => pastShift('b', d, 'night')), // Friday to Sunday nights
      ...[0, 1, 2, 3, 5].map((d) => pastShift('c', d, 'day')), // Saturday worked, Sunday off
      { staffId: 'a', weekStart: addDays(WEEK_START, -14), startMinuteOfWeek: 6 * DAY + 23 * 60, lengthMinutes: 480 }, // a night two weeks back
    ];
    const carried = carryOverHistory(past, WEEK_START, RULES);
    expect(carried.get('a')).toEqual({ consecutiveDaysWorked: 5, consecutiveNightShifts: 0, recentNightShifts: 1, recentWeekendShifts: 3 });
    expect(carried.get('b')).toEqual({ consecutiveDaysWorked: 3, consecutiveNightShifts: 3, recentNightShifts: 3, recentWeekendShifts: 2 });
    expect(carried.get('c')).toMatchObject({ consecutiveDaysWorked: 0, consecutiveNightShifts: 0 });
    expect(carried.has('nobody')).toBe(false);
  });

  it('keeps Monday free after Wednesday to Sunday worked, which the rule check would miss without the history', async () => {
    const past = [2, 3, 4, 5, 6].map((d) => pastShift('a', d, 'day'));
    const staff = staffAfter(past, ['a']);
    const result = await assignStaff(nextWeek(staff));
    const days = result.assignments.map((a) => DAY_KEYS.indexOf(a.shiftId.split('-')[0] as (typeof DAY_KEYS)[number]));
    expect(days).not.toContain(0);
    expect(days.length).toBeGreaterThan(0);
    // The same roster judged without the history does not see the run, so carry-over is what prevents it.
    const forgetful = nextWeek([person('a', { contract: { minHoursPerWeek: 0, maxHoursPerWeek: 80 } })]);
    const mondayToo = [...result.assignments, { shiftId: 'mon-day', staffId: 'a' }];
    expect(checkRoster(prepareRoster(forgetful), { assignments: mondayToo }).violations.map((v) => v.rule)).not.toContain('consecutiveDays');
    expect(checkRoster(prepareRoster(nextWeek(staff)), { assignments: mondayToo }).violations.map((v) => v.rule)).toContain('consecutiveDays');
  });

  it('never lets a roster break the day or night runs across the week boundary (property)', async () => {
    const ids = ['a', 'b'];
    // Last week per person: only day shifts or only night shifts, on some days (mixing would break the rest rule).
    const lastWeek = fc.tuple(...ids.map(() => fc.record({ kind: fc.constantFrom('day' as const, 'night' as const), days: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }) })));
    await fc.assert(
      fc.asyncProperty(lastWeek, async (people) => {
        const past = people.flatMap((p, i) => p.days.flatMap((worked, d) => (worked ? [pastShift(ids[i], d, p.kind)] : [])));
        // Last week must itself have kept the rules, as a published roster did.
        const lastInput = { ...nextWeek(ids.map((id) => person(id, { contract: { minHoursPerWeek: 0, maxHoursPerWeek: 80 } }))), weekStart: LAST_WEEK };
        const lastAssignments = past.map((p) => ({ staffId: p.staffId, shiftId: `${DAY_KEYS[Math.floor(p.startMinuteOfWeek / DAY)]}-${p.startMinuteOfWeek % DAY === 8 * 60 ? 'day' : 'night'}` }));
        const lastViolations = checkRoster(prepareRoster(lastInput), { assignments: lastAssignments }).violations.filter((v) => v.staffId !== undefined);
        fc.pre(lastViolations.length === 0);

        const result = await assignStaff(nextWeek(staffAfter(past, ids)));
        for (const id of ids) {
          const worked = (kind?: 'day' | 'night') => [
            ...past.filter((p) => p.staffId === id && (!kind || (p.startMinuteOfWeek % DAY === 23 * 60) === (kind === 'night'))).map((p) => Math.floor(p.startMinuteOfWeek / DAY)),
            ...result.assignments.filter((a) => a.staffId === id && (!kind || a.shiftId.endsWith(`-${kind}`))).map((a) => 7 + DAY_KEYS.indexOf(a.shiftId.split('-')[0] as (typeof DAY_KEYS)[number])),
          ];
          expect(longestRun(worked())).toBeLessThanOrEqual(RULES.maxConsecutiveWorkingDays);
          expect(longestRun(worked('night'))).toBeLessThanOrEqual(RULES.maxConsecutiveNightShifts);
        }
      }),
      { numRuns: 25, seed: 20261128 },
    );
  }, 120_000);
});
