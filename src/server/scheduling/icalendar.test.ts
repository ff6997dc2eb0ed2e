import { describe, expect, it } from 'vitest';
import { calendarFeed, escapeText, foldLine, shiftEvents } from './icalendar.js';
import { at, person, shiftAt } from './roster-fixtures.js';
import { prepareRoster } from './roster-problem.js';

/**
 * A strict reader for the parts of RFC 5545 a feed must get right, written for this test (ical.js
 * is not installed). It throws on the first breach, naming the rule.
 */
interface Component {
  readonly name: string;
  readonly properties: { name: string; params: string; value: string }[];
  readonly children: Component[];
}

function parseStrict(text: string): Component {
  if (!text.endsWith('\r\n')) throw new Error('§3.1: the stream must end with CRLF');
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) throw new Error('§3.1: lines must end with CRLF, never a bare CR or LF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    if (Buffer.byteLength(line, 'utf8') > 75) throw new Error(`§3.1: line longer than 75 octets: ${line}`);
    if (Buffer.from(line, 'utf8').toString('utf8') !== line) throw new Error('§3.1: a fold split a UTF-8 character');
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (logical.length === 0) throw new Error('§3.1: a continuation line first');
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const contentLine = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*)(?:,(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*))*)*):([^\x00-\x08\x0a-\x1f\x7f]*)$/u;
  const root: Component = { name: '', properties: [], children: [] };
  const stack: Component[] = [root];
  for (const line of logical) {
    const m = contentLine.exec(line);
    if (!m) throw new Error(`§3.1: not a content line: ${line}`);
    const [, rawName, params, value] = m;
    const name = rawName.toUpperCase();
    if (name === 'BEGIN') {
      const child: Component = { name: value.toUpperCase(), properties: [], children: [] };
      stack[stack.length - 1].children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      if (stack.length < 2 || stack[stack.length - 1].name !== value.toUpperCase()) throw new Error(`§3.4: END:${value} does not close ${stack[stack.length - 1].name}`);
      stack.pop();
    } else {
      if (stack.length < 2) throw new Error(`§3.4: ${name} outside any component`);
      stack[stack.length - 1].properties.push({ name, params, value });
    }
  }
  if (stack.length !== 1) throw new Error('§3.4: unclosed component');
  if (root.children.length !== 1 || root.children[0].name !== 'VCALENDAR') throw new Error('§3.4: exactly one VCALENDAR');
  const calendar = root.children[0];
  const once = (c: Component, prop: string) => {
    const found = c.properties.filter((p) => p.name === prop);
    if (found.length !== 1) throw new Error(`${c.name} needs exactly one ${prop}, has ${found.length}`);
    return found[0].value;
  };
  if (once(calendar, 'VERSION') !== '2.0') throw new Error('§3.7.4: VERSION must be 2.0');
  once(calendar, 'PRODID');
  const utc = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
  const uids = new Set<string>();
  for (const event of calendar.children) {
    if (event.name !== 'VEVENT') throw new Error(`unexpected component ${event.name}`);
    const uid = once(event, 'UID');
    if (uids.has(uid)) throw new Error(`§3.8.4.7: UID ${uid} twice`);
    uids.add(uid);
    const times = ['DTSTAMP', 'DTSTART', 'DTEND'].map((p) => {
      const v = once(event, p);
      const parts = utc.exec(v);
      if (!parts) throw new Error(`§3.3.5: ${p} is not a UTC DATE-TIME: ${v}`);
      const ms = Date.UTC(+parts[1], +parts[2] - 1, +parts[3], +parts[4], +parts[5], +parts[6]);
      if (new Date(ms).toISOString().replace(/[-:]/g, '').replace('.000', '') !== v) throw new Error(`${p} is not a real time: ${v}`);
      return ms;
    });
    if (times[2] <= times[1]) throw new Error('§3.8.2.2: DTEND must be after DTSTART');
    for (const p of event.properties.filter((x) => ['SUMMARY', 'DESCRIPTION', 'LOCATION'].includes(x.name))) checkText(p.value);
  }
  return calendar;
}

/** §3.3.11: in TEXT, ; and , must be escaped, and a backslash only escapes \ ; , n N. */
function checkText(value: string): void {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      if (!'\\;,nN'.includes(value[i + 1] ?? '')) throw new Error(`§3.3.11: bad escape in ${value}`);
      i++;
    } else if (value[i] === ';' || value[i] === ',') throw new Error(`§3.3.11: unescaped ${value[i]} in ${value}`);
  }
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const prop = (c: Component, name: string) => c.properties.find((p) => p.name === name)?.value;

// New York falls back on Sunday 1 November 2026 at 02:00 (EDT → EST).
const weekStart = '2026-10-26';
const overnight = shiftAt('sat', '22:00', 8, { breaks: [{ startMinuteOfWeek: at('sun', '02:00'), lengthMinutes: 30, isPaid: false }] });
const monday = shiftAt('mon', '09:00', 8);
const problem = prepareRoster({
  weekStart,
  timeZone: 'America/New_York',
  intervalMinutes: 30,
  required: new Array(336).fill(0),
  shifts: [overnight, monday],
  staff: [person('a'), person('b')],
});
const roster = {
  assignments: [
    { shiftId: monday.id!, staffId: 'a' },
    { shiftId: overnight.id!, staffId: 'a' },
    { shiftId: overnight.id!, staffId: 'b' },
  ],
  debriefs: [{ staffId: 'a', shiftId: monday.id!, startMinuteOfWeek: at('mon', '11:00'), lengthMinutes: 30 }],
};
const location = 'Línea Nacional, sala 2; piso 3 \\ turno "noche"\nEntrada por el patio 🚪 — llamar al timbre: 𝄞 señal acordada con el equipo de guardia';
const options = { publishedAt: '2026-10-20T09:15:00Z', uidDomain: 'hotline.example.org', calendarName: 'Turnos; equipo, noche', location, timeZone: 'America/New_York' };

