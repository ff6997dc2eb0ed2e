/**
 * The whole chain for one week: requirement (+ debrief time) → shift covering → named assignment.
 * The covering ILP sees the debrief load on top of the requirement, so the seats it opens leave room
 * for the debrief blocks the assignment then reserves.
 */
import { z } from 'zod';
import { rosterInputSchema, type RosterInput } from '../../shared/scheduling/roster-schemas.js';
import { shiftPatternSchema } from '../../shared/scheduling/schemas.js';
import { assertNoViolations, solveAssignment, type RosterResult } from './roster-assign.js';
import { prepareParsedRoster } from './roster-problem.js';
import { solveShiftCovering, type ShiftCoveringResult } from './shift-covering.js';

export const planRosterInputSchema = z.object({
  /** A roster input without `shifts`: the covering chooses them. Validated by `rosterInputSchema`. */
  roster: z.record(z.string(), z.unknown()).refine((r) => r.shifts === undefined, 'the shifts come from the covering; leave `shifts` out'),
  patterns: z.array(shiftPatternSchema).min(1).max(50),
  covering: z
    .object({ timeLimitSeconds: z.number().positive().max(3600).default(20), relativeGap: z.number().min(0).max(0.5).default(0.01) })
    .prefault({}),
});
export type PlanRosterInput = Omit<z.input<typeof planRosterInputSchema>, 'roster'> & { roster: Omit<RosterInput, 'shifts'> };

export type PlanRosterResult =
  | { readonly status: 'planned'; readonly covering: Extract<ShiftCoveringResult, { status: 'optimal' | 'feasible' }>; readonly roster: RosterResult }
  | { readonly status: 'uncoverable' | 'noSolution'; readonly covering: ShiftCoveringResult; readonly message: string };

export async function planRoster(raw: PlanRosterInput): Promise<PlanRosterResult> {
  const plan = planRosterInputSchema.parse(raw);
  // Validate the roster part with its cross-field rules, then compute the debrief load once.
  const rosterWithoutShifts = rosterInputSchema.parse({ ...plan.roster, shifts: [] });
  const withoutShifts = prepareParsedRoster(rosterWithoutShifts);
  const covering = await solveShiftCovering({
    intervalMinutes: rosterWithoutShifts.intervalMinutes,
    required: withoutShifts.required.map((r, t) => r + withoutShifts.debriefLoad[t]),
    supervisorsRequired: rosterWithoutShifts.supervisorsRequired,
    patterns: raw.patterns,
    timeLimitSeconds: plan.covering.timeLimitSeconds,
    relativeGap: plan.covering.relativeGap,
  });
  if (covering.status === 'uncoverable' || covering.status === 'noSolution') return { status: covering.status, covering, message: covering.message };
  const problem = prepareParsedRoster(rosterInputSchema.parse({ ...plan.roster, shifts: covering.shifts.map(({ patternId, startMinuteOfWeek, lengthMinutes, breaks, paidHours, count }) => ({ patternId, startMinuteOfWeek, lengthMinutes, breaks, paidHours, count })) }));
  const roster = await solveAssignment(problem);
  assertNoViolations(roster.report.violations);
  return { status: 'planned', covering, roster };
}
