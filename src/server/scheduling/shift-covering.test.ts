import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveShiftCovering, type ChosenShift } from './shift-covering.js';
import { candidateShifts } from './shift-columns.js';
import { shiftCoveringInputSchema, type ShiftPattern } from '../../shared/scheduling/schemas.js';

const HOURS_PER_WEEK = 168;
const everyHour = Array.from({ length: 24 }, (_, h) => h * 60);
const eightHours: ShiftPattern = { id: '8h', lengthMinutes: 480, startMinutesOfDay: everyHour };

/** Recount, from the returned shifts alone, who is on duty in each hour: the test's own oracle. */
function onDutyPerHour(shifts: readonly ChosenShift[]): number[] {
  const onDuty = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const s of shifts) {
    for (let m = s.startMinuteOfWeek; m < s.startMinuteOfWeek + s.lengthMinutes; m += 60) {
      if (!s.breaks.some((b) => m >= b.startMinuteOfWeek && m < b.startMinuteOfWeek + b.lengthMinutes)) onDuty[(m / 60) % HOURS_PER_WEEK] += s.count;
    }
  }
  return onDuty;
}

async function solved(input: Parameters<typeof solveShiftCovering>[0]) {
  const result = await solveShiftCovering(input);
  if (result.status !== 'optimal' && result.status !== 'feasible') throw new Error(`expected a schedule, got ${result.status}`);
  return result;
}

