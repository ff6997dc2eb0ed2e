/**
 * iCalendar (RFC 5545) feed of one person's shifts, for any calendar app to subscribe to.
 *
 * - Times are UTC (`DTSTART:20261130T120000Z`), which RFC 5545 §3.3.5 allows without a VTIMEZONE;
 *   every client shows them in the viewer's zone, and no time-zone rules need shipping. The
 *   hotline's zone is given as the non-standard but widely read X-WR-TIMEZONE.
 * - UIDs are a hash of week, shift and person, so regenerating the feed keeps each event's
 *   identity (a client updates instead of duplicating) and a reassigned shift disappears from one
 *   feed and appears in the other.
 * - TEXT values escape backslash, semicolon, comma and newlines (§3.3.11); lines end in CRLF and are
 *   folded at 75 octets without splitting a UTF-8 character (§3.1).
 */
import { createHash } from 'node:crypto';
import { calendarFeedInputSchema, publishedRosterSchema, type CalendarFeedInput, type PublishedRoster } from '../../shared/scheduling/roster-schemas.js';
import type { RosterProblem } from './roster-problem.js';
import { describeWeekMinute, weekMinuteToInstant } from './roster-time.js';

export const PRODID = '-//Catalyst//Hotline rostering//EN';

export interface CalendarEvent {
  /** Identity before hashing: stable inputs such as week, shift id and staff id. */
  readonly identity: string;
  readonly startInstant: number;
  readonly endInstant: number;
  readonly summary: string;
  readonly description?: string;
}

/** The VEVENTs of one person's shifts in a roster week. */
export function shiftEvents(problem: RosterProblem, rawRoster: PublishedRoster, staffId: string): CalendarEvent[] {
  const roster = publishedRosterSchema.parse(rawRoster);
  const { weekStart, timeZone } = problem.input;
  const local = (minute: number) => describeWeekMinute(minute).slice(-5);
  return roster.assignments
    .filter((a) => a.staffId === staffId)
    .map((a) => problem.shiftById.get(a.shiftId))
    .filter((s) => s !== undefined)
    .sort((a, b) => a.startInstant - b.startInstant)
    .map((shift) => {
      const lines = [`Shift ${shift.id}, ${shift.paidHours} paid hours (times in ${timeZone}: ${local(shift.start)}–${local(shift.end)}).`];
      for (const b of shift.breaks) lines.push(`Break ${local(b.startMinuteOfWeek)}–${local(b.startMinuteOfWeek + b.lengthMinutes)}${b.isPaid ? ' (paid)' : ''}.`);
      for (const d of roster.debriefs.filter((d) => d.staffId === staffId && d.shiftId === shift.id)) {
        lines.push(`Debrief ${local(d.startMinuteOfWeek)}–${local(d.startMinuteOfWeek + d.lengthMinutes)}.`);
      }
      if (shift.isNight) lines.push('Night shift.');
      return {
        identity: `${weekStart}/${shift.id}/${staffId}`,
        startInstant: weekMinuteToInstant(weekStart, shift.start, timeZone),
        endInstant: weekMinuteToInstant(weekStart, shift.end, timeZone),
        summary: `Hotline shift (${shift.patternId})`,
        description: lines.join('\n'),
      };
    });
}

export function calendarFeed(events: readonly CalendarEvent[], rawOptions: CalendarFeedInput & { timeZone?: string }): string {
  const options = calendarFeedInputSchema.parse(rawOptions);
  const stamp = utcDateTime(Date.parse(options.publishedAt));
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(options.calendarName)}`];
  if (rawOptions.timeZone) lines.push(`X-WR-TIMEZONE:${escapeText(rawOptions.timeZone)}`);
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${createHash('sha256').update(e.identity).digest('hex').slice(0, 32)}@${options.uidDomain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcDateTime(e.startInstant)}`,
      `DTEND:${utcDateTime(e.endInstant)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (options.location) lines.push(`LOCATION:${escapeText(options.location)}`);
    lines.push('STATUS:CONFIRMED', 'TRANSP:OPAQUE', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** RFC 5545 §3.3.11 TEXT: backslash first, then ; , and newlines (CRLF, CR or LF all become \n). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** YYYYMMDDTHHMMSSZ. */
export function utcDateTime(instant: number): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Fold a content line into lines of at most 75 octets; continuation lines start with one space (§3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
