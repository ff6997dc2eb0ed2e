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
