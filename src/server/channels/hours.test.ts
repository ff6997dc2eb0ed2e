import { describe, expect, it } from 'vitest';
import { isOpenAt, localTime } from './hours.js';

const weekdays = [{ day: 'mon', open: '09:00', close: '17:00' }, { day: 'fri', open: '22:00', close: '06:00' }] as const;

describe('opening hours in the hotline’s time zone', () => {
  it('is open 24/7 without hours', () => {
    expect(isOpenAt(undefined, 'America/Toronto', new Date())).toBe(true);
    expect(isOpenAt([], 'America/Toronto', new Date())).toBe(true);
  });

  it('reads the wall clock of the zone, across DST', () => {
    // 2025-03-10 13:30 UTC is Monday 09:30 in Toronto (EDT, UTC-4) — the day after the spring change.
    expect(localTime(new Date('2025-03-10T13:30:00Z'), 'America/Toronto')).toEqual({ day: 'mon', minute: 9 * 60 + 30 });
    expect(isOpenAt([...weekdays], 'America/Toronto', new Date('2025-03-10T13:30:00Z'))).toBe(true);
    // 2025-03-03 13:30 UTC is Monday 08:30 in Toronto (EST, UTC-5): closed.
    expect(isOpenAt([...weekdays], 'America/Toronto', new Date('2025-03-03T13:30:00Z'))).toBe(false);
    expect(isOpenAt([...weekdays], 'Europe/Paris', new Date('2025-03-03T13:30:00Z'))).toBe(true);
  });

  it('runs a slot past midnight into the next day', () => {
    // Friday 23:00 and Saturday 05:59 in Mexico City (UTC-6, no DST) are open; Saturday 06:00 is not.
    expect(isOpenAt([...weekdays], 'America/Mexico_City', new Date('2025-06-07T05:00:00Z'))).toBe(true);
    expect(isOpenAt([...weekdays], 'America/Mexico_City', new Date('2025-06-07T11:59:00Z'))).toBe(true);
    expect(isOpenAt([...weekdays], 'America/Mexico_City', new Date('2025-06-07T12:00:00Z'))).toBe(false);
  });

  it('treats 00:00–00:00 as the whole day, and an unknown zone as UTC rather than failing', () => {
    expect(isOpenAt([{ day: 'sun', open: '00:00', close: '00:00' }], 'UTC', new Date('2025-06-08T23:59:00Z'))).toBe(true);
    expect(isOpenAt([{ day: 'sun', open: '00:00', close: '00:00' }], 'UTC', new Date('2025-06-09T00:00:00Z'))).toBe(false);
    expect(isOpenAt([{ day: 'sun', open: '10:00', close: '11:00' }], 'Not/AZone', new Date('2025-06-08T10:30:00Z'))).toBe(true);
  });
});
