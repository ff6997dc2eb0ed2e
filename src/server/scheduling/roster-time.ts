/**
 * Wall-clock minutes of a roster week ↔ real instants in the hotline's time zone, with nothing but
 * `Intl` (no time-zone database of our own). Rest between shifts is measured in real time, so on the
 * night clocks go back a 21:00–07:00 shift lasts 11 hours, and the rest after it is counted exactly.
 */

export const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of the zone from UTC at an instant, in milliseconds (local = UTC + offset). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time given as milliseconds "as if UTC". A time that does not
 * exist (skipped when clocks go forward) maps to the instant just after the gap, shifted by the gap;
 * a time that exists twice (clocks go back) maps to the first occurrence.
 */
export function wallToInstant(wallMs: number, timeZone: string): number {
  // Offsets a day either side; zones change offset at most once in two days.
  const before = zoneOffsetMs(wallMs - MINUTES_PER_DAY * MS_PER_MINUTE, timeZone);
  const after = zoneOffsetMs(wallMs + MINUTES_PER_DAY * MS_PER_MINUTE, timeZone);
  const readings = [wallMs - before, wallMs - after].filter((t, i) => zoneOffsetMs(t, timeZone) === (i === 0 ? before : after));
  if (readings.length > 0) return Math.min(...readings);
  return wallMs - before;
}

/** Midnight of a YYYY-MM-DD date, as wall-clock milliseconds "as if UTC". */
export function dateToWallMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Whole days from `weekStart` to `date` (negative before it). */
export function daysFrom(weekStart: string, date: string): number {
  return Math.round((dateToWallMs(date) - dateToWallMs(weekStart)) / (MINUTES_PER_DAY * MS_PER_MINUTE));
}

/** The real instant of a wall-clock minute of the roster week. */
export function weekMinuteToInstant(weekStart: string, minute: number, timeZone: string): number {
  return wallToInstant(dateToWallMs(weekStart) + minute * MS_PER_MINUTE, timeZone);
}

/** How many minutes of [start, end) fall in the daily window [windowStart, windowEnd), which may cross midnight. */
export function minutesInDailyWindow(start: number, end: number, windowStart: number, windowEnd: number): number {
  let total = 0;
  for (let m = start; m < end; m++) if (isInDailyWindow(m, windowStart, windowEnd)) total++;
  return total;
}

export function isInDailyWindow(minute: number, windowStart: number, windowEnd: number): boolean {
  const m = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return windowStart <= windowEnd ? m >= windowStart && m < windowEnd : m >= windowStart || m < windowEnd;
}

/** "Mon 07:30" for messages. */
export function describeWeekMinute(minute: number): string {
  const day = Math.floor(minute / MINUTES_PER_DAY);
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const m = minute - day * MINUTES_PER_DAY;
  const label = day >= 0 && day < 7 ? names[day] : day >= 7 ? `next ${names[day - 7] ?? `+${day}d`}` : `${day}d`;
  return `${label} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