describe('calendarFeed', () => {
  const text = calendarFeed(shiftEvents(problem, roster, 'a'), options);

  it('is a valid RFC 5545 stream: CRLF, folded at 75 octets, escaped text, required properties', () => {
    const calendar = parseStrict(text);
    expect(prop(calendar, 'METHOD')).toBe('PUBLISH');
    expect(prop(calendar, 'CALSCALE')).toBe('GREGORIAN');
    expect(prop(calendar, 'PRODID')).toBe('-//Catalyst//Hotline rostering//EN');
    expect(calendar.children).toHaveLength(2);
    expect(text.split('\r\n').some((line) => line.startsWith(' '))).toBe(true); // the long location was folded
  });

  it('gives real UTC times, across the night the clocks go back', () => {
    const [first, second] = parseStrict(text).children;
    expect([prop(first, 'DTSTART'), prop(first, 'DTEND')]).toEqual(['20261026T130000Z', '20261026T210000Z']); // 09:00–17:00 EDT (UTC−4)
    // Saturday 22:00 EDT to Sunday 06:00 EST: 9 real hours.
    expect([prop(second, 'DTSTART'), prop(second, 'DTEND')]).toEqual(['20261101T020000Z', '20261101T110000Z']);
    expect(prop(first, 'DTSTAMP')).toBe('20261020T091500Z');
  });

  it('escapes and folds text so that it reads back exactly', () => {
    const [first, second] = parseStrict(text).children;
    expect(unescapeText(prop(first, 'LOCATION')!)).toBe(location);
    expect(unescapeText(prop(parseStrict(text), 'X-WR-CALNAME')!)).toBe('Turnos; equipo, noche');
    expect(unescapeText(prop(first, 'DESCRIPTION')!)).toContain('Debrief 11:00–11:30.');
    expect(unescapeText(prop(second, 'DESCRIPTION')!)).toContain('Break 02:00–02:30.');
    expect(unescapeText(prop(second, 'DESCRIPTION')!)).toContain('\nNight shift.');
  });

  it('keeps UIDs stable across regenerations and distinct per person and shift', () => {
    const uids = (feed: string) => parseStrict(feed).children.map((e) => prop(e, 'UID'));
    const again = calendarFeed(shiftEvents(problem, roster, 'a'), { ...options, publishedAt: '2026-10-22T18:00:00+02:00' });
    expect(uids(again)).toEqual(uids(text));
    expect(uids(text).every((uid) => /^[0-9a-f]{32}@hotline\.example\.org$/.test(uid!))).toBe(true);
    const forB = uids(calendarFeed(shiftEvents(problem, roster, 'b'), options));
    expect(forB).toHaveLength(1);
    expect(uids(text)).not.toContain(forB[0]);
  });

  it('is an empty but valid calendar for someone with no shifts', () => {
    const empty = calendarFeed(shiftEvents(problem, { assignments: [] }, 'a'), options);
    expect(parseStrict(empty).children).toEqual([]);
  });

  it('the strict reader rejects broken feeds', () => {
    expect(() => parseStrict(text.replace(/\r\n/g, '\n'))).toThrow(/CRLF/);
    expect(() => parseStrict(text.replace('VERSION:2.0\r\n', ''))).toThrow(/VERSION/);
    expect(() => parseStrict(text.replace(/LOCATION:([^\r]*)/, 'LOCATION:a,b'))).toThrow(/unescaped/);
    expect(() => parseStrict(text.replace(/\r\n /g, ''))).toThrow(/75 octets/);
    expect(() => parseStrict(text.replace('END:VEVENT', 'END:VTODO'))).toThrow(/does not close/);
  });
});

describe('foldLine and escapeText', () => {
  it('folds at exactly 75 octets, continuation lines counting their leading space', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    const folded = foldLine('y'.repeat(75 + 74 + 3)).split('\r\n');
    expect(folded.map((l) => Buffer.byteLength(l))).toEqual([75, 75, 4]);
  });

  it('never splits a multi-byte character', () => {
    // 74 ASCII octets then "é" (2 octets) would make 76: é moves to the next line whole.
    expect(foldLine(`${'x'.repeat(74)}é`)).toBe(`${'x'.repeat(74)}\r\n é`);
    const lines = foldLine('🚪'.repeat(40)).split('\r\n');
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(Buffer.from(line).toString()).toBe(line);
    }
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe('🚪'.repeat(40));
  });

  it('escapes backslash, semicolon, comma and every kind of newline', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf\rg')).toBe('a\\,b\\;c\\\\d\\ne\\nf\\ng');
    expect(unescapeText(escapeText('\\n is not a newline; ok, fine'))).toBe('\\n is not a newline; ok, fine');
  });
});
