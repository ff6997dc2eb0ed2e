import { describe, expect, it } from 'vitest';
import type { RosterInput, RosterShift, Staff } from '../../shared/scheduling/roster-schemas.js';
import { rosterInputSchema } from '../../shared/scheduling/roster-schemas.js';
import { checkRoster, type RuleCode } from './roster-check.js';
import { assignStaff } from './roster-assign.js';
import { at, hourlyRoster, person, requiredBetween, shiftAt } from './roster-fixtures.js';
import { prepareRoster } from './roster-problem.js';

/** Rules broken when `staff[0]` (or the people named) works the given shifts. */
function brokenRules(input: RosterInput, assignments: { shiftId: string; staffId: string }[], debriefs: { staffId: string; shiftId: string; startMinuteOfWeek: number; lengthMinutes: number }[] = []): RuleCode[] {
  return [...new Set(checkRoster(prepareRoster(input), { assignments, debriefs }).violations.map((v) => v.rule))].sort();
}

function onePerson(shifts: RosterShift[], staff: Staff = person('a'), extra: Partial<RosterInput> = {}) {
  // One person is always alone at night: switch the night floor off to test the other rules alone.
  const input = hourlyRoster({ shifts, staff: [staff], ...extra, rules: { nightFloor: { startMinute: 0, endMinute: 0, supervisor: 'none' }, ...extra.rules } });
  return brokenRules(input, shifts.map((s) => ({ shiftId: s.id!, staffId: staff.id })));
}

