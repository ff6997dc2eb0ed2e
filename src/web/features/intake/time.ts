import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';

/** The current time, re-rendering every `intervalMs` (one timer per page, not one per row). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A wait as a clock ("4:05", "1:02:03") under a day, then in days and hours ("2 d 4 h"). */
export function formatWait(totalSeconds: number, t: TFunction): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return t('time.daysHours', { days, hours });
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
}

/** The same wait in words, for screen readers and titles ("4 minutes 5 seconds"). */
export function describeWait(totalSeconds: number, t: TFunction): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (days) parts.push(t('time.days', { count: days }));
  if (hours) parts.push(t('time.hours', { count: hours }));
  if (minutes && !days) parts.push(t('time.minutes', { count: minutes }));
  if (!days && !hours && (seconds || parts.length === 0)) parts.push(t('time.seconds', { count: seconds }));
  return parts.join(' ');
}

/** A target in seconds, said simply: "20 seconds", "15 minutes", "24 hours". */
export function describeTarget(seconds: number, t: TFunction): string {
  if (seconds % 3600 === 0) return t('time.hours', { count: seconds / 3600 });
  if (seconds % 60 === 0) return t('time.minutes', { count: seconds / 60 });
  return describeWait(seconds, t);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** Today's messages show the time only; older ones the date too. */
export function formatMessageTime(value: string, locale: string, now = Date.now()): string {
  const date = new Date(value);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const key = `${locale}|${sameDay}`;
  let fmt = timeFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
    timeFormats.set(key, fmt);
  }
  return fmt.format(date);
}
