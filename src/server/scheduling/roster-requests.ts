/**
 * Swap and leave requests judged against a published roster, as pure functions: would the change
 * break a wellness rule, or leave an interval worse covered than it is now? The approval workflow
 * (who asks, who approves, the audit trail) comes later with the database.
 *
 * Only what the change makes worse counts: a roster that already had a gap does not make every
 * request refused, and a request that fixes something is not penalised for it.
 */
import {
  leaveRequestSchema,
  publishedRosterSchema,
  rosterInputSchema,
  swapRequestSchema,
  type Assignment,
  type DebriefBlock,
  type LeaveRequest,
  type PublishedRoster,
  type RosterInput,
  type SwapRequest,
} from '../../shared/scheduling/roster-schemas.js';
import { checkRoster, type GapKind, type IntervalCoverage, type RosterReport, type RuleViolation } from './roster-check.js';
import { prepareParsedRoster, type RosterProblem } from './roster-problem.js';
import { withExtraLeave } from './roster-reoptimise.js';
import { daysFrom, describeWeekMinute, MINUTES_PER_DAY } from './roster-time.js';

export interface CoverageLoss {
  readonly interval: number;
  readonly at: string;
  readonly kind: GapKind;
  readonly skill?: string;
  readonly shortBefore: number;
  readonly shortAfter: number;
}

export type RequestCheck =
  | {
      readonly status: 'checked';
      /** True when the change breaks no rule and loses no coverage. */
      readonly isAllowed: boolean;
      readonly newViolations: readonly RuleViolation[];
      readonly coverageLosses: readonly CoverageLoss[];
      /** The roster as it would be. */
      readonly assignments: readonly Assignment[];
      readonly debriefs: readonly DebriefBlock[];
      /** Shifts the request takes someone off. */
      readonly affectedShifts: readonly string[];
    }
  | { readonly status: 'invalidRequest'; readonly message: string };

export function checkSwapRequest(rawInput: RosterInput, rawPublished: PublishedRoster, rawSwap: SwapRequest): RequestCheck {
  const problem = prepareParsedRoster(rosterInputSchema.parse(rawInput));
  const published = publishedRosterSchema.parse(rawPublished);
  const swap = swapRequestSchema.parse(rawSwap);
  const has = (staffId: string, shiftId: string) => published.assignments.some((a) => a.staffId === staffId && a.shiftId === shiftId);
  for (const id of swap.kind === 'exchange' ? [swap.staffA, swap.staffB] : [swap.fromStaff, swap.toStaff]) {
    if (!problem.staffById.has(id)) return { status: 'invalidRequest', message: `no staff member "${id}"` };
  }
  // moves: [shiftId, from, to]
  let moves: [string, string, string][];
  if (swap.kind === 'exchange') {
    if (!has(swap.staffA, swap.shiftA)) return { status: 'invalidRequest', message: `${swap.staffA} is not on ${swap.shiftA}` };
    if (!has(swap.staffB, swap.shiftB)) return { status: 'invalidRequest', message: `${swap.staffB} is not on ${swap.shiftB}` };
    if (swap.staffA === swap.staffB || swap.shiftA === swap.shiftB) return { status: 'invalidRequest', message: 'an exchange needs two people and two shifts' };
    if (has(swap.staffA, swap.shiftB) || has(swap.staffB, swap.shiftA)) return { status: 'invalidRequest', message: 'one of them already works the other shift' };
    moves = [[swap.shiftA, swap.staffA, swap.staffB], [swap.shiftB, swap.staffB, swap.staffA]];
  } else {
    if (!has(swap.fromStaff, swap.shiftId)) return { status: 'invalidRequest', message: `${swap.fromStaff} is not on ${swap.shiftId}` };
    if (has(swap.toStaff, swap.shiftId)) return { status: 'invalidRequest', message: `${swap.toStaff} already works ${swap.shiftId}` };
    moves = [[swap.shiftId, swap.fromStaff, swap.toStaff]];
  }
  const move = <T extends { shiftId: string; staffId: string }>(item: T): T => {
    const m = moves.find(([shiftId, from]) => item.shiftId === shiftId && item.staffId === from);
    return m ? { ...item, staffId: m[2] } : item;
  };
  const after = { assignments: published.assignments.map(move), debriefs: published.debriefs.map(move) };
  return compare(problem, problem, published, after, moves.map(([shiftId]) => shiftId));
}