describe('wellness rules, as checked on a roster', () => {
  const monDay = shiftAt('mon', '07:00', 8); // ends Mon 15:00
  it.each([
    ['11 h exactly after a shift is enough rest', [monDay, shiftAt('tue', '02:00', 8)], []],
    ['10 h between shifts breaks the rest rule', [monDay, shiftAt('tue', '01:00', 8)], ['rest']],
    ['overlapping shifts are reported as overlap', [monDay, shiftAt('mon', '14:00', 8)], ['overlap']],
    ['5 days in a row are allowed', ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => shiftAt(d as 'mon', '08:00', 8)), []],
    ['6 days in a row break the consecutive-days rule', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => shiftAt(d as 'mon', '08:00', 8)), ['consecutiveDays']],
    ['3 night shifts are allowed', ['mon', 'wed', 'fri'].map((d) => shiftAt(d as 'mon', '22:00', 8)), []],
    ['4 night shifts in a week break the weekly night limit', ['mon', 'wed', 'fri', 'sun'].map((d) => shiftAt(d as 'mon', '22:00', 8)), ['nightShiftsPerWeek']],
    ['an evening shift with under 3 h after midnight is not a night shift', ['mon', 'tue', 'wed', 'thu'].map((d) => shiftAt(d as 'mon', '16:00', 10)), []],
  ] as const)('%s', (_name, shifts, expected) => {
    expect(onePerson([...shifts])).toEqual(expected);
  });

  it('counts a run of nights on consecutive days, continuing last week’s run', () => {
    const rules = { maxNightShiftsPerWeek: 7 };
    const fourNights = ['mon', 'tue', 'wed', 'thu'].map((d) => shiftAt(d as 'mon', '22:00', 8));
    expect(onePerson(fourNights, person('a'), { rules })).toEqual(['consecutiveNights']);
    expect(onePerson(fourNights.slice(0, 3), person('a'), { rules })).toEqual([]);
    const afterTwoNights = person('a', { history: { consecutiveNightShifts: 2 } });
    expect(onePerson(fourNights.slice(0, 2), afterTwoNights, { rules })).toEqual(['consecutiveNights']);
    expect(onePerson(fourNights.slice(0, 1), afterTwoNights, { rules })).toEqual([]);
  });

  it('continues last week’s run of working days into Monday', () => {
    const threeDays = ['mon', 'tue', 'wed'].map((d) => shiftAt(d as 'mon', '08:00', 8));
    expect(onePerson(threeDays, person('a', { history: { consecutiveDaysWorked: 3 } }))).toEqual(['consecutiveDays']);
    expect(onePerson(threeDays, person('a', { history: { consecutiveDaysWorked: 2 } }))).toEqual([]);
    // A streak that stopped on Sunday does not count when Monday is free.
    expect(onePerson(threeDays.slice(1), person('a', { history: { consecutiveDaysWorked: 5 } }))).toEqual([]);
  });

  it('measures rest after last week’s final shift', () => {
    const sundayTwoPm = person('a', { history: { lastShiftEndMinute: -10 * 60 } });
    expect(onePerson([shiftAt('mon', '00:00', 8)], sundayTwoPm)).toEqual(['rest']);
    expect(onePerson([shiftAt('mon', '01:00', 8)], sundayTwoPm)).toEqual([]);
  });

  it('refuses hours above the contract maximum', () => {
    const partTime = person('a', { contract: { minHoursPerWeek: 0, maxHoursPerWeek: 16 } });
    expect(onePerson(['mon', 'wed', 'fri'].map((d) => shiftAt(d as 'mon', '08:00', 8)), partTime)).toEqual(['contractMax']);
    expect(onePerson(['mon', 'wed'].map((d) => shiftAt(d as 'mon', '08:00', 8)), partTime)).toEqual([]);
  });

  it('refuses shifts that touch a day of leave, including an evening shift running past midnight', () => {
    const onLeaveTuesday = person('a', { leave: [{ from: '2026-12-01', to: '2026-12-01' }] });
    expect(onePerson([shiftAt('tue', '08:00', 8)], onLeaveTuesday)).toEqual(['leave']);
    expect(onePerson([shiftAt('mon', '20:00', 8)], onLeaveTuesday)).toEqual(['leave']);
    expect(onePerson([shiftAt('mon', '16:00', 8)], onLeaveTuesday)).toEqual([]);
    expect(onePerson([shiftAt('wed', '00:00', 8)], onLeaveTuesday)).toEqual([]);
  });

  it('refuses shifts in a weekly unavailable window, including an overnight one on a Sunday-night shift', () => {
    const noMondayLunch = person('a', { unavailable: [{ days: [0], startMinute: 12 * 60, endMinute: 14 * 60 }] });
    expect(onePerson([shiftAt('mon', '08:00', 8)], noMondayLunch)).toEqual(['unavailable']);
    expect(onePerson([shiftAt('mon', '14:00', 8)], noMondayLunch)).toEqual([]);
    const noNights = person('a', { unavailable: [{ days: [0, 1, 2, 3, 4, 5, 6], startMinute: 22 * 60, endMinute: 31 * 60 }] });
    expect(onePerson([shiftAt('sun', '18:00', 8)], noNights)).toEqual(['unavailable']);
    // Monday 00:00–07:00 is Sunday's window running on.
    expect(onePerson([shiftAt('mon', '05:00', 8)], noNights)).toEqual(['unavailable']);
    expect(onePerson([shiftAt('mon', '07:00', 8)], noNights)).toEqual([]);
  });

  describe('nobody alone at night', () => {
    const night = shiftAt('tue', '22:00', 8, { count: 2 });
    const rules = (supervisor: 'none' | 'full' | 'fullOrOnCall') => ({ nightFloor: { startMinute: 22 * 60, endMinute: 7 * 60, supervisor } });
    const check = (supervisor: 'none' | 'full' | 'fullOrOnCall', staff: Staff[]) =>
      brokenRules(hourlyRoster({ shifts: [night], staff, rules: rules(supervisor) }), staff.map((s) => ({ shiftId: night.id!, staffId: s.id })));

    it.each([
      ['one person alone at night', 'none', [person('a')], ['aloneAtNight']],
      ['two people at night', 'none', [person('a'), person('b')], []],
      ['two people without a supervisor when one is required', 'full', [person('a'), person('b')], ['nightSupervisor']],
      ['a supervisor among them', 'full', [person('a'), person('b', { skills: { supervisor: 'full' } })], []],
      ['an on-call supervisor where the floor accepts one', 'fullOrOnCall', [person('a'), person('b', { skills: { supervisor: 'onCall' } })], []],
      ['an on-call supervisor where the floor wants a full one', 'full', [person('a'), person('b', { skills: { supervisor: 'onCall' } })], ['nightSupervisor']],
    ] as const)('%s', (_name, supervisor, staff, expected) => {
      expect(check(supervisor, [...staff])).toEqual(expected);
    });

    it('does not apply to the day', () => {
      const day = shiftAt('tue', '09:00', 8);
      expect(brokenRules(hourlyRoster({ shifts: [day], staff: [person('a')] }), [{ shiftId: day.id!, staffId: 'a' }])).toEqual([]);
    });
  });

  it('keeps debrief blocks inside the person’s own working time', () => {
    const shift = shiftAt('mon', '08:00', 8);
    const input = hourlyRoster({ shifts: [shift], staff: [person('a')] });
    const assignments = [{ shiftId: shift.id!, staffId: 'a' }];
    expect(brokenRules(input, assignments, [{ staffId: 'a', shiftId: shift.id!, startMinuteOfWeek: at('mon', '10:00'), lengthMinutes: 60 }])).toEqual([]);
    expect(brokenRules(input, assignments, [{ staffId: 'a', shiftId: shift.id!, startMinuteOfWeek: at('mon', '16:00'), lengthMinutes: 60 }])).toEqual(['debrief']);
  });

  it('measures rest in real time across daylight-saving changes', () => {
    // Europe/Paris: clocks go back on Sunday 25 October 2026 at 03:00, and forward on Sunday 29 March 2026 at 02:00.
    const shifts = [shiftAt('sat', '15:00', 8), shiftAt('sun', '09:00', 8)]; // 10 h on the wall clock
    const base = { shifts, staff: [person('a')], timeZone: 'Europe/Paris', rules: { nightFloor: { startMinute: 0, endMinute: 0, supervisor: 'none' as const } } };
    const assignments = shifts.map((s) => ({ shiftId: s.id!, staffId: 'a' }));
    expect(brokenRules(hourlyRoster({ ...base, weekStart: '2026-10-19' }), assignments)).toEqual([]); // 11 real hours
    expect(brokenRules(hourlyRoster({ ...base, weekStart: '2026-11-30' }), assignments)).toEqual(['rest']);
    const spring = [shiftAt('sat', '15:00', 8), shiftAt('sun', '10:00', 8)]; // 11 h on the wall clock, 10 real
    expect(brokenRules(hourlyRoster({ ...base, shifts: spring, weekStart: '2026-03-23' }), spring.map((s) => ({ shiftId: s.id!, staffId: 'a' })))).toEqual(['rest']);
  });

  it('uses hotline-specific rules when given', () => {
    const twoDays = ['mon', 'tue'].map((d) => shiftAt(d as 'mon', '08:00', 8));
    expect(onePerson(twoDays, person('a'), { rules: { maxConsecutiveWorkingDays: 1 } })).toEqual(['consecutiveDays']);
    expect(onePerson([shiftAt('mon', '07:00', 8), shiftAt('mon', '23:00', 8)], person('a'), { rules: { minRestHours: 8, nightFloor: { startMinute: 0, endMinute: 0, supervisor: 'none' } } })).toEqual([]);
  });

  it('rejects inputs that do not make sense, naming the field', () => {
    const base = hourlyRoster({ shifts: [], staff: [] });
    expect(() => rosterInputSchema.parse({ ...base, weekStart: '2026-12-01' })).toThrow(/Monday/);
    expect(() => rosterInputSchema.parse({ ...base, timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => rosterInputSchema.parse({ ...base, staff: [person('a'), person('a')] })).toThrow(/appears twice/);
    expect(() => rosterInputSchema.parse({ ...base, shifts: [{ ...shiftAt('mon', '08:00', 8), startMinuteOfWeek: 485 }] })).toThrow(/multiple of 60/);
    expect(() => rosterInputSchema.parse({ ...base, staff: [person('a', { contract: { minHoursPerWeek: 30, maxHoursPerWeek: 20 } })] })).toThrow(/minHoursPerWeek/);
  });
});

