import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Assignment, RosterInput, RosterShift } from '../../shared/scheduling/roster-schemas.js';
import { assignStaff } from './roster-assign.js';
import { at, DAY, hourlyRoster, person, requiredBetween, shiftAt } from './roster-fixtures.js';
import { reoptimiseAfterAbsence } from './roster-reoptimise.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const dayShifts: RosterShift[] = weekdays.map((d) => shiftAt(d, '08:00', 8, { count: 2 }));
const required = (shifts: RosterShift[]) => shifts.reduce((req, s) => requiredBetween(s.startMinuteOfWeek, s.startMinuteOfWeek + s.lengthMinutes, s.count ?? 1, req), new Array(168).fill(0));

function input(staffIds: string[], maxHoursPerWeek = 24): RosterInput {
  return hourlyRoster({ shifts: dayShifts, staff: staffIds.map((id) => person(id, { contract: { minHoursPerWeek: 0, maxHoursPerWeek } })), required: required(dayShifts) });
}

async function published(rosterInput: RosterInput): Promise<Assignment[]> {
  const result = await assignStaff(rosterInput);
  expect(result.report.gaps).toEqual([]);
  return [...result.assignments];
}

describe('reoptimiseAfterAbsence', () => {
  it('fills a sick person’s shift with one free colleague and changes nothing else', async () => {
    const rosterInput = input(['a', 'b', 'c', 'd', 'e']);
    const before = await published(rosterInput);
    const wed = dayShifts[2].id!;
    const sick = before.find((a) => a.shiftId === wed)!.staffId;
    const result = await reoptimiseAfterAbsence(rosterInput, { assignments: before }, { staffId: sick, fromMinute: at('wed', '00:00'), toMinute: at('thu', '00:00') });
    if (result.status !== 'optimal' && result.status !== 'feasible') throw new Error(result.status);
    expect(result.report.violations).toEqual([]);
    expect(result.report.gaps).toEqual([]);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ shiftId: wed, removed: [sick] });
    expect(result.changes[0].added).toHaveLength(1);
    expect(result.othersAffected).toBe(1);
    const unchanged = before.filter((a) => a.shiftId !== wed);
    for (const a of unchanged) expect(result.assignments).toContainEqual(a);
  });

  it('keeps shifts that already started, reporting the absent person’s shift under way', async () => {
    const rosterInput = input(['a', 'b', 'c', 'd', 'e']);
    const before = await published(rosterInput);
    const wed = dayShifts[2].id!;
    const sick = before.find((a) => a.shiftId === wed)!.staffId;
    const result = await reoptimiseAfterAbsence(rosterInput, { assignments: before }, { staffId: sick, fromMinute: at('wed', '10:00'), toMinute: at('sat', '00:00') });
    if (result.status !== 'optimal' && result.status !== 'feasible') throw new Error(result.status);
    expect(result.inProgress).toEqual([wed]);
    expect(result.assignments).toContainEqual({ shiftId: wed, staffId: sick });
    for (const a of before.filter((x) => dayShifts.findIndex((s) => s.id === x.shiftId) <= 2)) expect(result.assignments).toContainEqual(a);
    // Later shifts lose the absent person.
    expect(result.assignments.filter((a) => a.staffId === sick && [dayShifts[3].id, dayShifts[4].id].includes(a.shiftId))).toEqual([]);
    expect(result.report.violations).toEqual([]);
  });

  it('reports the gap, with reasons, when nobody can cover', async () => {
    const rosterInput = input(['a', 'b', 'c', 'd', 'e'], 16); // 5 people × 16 h for 10 seats of 8 h: everyone is at their maximum
    const before = await published(rosterInput);
    const sick = before.find((a) => a.shiftId === dayShifts[4].id)!.staffId;
    const result = await reoptimiseAfterAbsence(rosterInput, { assignments: before }, { staffId: sick, fromMinute: at('fri', '00:00'), toMinute: at('sat', '00:00') });
    if (result.status !== 'optimal' && result.status !== 'feasible') throw new Error(result.status);
    expect(result.report.violations).toEqual([]);
    expect(result.report.gaps).toHaveLength(1);
    expect(result.report.gaps[0]).toMatchObject({ kind: 'people', from: 'Fri 08:00', to: 'Fri 16:00', shortBy: 1 });
    expect(result.report.gaps[0].reasons.join(' ')).toMatch(/unfilled seat.*contract maximum/);
    expect(result.changes).toEqual([{ shiftId: dayShifts[4].id, removed: [sick], added: [] }]);
  });

  it('refuses a roster that does not match the shifts, and unknown people', async () => {
    const rosterInput = input(['a', 'b']);
    const wrong = await reoptimiseAfterAbsence(rosterInput, { assignments: [{ shiftId: 'nope', staffId: 'a' }] }, { staffId: 'a', fromMinute: 0, toMinute: DAY });
    expect(wrong.status).toBe('invalidRoster');
    const nobody = await reoptimiseAfterAbsence(rosterInput, { assignments: [] }, { staffId: 'zz', fromMinute: 0, toMinute: DAY });
    expect(nobody.status).toBe('unknownStaff');
  });

  it('for any absence: the absent person works nothing new in it, the past is untouched and no rule is broken', async () => {
    const shifts: RosterShift[] = [...dayShifts, ...(['mon', 'wed', 'fri'] as const).map((d) => shiftAt(d, '22:00', 8, { count: 2 })), shiftAt('sat', '10:00', 8)];
    const rosterInput: RosterInput = {
      ...hourlyRoster({ shifts, staff: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => person(id, { contract: { minHoursPerWeek: 0, maxHoursPerWeek: 32 } })), required: required(shifts) }),
    };
    const before = await published(rosterInput);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), fc.integer({ min: 0, max: 160 }), fc.integer({ min: 1, max: 72 }), async (staffId, fromHour, hours) => {
        const absence = { staffId, fromMinute: fromHour * 60, toMinute: (fromHour + hours) * 60 };
        const result = await reoptimiseAfterAbsence(rosterInput, { assignments: before }, absence);
        if (result.status !== 'optimal' && result.status !== 'feasible') throw new Error(result.status);
        expect(result.report.violations).toEqual([]);
        const startOf = (id: string) => shifts.find((s) => s.id === id)!.startMinuteOfWeek;
        const endOf = (id: string) => startOf(id) + shifts.find((s) => s.id === id)!.lengthMinutes;
        for (const a of result.assignments.filter((x) => x.staffId === staffId && startOf(x.shiftId) >= absence.fromMinute)) {
          expect(startOf(a.shiftId) >= absence.toMinute || endOf(a.shiftId) <= absence.fromMinute).toBe(true);
        }
        const past = (a: Assignment) => startOf(a.shiftId) < absence.fromMinute;
        expect(result.assignments.filter(past)).toEqual(before.filter(past));
        // Stability: nobody but the absent person loses a shift unless it is to cover one of theirs.
        const removedOthers = result.changes.flatMap((c) => c.removed).filter((id) => id !== staffId);
        expect(removedOthers.length).toBeLessThanOrEqual(result.changes.filter((c) => c.removed.includes(staffId)).length);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