describe('solveShiftCovering', () => {
  it('covers a flat requirement of 3 people with exactly 3 × 168 paid hours of 8-hour shifts', async () => {
    const result = await solved({ intervalMinutes: 60, required: new Array(HOURS_PER_WEEK).fill(3), patterns: [eightHours] });
    expect(result.status).toBe('optimal');
    expect(result.paidHours).toBe(504);
    expect(result.lpBound).toBeCloseTo(504, 6);
    expect(result.gapToLpBound).toBeCloseTo(0, 9);
    expect(onDutyPerHour(result.shifts).every((n) => n >= 3)).toBe(true);
  });

  it('leaves people uncovered during unpaid breaks and pays only the time worked', async () => {
    const withBreak: ShiftPattern = { ...eightHours, breaks: [{ lengthMinutes: 60, isPaid: false, earliestStartMinutes: 180, latestStartMinutes: 300 }] };
    const result = await solved({ intervalMinutes: 60, required: new Array(HOURS_PER_WEEK).fill(2), patterns: [withBreak], timeLimitSeconds: 2, relativeGap: 0.05 });
    for (const s of result.shifts) expect(s.paidHours).toBe(7);
    const onDuty = onDutyPerHour(result.shifts);
    expect(onDuty.every((n) => n >= 2)).toBe(true);
    expect(result.onDuty).toEqual(onDuty);
    expect(result.paidHours).toBe(result.shifts.reduce((sum, s) => sum + s.count * 7, 0));
    expect(result.paidHours).toBeGreaterThanOrEqual(2 * HOURS_PER_WEEK);
  });

  it('wraps Sunday-night shifts into Monday morning', async () => {
    const required = new Array(HOURS_PER_WEEK).fill(0);
    required[0] = 1; // Monday 00:00–01:00
    const result = await solved({ intervalMinutes: 60, required, patterns: [{ id: 'night', lengthMinutes: 480, startMinutesOfDay: [22 * 60], days: [6] }] });
    expect(result.shifts).toHaveLength(1);
    expect(result.shifts[0].startMinuteOfWeek).toBe(6 * 1440 + 22 * 60);
  });

  it('reports the intervals no pattern can cover instead of calling the solver', async () => {
    const result = await solveShiftCovering({ intervalMinutes: 60, required: new Array(HOURS_PER_WEEK).fill(1), patterns: [{ ...eightHours, days: [0] }] });
    expect(result.status).toBe('uncoverable');
    if (result.status !== 'uncoverable') return;
    // Monday shifts reach at most 07:00 on Tuesday (a 23:00 start), so Tuesday 07:00 onwards is uncovered.
    expect(result.intervals[0]).toBe(24 + 7);
    expect(result.intervals).toHaveLength(HOURS_PER_WEEK - 31);
  });

  it('puts a supervisor on duty in every interval when asked, counting them among the people on duty', async () => {
    const result = await solved({
      intervalMinutes: 60,
      required: new Array(HOURS_PER_WEEK).fill(2),
      supervisorsRequired: new Array(HOURS_PER_WEEK).fill(1),
      patterns: [eightHours],
    });
    expect(result.supervisorsOnDuty.every((n) => n >= 1)).toBe(true);
    expect(result.paidHours).toBe(2 * HOURS_PER_WEEK);
    expect(onDutyPerHour(result.shifts.filter((s) => s.role === 'supervisor')).every((n) => n >= 1)).toBe(true);
  });

  it('prefers cheaper shifts under the cost objective', async () => {
    const required = new Array(HOURS_PER_WEEK).fill(1);
    const patterns: ShiftPattern[] = [
      { id: 'premium', lengthMinutes: 480, startMinutesOfDay: [0, 480, 960], costPerPaidHour: 2 },
      { id: 'standard', lengthMinutes: 480, startMinutesOfDay: [0, 480, 960], costPerPaidHour: 1 },
    ];
    const result = await solved({ intervalMinutes: 60, required, patterns, objective: 'cost' });
    expect(result.shifts.every((s) => s.patternId === 'standard')).toBe(true);
    expect(result.cost).toBe(168);
  });

  it('rejects times off the interval grid and requirements of the wrong length', () => {
    expect(() => shiftCoveringInputSchema.parse({ intervalMinutes: 30, required: new Array(336).fill(1), patterns: [{ id: 'x', lengthMinutes: 485, startMinutesOfDay: [0] }] })).toThrow(/multiple of 30/);
    expect(() => shiftCoveringInputSchema.parse({ intervalMinutes: 30, required: new Array(100).fill(1), patterns: [eightHours] })).toThrow(/336 intervals/);
  });

  it('generates one candidate per pattern, day, start and break placement, never with overlapping breaks', () => {
    const input = shiftCoveringInputSchema.parse({
      intervalMinutes: 60,
      required: new Array(HOURS_PER_WEEK).fill(1),
      patterns: [{ id: '12h', lengthMinutes: 720, startMinutesOfDay: [0, 720], breaks: [
        { lengthMinutes: 60, earliestStartMinutes: 180, latestStartMinutes: 300 },
        { lengthMinutes: 60, earliestStartMinutes: 300, latestStartMinutes: 480 },
      ] }],
    });
    const candidates = candidateShifts(input);
    // Per start: 3 × 4 placements minus 1 overlap (both at +300) = 11.
    expect(candidates).toHaveLength(7 * 2 * 11);
    for (const c of candidates) {
      expect(c.coveredIntervals).toHaveLength(10);
      expect(c.paidHours).toBe(10);
    }
  });

  it('always returns whole shifts that cover every interval, costing no less than the LP bound', async () => {
    const patterns: ShiftPattern[] = [
      { id: '8h', lengthMinutes: 480, startMinutesOfDay: [0, 360, 420, 480, 840, 960, 1320] },
      { id: '10h', lengthMinutes: 600, startMinutesOfDay: [420, 600, 780], breaks: [{ lengthMinutes: 60, earliestStartMinutes: 240, latestStartMinutes: 360 }] },
      { id: '12h', lengthMinutes: 720, startMinutesOfDay: [420, 1140], days: [4, 5, 6] },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: HOURS_PER_WEEK, maxLength: HOURS_PER_WEEK }), async (required) => {
        const result = await solved({ intervalMinutes: 60, required, patterns, timeLimitSeconds: 5 });
        const onDuty = onDutyPerHour(result.shifts);
        required.forEach((r, t) => expect(onDuty[t]).toBeGreaterThanOrEqual(r));
        expect(result.shifts.every((s) => Number.isInteger(s.count) && s.count > 0)).toBe(true);
        expect(result.objective).toBeGreaterThanOrEqual(result.lpBound - 1e-6);
        expect(result.mipBound).toBeLessThanOrEqual(result.objective + 1e-6);
        expect(result.paidHours).toBeGreaterThanOrEqual(required.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 8 },
    );
  });
});