describe('the optimiser keeps each rule even when that leaves a gap, and says why', () => {
  const cover = (shifts: RosterShift[]) => shifts.reduce((req, s) => requiredBetween(s.startMinuteOfWeek, s.startMinuteOfWeek + s.lengthMinutes, s.count ?? 1, req), new Array(168).fill(0));

  it('gives one person only one of two shifts 8 h apart, and reports the other as short for rest', async () => {
    const shifts = [shiftAt('mon', '14:00', 8), shiftAt('tue', '06:00', 8)];
    const result = await assignStaff(hourlyRoster({ shifts, staff: [person('a')], required: cover(shifts) }));
    expect(result.assignments).toHaveLength(1);
    expect(result.report.violations).toEqual([]);
    expect(result.report.unfilledShifts).toHaveLength(1);
    expect(result.report.unfilledShifts[0].whyNotStaff).toEqual({ rest: 1 });
    expect(result.report.gaps.map((g) => g.reasons.join(' '))).toEqual([expect.stringContaining('would get under the minimum rest')]);
  });

  it('gives one person 6 of 7 daily shifts but never more than 5 days in a row', async () => {
    const shifts = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => shiftAt(d as 'mon', '08:00', 8));
    const staff = [person('a', { contract: { maxHoursPerWeek: 60 } })];
    const result = await assignStaff(hourlyRoster({ shifts, staff, required: cover(shifts) }));
    expect(result.assignments).toHaveLength(6);
    const off = shifts.findIndex((s) => !result.assignments.some((a) => a.shiftId === s.id));
    expect(off).toBeGreaterThanOrEqual(1);
    expect(off).toBeLessThanOrEqual(5);
    expect(result.report.violations).toEqual([]);
    expect(result.report.unfilledShifts.map((u) => u.whyNotStaff)).toEqual([{ consecutiveDays: 1 }]);
  });

  it('leaves a night empty rather than put one person alone on it, and says so', async () => {
    const night = shiftAt('wed', '22:00', 8, { count: 2 });
    const noNights = { unavailable: [{ days: [2], startMinute: 20 * 60, endMinute: 24 * 60 }] };
    const result = await assignStaff(hourlyRoster({ shifts: [night], staff: [person('a'), person('b', noNights)], required: cover([night]) }));
    expect(result.assignments).toEqual([]);
    expect(result.report.gaps[0].reasons.join(' ')).toMatch(/left empty at night rather than leave one person alone/);
  });

  it('staffs a night only with a supervisor when the floor requires one', async () => {
    const night = shiftAt('wed', '22:00', 8, { count: 2 });
    const rules = { nightFloor: { startMinute: 22 * 60, endMinute: 7 * 60, supervisor: 'full' as const } };
    const without = await assignStaff(hourlyRoster({ shifts: [night], staff: [person('a'), person('b'), person('c')], required: cover([night]), rules }));
    expect(without.assignments).toEqual([]);
    const withSupervisor = await assignStaff(hourlyRoster({ shifts: [night], staff: [person('a'), person('b'), person('c', { skills: { supervisor: 'full' } })], required: cover([night]), rules }));
    expect(withSupervisor.assignments.map((a) => a.staffId)).toContain('c');
    expect(withSupervisor.assignments).toHaveLength(2);
  });

  it('keeps weekly and consecutive night limits, staffing only as many nights as two people may work', async () => {
    const nights = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => shiftAt(d as 'mon', '22:00', 8, { count: 2 }));
    const result = await assignStaff(hourlyRoster({ shifts: nights, staff: [person('a'), person('b')], required: cover(nights) }));
    expect(result.report.violations).toEqual([]);
    for (const s of result.report.staffSummary) expect(s.nightShifts).toBe(3);
    // Both work the same three nights (nobody alone), and not four in a row.
    expect(result.report.unfilledShifts).toHaveLength(4);
  });

  it('rosters a Spanish speaker where one is needed', async () => {
    const shift = shiftAt('mon', '08:00', 8);
    const staff = [person('a'), person('b', { skills: { languages: ['en', 'es'] } })];
    const result = await assignStaff(hourlyRoster({ shifts: [shift], staff, required: cover([shift]), skillNeeds: [{ skill: 'language:es', minimum: 1, windows: [{ days: [0], startMinute: 8 * 60, endMinute: 16 * 60 }] }] }));
    expect(result.assignments).toEqual([{ shiftId: shift.id, staffId: 'b' }]);
    expect(result.report.gaps).toEqual([]);
  });

  it('reports a skill gap when no one with the skill can work, naming why', async () => {
    const shift = shiftAt('mon', '08:00', 8);
    const staff = [person('a'), person('b', { skills: { languages: ['fr'] }, leave: [{ from: '2026-11-30', to: '2026-11-30' }] })];
    const result = await assignStaff(hourlyRoster({ shifts: [shift], staff, required: cover([shift]), skillNeeds: [{ skill: 'language:fr', minimum: 1, windows: [{ days: [0], startMinute: 8 * 60, endMinute: 10 * 60 }] }] }));
    expect(result.assignments).toEqual([{ shiftId: shift.id, staffId: 'a' }]);
    const gap = result.report.gaps.find((g) => g.kind === 'skill');
    expect(gap).toMatchObject({ skill: 'language:fr', fromInterval: 8, toInterval: 9, shortBy: 1 });
    expect(gap!.reasons[0]).toMatch(/1 staff have language:fr.*1 on leave/);
  });

  it('spreads nights evenly, and gives fewer to whoever worked more of them recently', async () => {
    const rules = { nightFloor: { startMinute: 0, endMinute: 0, supervisor: 'none' as const }, maxNightShiftsPerWeek: 7, maxConsecutiveNightShifts: 7 };
    const fourNights = ['mon', 'wed', 'fri', 'sun'].map((d) => shiftAt(d as 'mon', '22:00', 8));
    const even = await assignStaff(hourlyRoster({ shifts: fourNights, staff: [person('a'), person('b')], required: cover(fourNights), rules }));
    expect(even.report.staffSummary.map((s) => s.nightShifts)).toEqual([2, 2]);
    const threeNights = fourNights.slice(0, 3);
    const rotated = await assignStaff(hourlyRoster({ shifts: threeNights, staff: [person('a', { history: { recentNightShifts: 6 } }), person('b')], required: cover(threeNights), rules }));
    expect(rotated.report.staffSummary.map((s) => s.nightShifts)).toEqual([1, 2]);
  });

  it('honours a day someone asked to avoid when someone else can work it', async () => {
    const saturday = shiftAt('sat', '08:00', 8);
    const staff = [person('a', { preferences: { avoidDays: [5] } }), person('b')];
    const result = await assignStaff(hourlyRoster({ shifts: [saturday], staff, required: cover([saturday]) }));
    expect(result.assignments).toEqual([{ shiftId: saturday.id, staffId: 'b' }]);
  });

  it('tops up whoever is under their contract minimum first', async () => {
    const shifts = [shiftAt('mon', '08:00', 8), shiftAt('tue', '08:00', 8)];
    const staff = [person('a', { contract: { minHoursPerWeek: 16, maxHoursPerWeek: 40 } }), person('b')];
    const result = await assignStaff(hourlyRoster({ shifts, staff, required: cover(shifts) }));
    expect(result.assignments.every((a) => a.staffId === 'a')).toBe(true);
    expect(result.report.contractShortfalls).toEqual([]);
    const short = await assignStaff(hourlyRoster({ shifts: shifts.slice(0, 1), staff, required: cover(shifts.slice(0, 1)) }));
    expect(short.report.contractShortfalls).toEqual([{ staffId: 'a', rosteredHours: 8, minimumHours: 16, shortHours: 8 }]);
  });
});
