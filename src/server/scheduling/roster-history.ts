/**
 * What the weeks before carry into the next roster: the run of working days and of night shifts
 * that ended last Sunday, and recent night and weekend shifts for fairness. Pure, so the server
 * (from published rosters) and the tests compute it the same way.
 *
 * A day counts as worked when a shift starts on it (the same convention as the rule check), and a
 * night shift is judged by the *current* rules, so a run is measured the way the new week checks it.
 */
import type { ParsedWellnessRules } from '../../shared/scheduling/roster-schemas.js';
import { daysFrom, MINUTES_PER_DAY, minutesInDailyWindow } from './roster-time.js';

/** A shift someone worked in an earlier published roster, in that roster's wall-clock week minutes. */
export interface PastShift {
  readonly staffId: string;
  /** The Monday of the roster the shift belongs to. */
  readonly weekStart: string;
  readonly startMinuteOfWeek: number;
  readonly lengthMinutes: number;
}

export interface CarriedHistory {
  consecutiveDaysWorked: number;
  consecutiveNightShifts: number;
  recentNightShifts: number;
  recentWeekendShifts: number;
}

/** Weeks of history counted for the fairness totals. */
export const FAIRNESS_WEEKS = 4;

export function carryOverHistory(past: readonly PastShift[], weekStart: string, rules: Pick<ParsedWellnessRules, 'nightShift' | 'weekendDays'>): Map<string, CarriedHistory> {
  const byStaff = new Map<string, { days: Set<number>; nights: Set<number>; recentNights: number; recentWeekends: number }>();
  for (const s of past) {
    // Day index relative to the new Monday: −1 is last Sunday.
    const day = daysFrom(weekStart, s.weekStart) + Math.floor(s.startMinuteOfWeek / MINUTES_PER_DAY);
    if (day >= 0) continue;
    const entry = byStaff.get(s.staffId) ?? { days: new Set<number>(), nights: new Set<number>(), recentNights: 0, recentWeekends: 0 };
    byStaff.set(s.staffId, entry);
    const isNight = minutesInDailyWindow(s.startMinuteOfWeek, s.startMinuteOfWeek + s.lengthMinutes, rules.nightShift.startMinute, rules.nightShift.endMinute) >= rules.nightShift.minimumMinutes;
    entry.days.add(day);
    if (isNight) entry.nights.add(day);
    if (day >= -FAIRNESS_WEEKS * 7) {
      if (isNight) entry.recentNights++;
      if (rules.weekendDays.includes(((day % 7) + 7) % 7)) entry.recentWeekends++;
    }
  }
  const runBack = (days: ReadonlySet<number>) => {
    let n = 0;
    while (days.has(-(n + 1))) n++;
    return n;
  };
  const result = new Map<string, CarriedHistory>();
  for (const [staffId, e] of byStaff) {
    result.set(staffId, {
      consecutiveDaysWorked: Math.min(60, runBack(e.days)),
      consecutiveNightShifts: Math.min(60, runBack(e.nights)),
      recentNightShifts: Math.min(1000, e.recentNights),
      recentWeekendShifts: Math.min(1000, e.recentWeekends),
    });
  }
  return result;
}