/** Leave from `from` to `to` (whole local dates): the person comes off every shift that overlaps it, and nobody replaces them. */
export function checkLeaveRequest(rawInput: RosterInput, rawPublished: PublishedRoster, rawRequest: LeaveRequest): RequestCheck {
  const problem = prepareParsedRoster(rosterInputSchema.parse(rawInput));
  const published = publishedRosterSchema.parse(rawPublished);
  const request = leaveRequestSchema.parse(rawRequest);
  const person = problem.staffById.get(request.staffId);
  if (!person) return { status: 'invalidRequest', message: `no staff member "${request.staffId}"` };
  const range = [daysFrom(problem.input.weekStart, request.leave.from) * MINUTES_PER_DAY, (daysFrom(problem.input.weekStart, request.leave.to) + 1) * MINUTES_PER_DAY] as const;
  const withLeave = withExtraLeave(problem, person, range);
  const affected = published.assignments
    .filter((a) => a.staffId === request.staffId)
    .map((a) => problem.shiftById.get(a.shiftId))
    .filter((s) => s !== undefined && s.start < range[1] && range[0] < s.end)
    .map((s) => s!.id);
  const after = {
    assignments: published.assignments.filter((a) => !(a.staffId === request.staffId && affected.includes(a.shiftId))),
    debriefs: published.debriefs.filter((d) => !(d.staffId === request.staffId && affected.includes(d.shiftId))),
  };
  return compare(problem, withLeave, published, after, affected);
}

function compare(
  before: RosterProblem,
  afterProblem: RosterProblem,
  published: { assignments: readonly Assignment[]; debriefs: readonly DebriefBlock[] },
  after: { assignments: Assignment[]; debriefs: DebriefBlock[] },
  affectedShifts: readonly string[],
): RequestCheck {
  const reportBefore = checkRoster(before, published);
  const reportAfter = checkRoster(afterProblem, after);
  const known = new Set(reportBefore.violations.map(violationKey));
  const newViolations = reportAfter.violations.filter((v) => !known.has(violationKey(v)));
  const coverageLosses = losses(before, reportBefore, reportAfter);
  return {
    status: 'checked',
    isAllowed: newViolations.length === 0 && coverageLosses.length === 0,
    newViolations,
    coverageLosses,
    assignments: after.assignments,
    debriefs: after.debriefs,
    affectedShifts,
  };
}

function violationKey(v: RuleViolation): string {
  return [v.rule, v.staffId ?? '', (v.shiftIds ?? []).join(','), v.interval ?? ''].join('|');
}

function losses(problem: RosterProblem, before: RosterReport, after: RosterReport): CoverageLoss[] {
  const result: CoverageLoss[] = [];
  const shortfalls = (c: IntervalCoverage): { kind: GapKind; skill?: string; short: number }[] => [
    { kind: 'people', short: Math.max(0, c.required - c.available, c.required + problem.debriefLoad[c.interval] - c.onDuty) },
    { kind: 'supervisor', short: Math.max(0, c.supervisorsRequired - c.supervisors) },
    { kind: 'debrief', short: Math.max(0, problem.debriefLoad[c.interval] - c.debriefing) },
    ...Object.entries(c.skills).map(([skill, s]) => ({ kind: 'skill' as const, skill, short: Math.max(0, s.needed - s.rostered) })),
  ];
  for (let t = 0; t < problem.intervalCount; t++) {
    const b = shortfalls(before.coverage[t]);
    const a = shortfalls(after.coverage[t]);
    a.forEach((entry, k) => {
      if (entry.short > b[k].short) {
        result.push({ interval: t, at: describeWeekMinute(t * problem.step), kind: entry.kind, ...(entry.skill ? { skill: entry.skill } : {}), shortBefore: b[k].short, shortAfter: entry.short });
      }
    });
  }
  return result;
}
