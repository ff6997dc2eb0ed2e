/**
 * Someone calls in sick: a new roster that changes as little of the published one as possible.
 *
 * - The absent person cannot work from `fromMinute` to `toMinute` (treated as leave).
 * - Shifts that started before `fromMinute` are history: frozen as published, including the absent
 *   person's shift under way, which is reported in `inProgress` for the supervisor to handle
 *   intraday (the rest of it is not this model's business).
 * - Every other published pair costs `removePublished` to drop and every new pair `addToPublished`
 *   to add, on top of the usual objective, so the optimiser fills the gap with the fewest moves.
 * - The night floor keeps a (huge-cost) slack, because the frozen past could force someone to be
 *   alone; if that happens it is reported as a violation, never hidden.
 */
import { absenceSchema, publishedRosterSchema, rosterInputSchema, type Absence, type Assignment, type PublishedRoster, type RosterInput } from '../../shared/scheduling/roster-schemas.js';
import { checkRoster, type RuleViolation } from './roster-check.js';
import { pairKey, solveAssignment, type RosterResult } from './roster-assign.js';
import { compareIds, prepareParsedRoster, type PreparedStaff, type RosterProblem } from './roster-problem.js';

export interface RosterChange {
  readonly shiftId: string;
  /** People taken off this shift, and people put on it. */
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

export type ReoptimiseResult =
  | (RosterResult & {
      readonly status: 'optimal' | 'feasible';
      readonly changes: readonly RosterChange[];
      /** How many people's shifts changed, the absent person excluded. */
      readonly othersAffected: number;
      /** The absent person's shifts that had already started: kept, to be handled intraday. */
      readonly inProgress: readonly string[];
    })
  | { readonly status: 'invalidRoster'; readonly violations: readonly RuleViolation[]; readonly message: string }
  | { readonly status: 'unknownStaff'; readonly message: string };

export async function reoptimiseAfterAbsence(rawInput: RosterInput, rawPublished: PublishedRoster, rawAbsence: Absence): Promise<ReoptimiseResult> {
  const problem = prepareParsedRoster(rosterInputSchema.parse(rawInput));
  const published = publishedRosterSchema.parse(rawPublished);
  const absence = absenceSchema.parse(rawAbsence);
  const absent = problem.staffById.get(absence.staffId);
  if (!absent) return { status: 'unknownStaff', message: `no staff member "${absence.staffId}"` };
  const structural = checkRoster(problem, published).violations.filter((v) => ['unknownShift', 'unknownStaff', 'duplicateAssignment', 'overfilledShift'].includes(v.rule));
  if (structural.length > 0) return { status: 'invalidRoster', violations: structural, message: 'the published roster does not match these shifts and staff' };

  const frozenShiftIds = new Set(problem.shifts.filter((s) => s.start < absence.fromMinute).map((s) => s.id));
  const fixed = published.assignments.filter((a) => frozenShiftIds.has(a.shiftId));
  const inProgress = fixed
    .filter((a) => a.staffId === absent.data.id)
    .map((a) => problem.shiftById.get(a.shiftId)!)
    .filter((s) => s.end > absence.fromMinute)
    .map((s) => s.id);
  const workedUntil = Math.max(absence.fromMinute, ...inProgress.map((id) => problem.shiftById.get(id)!.end));
  const withAbsence = withExtraLeave(problem, absent, [workedUntil, Math.max(workedUntil, absence.toMinute)]);

  const result = await solveAssignment(withAbsence, { fixed, frozenShiftIds, published: published.assignments, allowFloorSlack: true });
  const changes = diff(problem, published.assignments, result.assignments);
  const others = new Set(changes.flatMap((c) => [...c.removed, ...c.added]).filter((id) => id !== absent.data.id));
  return { ...result, changes, othersAffected: others.size, inProgress };
}

/** The same problem with one more leave range for one person (minutes after Monday 00:00). */
export function withExtraLeave(problem: RosterProblem, person: PreparedStaff, range: readonly [number, number]): RosterProblem {
  if (range[1] <= range[0]) return problem;
  const updated: PreparedStaff = { ...person, leaveRanges: [...person.leaveRanges, range] };
  const staff = problem.staff.map((p) => (p.index === person.index ? updated : p));
  return { ...problem, staff, staffById: new Map(staff.map((p) => [p.data.id, p])) };
}

export function diff(problem: RosterProblem, before: readonly Assignment[], after: readonly Assignment[]): RosterChange[] {
  const beforeKeys = new Set(before.map(pairKey));
  const afterKeys = new Set(after.map(pairKey));
  const changes: RosterChange[] = [];
  for (const shift of problem.shifts) {
    const removed = before.filter((a) => a.shiftId === shift.id && !afterKeys.has(pairKey(a))).map((a) => a.staffId).sort(compareIds);
    const added = after.filter((a) => a.shiftId === shift.id && !beforeKeys.has(pairKey(a))).map((a) => a.staffId).sort(compareIds);
    if (removed.length > 0 || added.length > 0) changes.push({ shiftId: shift.id, removed, added });
  }
  return changes;
}
