import { describe, expect, it } from 'vitest';
import { openState, parseClock, type ScheduleLike } from './opening-hours.js';

const weekdays: ScheduleLike = { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' };

// [case, schedules, instant (UTC), partner IANA zone, hotline zone, expected open (null = unknown), expected zone]
const CASES: [string, ScheduleLike[], string, string | null, string, boolean | null, string | null][] = [
  ['Toronto weekday, 09:00 EST is open', [weekdays], '2026-01-05T14:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['Toronto weekday, 08:59 EST is closed', [weekdays], '2026-01-05T13:59:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['Toronto in summer follows DST: 09:00 EDT is 13:00Z', [weekdays], '2026-07-06T13:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['17:00 is closing time (closed at 17:00)', [weekdays], '2026-01-05T22:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['Saturday is closed', [weekdays], '2026-01-10T15:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['Auckland Monday morning is Sunday in UTC', [weekdays], '2026-01-04T21:00:00Z', 'Pacific/Auckland', 'UTC', true, 'Pacific/Auckland'],
  ['Auckland Monday morning, read in UTC, would be Sunday: zone matters', [weekdays], '2026-01-04T21:00:00Z', null, 'UTC', false, 'UTC'],
  ['offset written on opens_at (-05:00) is fixed: 08:30 in July', [{ ...weekdays, opens_at: '09:00-05:00', closes_at: '17:00-05:00' }], '2026-07-06T13:30:00Z', null, 'UTC', false, 'UTC-05:00'],
  ['offset written on opens_at (-05:00): 09:00 local is open', [{ ...weekdays, opens_at: '09:00-05:00', closes_at: '17:00-05:00' }], '2026-07-06T14:00:00Z', null, 'UTC', true, 'UTC-05:00'],
  ['Z suffix means UTC', [{ ...weekdays, opens_at: '09:00Z', closes_at: '17:00Z' }], '2026-01-05T09:30:00Z', null, 'America/Toronto', true, 'UTC+00:00'],
  ['HSDS timezone offset 3 (upstream example): Thursday 10:30 is open', [{ freq: 'WEEKLY', byday: 'TH,FR', opens_at: '10:00:00', closes_at: '18:00:00', timezone: 3 }], '2026-01-08T07:30:00Z', null, 'UTC', true, 'UTC+03:00'],
  ['HSDS timezone offset 3: Thursday 18:30 is closed', [{ freq: 'WEEKLY', byday: 'TH,FR', opens_at: '10:00:00', closes_at: '18:00:00', timezone: 3 }], '2026-01-08T15:30:00Z', null, 'UTC', false, 'UTC+03:00'],
  ['the partner zone wins over the schedule offset', [{ ...weekdays, timezone: 3 }], '2026-01-05T14:30:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['hotline zone as the last resort (Mexico City, no DST)', [weekdays], '2026-07-06T15:00:00Z', null, 'America/Mexico_City', true, 'America/Mexico_City'],
  ['overnight Friday 22:00-06:00: Saturday 03:00 is open', [{ freq: 'WEEKLY', byday: 'FR', opens_at: '22:00', closes_at: '06:00' }], '2026-01-10T08:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['overnight Friday: Friday 23:00 is open', [{ freq: 'WEEKLY', byday: 'FR', opens_at: '22:00', closes_at: '06:00' }], '2026-01-10T04:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['overnight Friday: Friday 21:00 is closed', [{ freq: 'WEEKLY', byday: 'FR', opens_at: '22:00', closes_at: '06:00' }], '2026-01-10T02:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['overnight Friday: Sunday 03:00 is closed', [{ freq: 'WEEKLY', byday: 'FR', opens_at: '22:00', closes_at: '06:00' }], '2026-01-11T08:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['24 hours (00:00-23:59) every day', [{ opens_at: '00:00', closes_at: '23:59' }], '2026-01-11T04:59:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['monthly on the second Monday: 12 January', [{ freq: 'MONTHLY', byday: '2MO', opens_at: '09:00', closes_at: '17:00' }], '2026-01-12T15:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['monthly on the second Monday: not the first', [{ freq: 'MONTHLY', byday: '2MO', opens_at: '09:00', closes_at: '17:00' }], '2026-01-05T15:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['monthly on the last Friday (-1FR): 30 January', [{ freq: 'MONTHLY', byday: '-1FR', opens_at: '09:00', closes_at: '17:00' }], '2026-01-30T15:00:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['a schedule no longer valid is closed', [{ ...weekdays, valid_to: '2025-12-31' }], '2026-01-05T15:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['a schedule not yet valid is closed', [{ ...weekdays, valid_from: '2026-02-01' }], '2026-01-05T15:00:00Z', 'America/Toronto', 'UTC', false, 'America/Toronto'],
  ['two schedules: the evening one is open', [weekdays, { freq: 'WEEKLY', byday: 'MO', opens_at: '18:00', closes_at: '21:00' }], '2026-01-05T23:30:00Z', 'America/Toronto', 'UTC', true, 'America/Toronto'],
  ['no hours at all: unknown', [{ description: 'Call us' } as ScheduleLike], '2026-01-05T15:00:00Z', 'America/Toronto', 'UTC', null, null],
  ['no schedules: unknown', [], '2026-01-05T15:00:00Z', 'America/Toronto', 'UTC', null, null],
];

describe('open now from HSDS schedules (time zones)', () => {
  it.each(CASES)('%s', (_name, schedules, instant, partnerZone, hotlineZone, expected, zone) => {
    const state = openState(schedules, new Date(instant), partnerZone, hotlineZone);
    expect(state.open).toBe(expected);
    expect(state.zone).toBe(zone);
  });

  it('parses HSDS clock times with and without offsets', () => {
    expect(parseClock('10:00:00')).toEqual({ minutes: 600, offset: null });
    expect(parseClock('09:00-05:00')).toEqual({ minutes: 540, offset: -300 });
    expect(parseClock('17:30Z')).toEqual({ minutes: 1050, offset: 0 });
    expect(parseClock('05:45+0545')).toEqual({ minutes: 345, offset: 345 });
    expect(parseClock('25:00')).toBeNull();
    expect(parseClock('noon')).toBeNull();
    expect(parseClock(9)).toBeNull();
  });
});
