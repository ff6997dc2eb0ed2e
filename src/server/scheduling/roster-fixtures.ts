/**
 * Small builders for roster tests and examples: an hourly or half-hourly week, people and shifts
 * written the way a rota planner says them ("Tuesday 07:00, 8 hours").
 */
import type { RosterInput, RosterShift, Staff } from '../../shared/scheduling/roster-schemas.js';

export const WEEK_START = '2026-11-30'; // a Monday
export const DAY = 24 * 60;
export const DAYS = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;

/** Minute of the week for a day and a clock time ("tue", "07:30"). */
export function at(day: keyof typeof DAYS, clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return DAYS[day] * DAY + h * 60 + m;
}

export function shiftAt(day: keyof typeof DAYS, clock: string, hours: number, extra: Partial<RosterShift> = {}): RosterShift {
  const start = at(day, clock);
  return { id: `${day}-${clock.replace(':', '')}-${hours}h`, patternId: `${hours}h`, startMinuteOfWeek: start, lengthMinutes: hours * 60, ...extra };
}

export function person(id: string, extra: Partial<Staff> = {}): Staff {
  return { id, name: `Person ${id}`, contract: { minHoursPerWeek: 0, maxHoursPerWeek: 48 }, ...extra };
}

/** A roster input over an hourly week with nothing required unless said. */
export function hourlyRoster(extra: Partial<RosterInput> & Pick<RosterInput, 'shifts' | 'staff'>): RosterInput {
  return {
    weekStart: WEEK_START,
    timeZone: 'UTC',
    intervalMinutes: 60,
    required: new Array(168).fill(0),
    rules: { nightFloor: { startMinute: 22 * 60, endMinute: 7 * 60, supervisor: 'none' } },
    ...extra,
  };
}

/** Required people per hour: `count` in [from, to) minutes of the week, 0 elsewhere. */
export function requiredBetween(from: number, to: number, count: number, base: number[] = new Array(168).fill(0)): number[] {
  return base.map((r, h) => (h * 60 >= from && h * 60 < to ? count : r));
}
