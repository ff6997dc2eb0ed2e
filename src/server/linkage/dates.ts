import type { DateOrder } from '../../shared/linkage/person-record.js';

/** A date of birth as far as it is known: callers often give only a year, or a year and month. */
export interface PartialDate {
  year: number;
  /** 1-12, or 0 when unknown. */
  month: number;
  /** 1-31, or 0 when unknown. */
  day: number;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function expandTwoDigitYear(year: number, twoDigits: boolean): number {
  if (!twoDigits) return year;
  // Two-digit years in a date of birth: "05" is 2005, "85" is 1985 (pivot = this year's two digits).
  const pivot = new Date().getUTCFullYear() % 100;
  return year <= pivot ? 2000 + year : 1900 + year;
}

/**
 * Read a date of birth. Accepted forms (see docs/linkage.md):
 *   YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY-MM, YYYY (ISO-like, year first);
 *   DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY and two-digit years (day first unless `order` is 'mdy' —
 *   a first number above 12 is always a day, a second number above 12 always a day);
 *   an ISO timestamp (the time is ignored).
 * Returns undefined for anything else, including impossible dates such as 1990-02-30.
 */
export function parseDateOfBirth(raw: string | undefined, order: DateOrder = 'dmy'): PartialDate | undefined {
  if (!raw) return undefined;
  const text = raw.trim().replace(/[T ]\d{1,2}:\d{2}.*$/, '');
  if (!text) return undefined;
  let match = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = match[2] ? Number(match[2]) : 0;
    const day = match[3] ? Number(match[3]) : 0;
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    if (month === 0) return { year, month: 0, day: 0 };
    if (day === 0) return month <= 12 ? { year, month, day: 0 } : undefined;
    return isCalendarDate(year, month, day) ? { year, month, day } : undefined;
  }
  match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isCalendarDate(year, month, day) ? { year, month, day } : undefined;
  }
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const year = expandTwoDigitYear(Number(match[3]), match[3].length === 2);
    let dayFirst = order === 'dmy';
    if (first > 12) dayFirst = true;
    else if (second > 12) dayFirst = false;
    const [day, month] = dayFirst ? [first, second] : [second, first];
    return isCalendarDate(year, month, day) ? { year, month, day } : undefined;
  }
  return undefined;
}

/** "YYYYMMDD" digits of a full date (for one-digit-typo comparison), or undefined for partial dates. */
export function dateDigits(date: PartialDate): string | undefined {
  if (date.month === 0 || date.day === 0) return undefined;
  return `${date.year}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
}
