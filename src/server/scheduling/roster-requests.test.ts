import { describe, expect, it } from 'vitest';
import type { RosterInput } from '../../shared/scheduling/roster-schemas.js';
import { hourlyRoster, person, requiredBetween, shiftAt } from './roster-fixtures.js';
import { checkLeaveRequest, checkSwapRequest, type RequestCheck } from './roster-requests.js';

const early = shiftAt('mon', '07:00', 8); // ends Monday 15:00
const small = shiftAt('tue', '01:00', 8); // 10 h after `early` ends
const day = shiftAt('tue', '09:00', 8);
const night = shiftAt('wed', '22:00', 8, { count: 2 });
const shifts = [early, small, day, night];
const required = shifts.reduce((req, s) => requiredBetween(s.startMinuteOfWeek, s.startMinuteOfWeek + s.lengthMinutes, s.count ?? 1, req), new Array(168).fill(0));

const input: RosterInput = hourlyRoster({
  shifts,
  required,
  staff: [
    person('a'),
    person('b'),
    person('c', { skills: { languages: ['en', 'es'] } }),
    person('d'),
    person('e', { leave: [{ from: '2026-12-02', to: '2026-12-02' }] }),
    person('f', { skills: { languages: ['es'] } }),
  ],
  skillNeeds: [{ skill: 'language:es', minimum: 1, windows: [{ days: [1], startMinute: 9 * 60, endMinute: 17 * 60 }] }],
});
const roster = {
  assignments: [
    { shiftId: early.id!, staffId: 'a' },
    { shiftId: small.id!, staffId: 'b' },
    { shiftId: day.id!, staffId: 'c' },
    { shiftId: night.id!, staffId: 'b' },
    { shiftId: night.id!, staffId: 'd' },
  ],
};

function checked(result: RequestCheck) {
  if (result.status !== 'checked') throw new Error(result.message);
  return result;
}

describe('checkSwapRequest', () => {
  it('allows an exchange that keeps every rule and all coverage', () => {
    const result = checked(checkSwapRequest(input, roster, { kind: 'exchange', staffA: 'b', shiftA: small.id!, staffB: 'a', shiftB: early.id! }));
    // b would work Monday 07:00–15:00 then Wednesday night; a Tuesday 01:00–09:00: both fine.
    expect(result).toMatchObject({ isAllowed: true, newViolations: [], coverageLosses: [] });
    expect(result.assignments).toContainEqual({ shiftId: early.id, staffId: 'b' });
  });

  it('refuses a handover that leaves the new person 10 h of rest', () => {
    const result = checked(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'b', toStaff: 'a', shiftId: small.id! }));
    expect(result.isAllowed).toBe(false);
    expect(result.newViolations.map((v) => [v.rule, v.staffId])).toEqual([['rest', 'a']]);
    expect(result.coverageLosses).toEqual([]);
  });

  it('refuses a handover to someone on leave that day', () => {
    const result = checked(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'd', toStaff: 'e', shiftId: night.id! }));
    expect(result.newViolations.map((v) => v.rule)).toEqual(['leave']);
  });

  it('refuses a handover that loses the only Spanish speaker, naming the hours', () => {
    const result = checked(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'c', toStaff: 'd', shiftId: day.id! }));
    expect(result.isAllowed).toBe(false);
    expect(result.newViolations).toEqual([]);
    expect(result.coverageLosses).toHaveLength(8);
    expect(result.coverageLosses[0]).toMatchObject({ at: 'Tue 09:00', kind: 'skill', skill: 'language:es', shortBefore: 0, shortAfter: 1 });
    // Another Spanish speaker may take it.
    expect(checked(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'c', toStaff: 'f', shiftId: day.id! })).isAllowed).toBe(true);
  });

  it('refuses requests that do not match the roster', () => {
    expect(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'a', toStaff: 'b', shiftId: day.id! })).toMatchObject({ status: 'invalidRequest', message: 'a is not on tue-0900-8h' });
    expect(checkSwapRequest(input, roster, { kind: 'handover', fromStaff: 'b', toStaff: 'd', shiftId: night.id! })).toMatchObject({ status: 'invalidRequest' });
    expect(checkSwapRequest(input, roster, { kind: 'exchange', staffA: 'a', shiftA: early.id!, staffB: 'zz', shiftB: day.id! })).toMatchObject({ status: 'invalidRequest', message: 'no staff member "zz"' });
  });
});

describe('checkLeaveRequest', () => {
  it('refuses leave that would leave a colleague alone on a night shift', () => {
    const result = checked(checkLeaveRequest(input, roster, { staffId: 'd', leave: { from: '2026-12-02', to: '2026-12-02' } }));
    expect(result.isAllowed).toBe(false);
    expect(result.affectedShifts).toEqual([night.id]);
    expect(new Set(result.newViolations.map((v) => v.rule))).toEqual(new Set(['aloneAtNight']));
    expect(result.coverageLosses.filter((l) => l.kind === 'people')).toHaveLength(8);
  });

  it('allows leave for someone with no shifts in it', () => {
    const result = checked(checkLeaveRequest(input, roster, { staffId: 'f', leave: { from: '2026-11-30', to: '2026-12-06' } }));
    expect(result).toMatchObject({ isAllowed: true, affectedShifts: [], newViolations: [], coverageLosses: [] });
  });

  it('refuses leave that uncovers a day shift, listing the shift', () => {
    const result = checked(checkLeaveRequest(input, roster, { staffId: 'c', leave: { from: '2026-12-01', to: '2026-12-01' } }));
    expect(result.isAllowed).toBe(false);
    expect(result.affectedShifts).toEqual([day.id]);
    expect(result.newViolations).toEqual([]);
    expect(result.coverageLosses.map((l) => l.kind)).toEqual(expect.arrayContaining(['people', 'skill']));
  });
});
