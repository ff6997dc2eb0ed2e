import type { AppContext } from '../context.js';
import { LOCALES, type Locale } from '../../shared/roles.js';
import type { ActiveAccessPoint } from './access-points.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof DAYS)[number];
export interface OpeningSlot {
  day: Weekday;
  open: string;
  close: string;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The weekday and minute of the day at `at` on the hotline's wall clock (DST handled by Intl). */
export function localTime(at: Date, timeZone: string): { day: Weekday; minute: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    // An unknown zone must not take the phone line down: fall back to UTC.
    parts = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase() as Weekday;
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * Whether the line is open. No hours (absent or empty) means 24/7: a hotline fails open, never closed. A slot whose
 * close is not after its open runs past midnight (fri 22:00–06:00 covers Saturday morning); 00:00–00:00 or
 * 00:00–24:00 is the whole day.
 */
export function isOpenAt(hours: OpeningSlot[] | undefined, timeZone: string, at: Date): boolean {
  if (!hours || hours.length === 0) return true;
  const { day, minute } = localTime(at, timeZone);
  const previous = DAYS[(DAYS.indexOf(day) + 6) % 7];
  return hours.some((slot) => {
    const open = toMinutes(slot.open);
    const close = toMinutes(slot.close);
    if (close > open) return slot.day === day && minute >= open && minute < close;
    return (slot.day === day && minute >= open) || (slot.day === previous && minute < close);
  });
}

export interface HotlineFacts {
  slug: string;
  timezone: string;
  country: string;
  locales: Locale[];
}

/** What the channels need of their hotline (time zone, country, languages), cached for a while per process. */
const HOTLINE_CACHE_MS = 30_000;
const hotlineCache = new Map<string, { value: HotlineFacts; at: number }>();

export async function hotlineFacts(ctx: AppContext, hotlineId: string): Promise<HotlineFacts> {
  const hit = hotlineCache.get(hotlineId);
  if (hit && Date.now() - hit.at < HOTLINE_CACHE_MS) return hit.value;
  const row = await ctx.db.selectFrom('hotline').select(['slug', 'timezone', 'country', 'locales']).where('id', '=', hotlineId).executeTakeFirstOrThrow();
  const value = { slug: row.slug, timezone: row.timezone, country: row.country, locales: row.locales.filter((l): l is Locale => (LOCALES as readonly string[]).includes(l)) };
  hotlineCache.set(hotlineId, { value, at: Date.now() });
  return value;
}

/** Whether an access point is open at `at`, on its hotline's wall clock (no hours configured: always). */
export async function isAccessPointOpen(ctx: AppContext, accessPoint: ActiveAccessPoint, at = new Date()): Promise<boolean> {
  if (!accessPoint.settings.hours?.length) return true;
  const { timezone } = await hotlineFacts(ctx, accessPoint.hotlineId);
  return isOpenAt(accessPoint.settings.hours, timezone, at);
}

/** The languages the line speaks: the access point's own list, else the hotline's, else English. */
export function lineLanguages(accessPoint: ActiveAccessPoint, hotline: HotlineFacts): Locale[] {
  const list = accessPoint.settings.languages?.length ? accessPoint.settings.languages : hotline.locales;
  return list.length ? [...new Set(list)] : ['en'];
}

/**
 * The automatic answer a text or email line gives a new conversation: its greeting while open, its after-hours
 * message while closed, in each of the line's languages that has a text (the first message does not say which
 * language the person reads), blank-line separated. Opt-in: no text configured, null — nothing is sent, because a
 * message arriving on a phone or mailbox that someone else controls can put the person at risk.
 */
export async function autoReplyText(ctx: AppContext, accessPoint: ActiveAccessPoint, maxLength: number): Promise<{ text: string; kind: 'greeting' | 'after_hours' } | null> {
  const { greetings, afterHoursMessage } = accessPoint.settings;
  if (!greetings && !afterHoursMessage) return null;
  const isOpen = await isAccessPointOpen(ctx, accessPoint);
  const texts = (isOpen ? greetings : afterHoursMessage) ?? {};
  const languages = lineLanguages(accessPoint, await hotlineFacts(ctx, accessPoint.hotlineId));
  const text = languages.map((l) => texts[l]?.trim()).filter(Boolean).join('\n\n');
  return text ? { text: text.slice(0, maxLength), kind: isOpen ? 'greeting' : 'after_hours' } : null;
}
