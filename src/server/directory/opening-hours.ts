/**
 * "Open now?" from HSDS 3.0 schedules (RFC 5545-style: freq WEEKLY|MONTHLY, byday, bymonthday, opens_at/closes_at,
 * valid_from/valid_to). HSDS 3.0 has no IANA time zone on a schedule, only `timezone` (a UTC offset in hours) and
 * optional offsets on opens_at/closes_at ("09:00-05:00", "17:00Z"); Catalyst's partner data may add an IANA zone,
 * which wins because it follows daylight saving time. The order: the partner's IANA zone, an offset written on
 * opens_at, the schedule's `timezone` offset, then the hotline's zone.
 */
export interface ScheduleLike {
  freq?: unknown;
  byday?: unknown;
  bymonthday?: unknown;
  opens_at?: unknown;
  closes_at?: unknown;
  valid_from?: unknown;
  valid_to?: unknown;
  timezone?: unknown;
}

export type OpenState = { open: boolean; known: true; zone: string } | { open: null; known: false; zone: null };

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: number; // 0 = Sunday
  day: number;
  month: number;
  year: number;
  minutes: number; // minutes since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();
// Matching asks the same (zone, instant) for thousands of services: Intl formatting is the slow part, so memoise.
const localMemo = new Map<string, LocalTime>();
function localIn(zone: string, at: Date): LocalTime {
  const key = `${zone}|${at.getTime()}`;
  const hit = localMemo.get(key);
  if (hit) return hit;
  const value = computeLocalIn(zone, at);
  if (localMemo.size > 2000) localMemo.clear();
  localMemo.set(key, value);
  return value;
}

function computeLocalIn(zone: string, at: Date): LocalTime {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday), day, month, year, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function localAtOffset(offsetMinutes: number, at: Date): LocalTime {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), weekday: shifted.getUTCDay(), day: shifted.getUTCDate(), month: shifted.getUTCMonth() + 1, year: shifted.getUTCFullYear(), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
}

/** "10:00", "10:00:00", "09:00-05:00", "17:30Z" -> minutes since midnight and the offset written on it (minutes), if any. */
export function parseClock(value: unknown): { minutes: number; offset: number | null } | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  let offset: number | null = null;
  if (m[4]) {
    if (m[4].toUpperCase() === 'Z') offset = 0;
    else {
      const sign = m[4][0] === '-' ? -1 : 1;
      const digits = m[4].slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    }
  }
  return { minutes: h * 60 + min, offset };
}

function daysInMonth(year: number, month: number) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Does `byday` (e.g. "MO,TU", "2MO", "-1FR") include this local day? */
function matchesByDay(byday: string, local: LocalTime, monthly: boolean): boolean {
  for (const raw of byday.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)) {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(raw);
    if (!m || DAYS.indexOf(m[2]) !== local.weekday) continue;
    if (!m[1] || !monthly) return true;
    const n = Number(m[1]);
    if (n > 0 && Math.ceil(local.day / 7) === n) return true;
    if (n < 0 && Math.ceil((daysInMonth(local.year, local.month) - local.day + 1) / 7) === -n) return true;
  }
  return false;
}

function isDayOpen(s: ScheduleLike, local: LocalTime): boolean {
  if (typeof s.valid_from === 'string' && /^\d{4}-\d{2}-\d{2}/.test(s.valid_from) && local.date < s.valid_from.slice(0, 10)) return false;
  if (typeof s.valid_to === 'string' && /^\d{4}-\d{2}-\d{2}/.test(s.valid_to) && local.date > s.valid_to.slice(0, 10)) return false;
  const monthly = s.freq === 'MONTHLY';
  if (monthly && typeof s.bymonthday === 'string' && s.bymonthday.trim()) {
    const days = s.bymonthday.split(',').map((d) => Number(d.trim()));
    const last = daysInMonth(local.year, local.month);
    if (!days.some((d) => d === local.day || (d < 0 && last + d + 1 === local.day))) return false;
  }
  if (typeof s.byday === 'string' && s.byday.trim()) return matchesByDay(s.byday, local, monthly);
  return true;
}

/** Which zone (or fixed offset) a schedule's clock times are in. */
function clockZone(s: ScheduleLike, partnerZone: string | null, fallbackZone: string): { zone: string; local: (at: Date) => LocalTime } {
  if (partnerZone) return { zone: partnerZone, local: (at) => localIn(partnerZone, at) };
  const opens = parseClock(s.opens_at);
  if (opens?.offset !== null && opens?.offset !== undefined) return { zone: `UTC${fmtOffset(opens.offset)}`, local: (at) => localAtOffset(opens.offset!, at) };
  if (typeof s.timezone === 'number' && Number.isFinite(s.timezone) && Math.abs(s.timezone) <= 14) {
    const offset = Math.round(s.timezone * 60);
    return { zone: `UTC${fmtOffset(offset)}`, local: (at) => localAtOffset(offset, at) };
  }
  return { zone: fallbackZone, local: (at) => localIn(fallbackZone, at) };
}

const fmtOffset = (m: number) => `${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`;

/** Is one schedule open at `at`? null when the schedule has no usable hours. */
export function isScheduleOpen(s: ScheduleLike, at: Date, partnerZone: string | null, fallbackZone: string): { open: boolean; zone: string } | null {
  const opens = parseClock(s.opens_at);
  const closes = parseClock(s.closes_at);
  if (!opens || !closes) return null;
  const { zone, local } = clockZone(s, partnerZone, fallbackZone);
  const now = local(at);
  let end = closes.minutes;
  if (end === 23 * 60 + 59) end = 24 * 60; // "until 23:59" means the whole day
  if (opens.minutes === end) return { open: isDayOpen(s, now), zone }; // 00:00-00:00 or 00:00-24:00: all day
  if (opens.minutes < end) return { open: isDayOpen(s, now) && now.minutes >= opens.minutes && now.minutes < end, zone };
  // Overnight (22:00-06:00): open late on a scheduled day, or early on the day after one.
  if (now.minutes >= opens.minutes && isDayOpen(s, now)) return { open: true, zone };
  if (now.minutes < end) {
    const yesterday = local(new Date(at.getTime() - 24 * 3600_000));
    return { open: isDayOpen(s, yesterday), zone };
  }
  return { open: false, zone };
}

/** Open if any schedule says open; unknown if no schedule has usable hours. */
export function openState(schedules: ScheduleLike[], at: Date, partnerZone: string | null, fallbackZone: string): OpenState {
  let known: { open: boolean; zone: string } | null = null;
  for (const s of schedules) {
    const state = isScheduleOpen(s, at, partnerZone, fallbackZone);
    if (!state) continue;
    if (state.open) return { open: true, known: true, zone: state.zone };
    known = state;
  }
  return known ? { open: false, known: true, zone: known.zone } : { open: null, known: false, zone: null };
}
