/**
 * The independent check of a roster: every hard rule, coverage per interval, gaps with their
 * reasons, unfilled shifts with why nobody could take them, contract shortfalls. The optimiser's
 * output goes through this before it is returned, and swap and leave requests are judged by it, so
 * there is one definition of "breaks a rule".
 */
import type { Assignment, DebriefBlock } from '../../shared/scheduling/roster-schemas.js';
import { hasSkill, isNightSupervisor, overlaps, type PreparedShift, type PreparedStaff, type RosterProblem } from './roster-problem.js';
import { describeWeekMinute, MINUTES_PER_DAY } from './roster-time.js';

export type RuleCode =
  | 'unknownShift'
  | 'unknownStaff'
  | 'duplicateAssignment'
  | 'overfilledShift'
  | 'leave'
  | 'unavailable'
  | 'overlap'
  | 'rest'
  | 'consecutiveDays'
  | 'nightShiftsPerWeek'
  | 'consecutiveNights'
  | 'contractMax'
  | 'aloneAtNight'
  | 'nightSupervisor'
  | 'debrief';

export interface RuleViolation {
  readonly rule: RuleCode;
  readonly staffId?: string;
  readonly shiftIds?: readonly string[];
  readonly interval?: number;
  readonly message: string;
}

export interface IntervalCoverage {
  readonly interval: number;
  /** People needed on duty for contacts (debrief time comes on top). */
  readonly required: number;
  readonly debriefing: number;
  /** Rostered, present and not on a break. */
  readonly onDuty: number;
  /** Rostered and present, breaks included (whether the night floor applies; its minimum counts `onDuty`). */
  readonly onShift: number;
  /** onDuty − debriefing: the people answering contacts. */
  readonly available: number;
  readonly supervisorsRequired: number;
  readonly supervisors: number;
  readonly skills: Readonly<Record<string, { readonly needed: number; readonly rostered: number }>>;
}

export type GapKind = 'people' | 'supervisor' | 'skill' | 'debrief';

export interface CoverageGap {
  readonly kind: GapKind;
  readonly skill?: string;
  /** First and last interval of a run of consecutive short intervals. */
  readonly fromInterval: number;
  readonly toInterval: number;
  readonly from: string;
  readonly to: string;
  /** The largest shortfall in the run, in people. */
  readonly shortBy: number;
  readonly shortPersonHours: number;
  readonly reasons: readonly string[];
}

export type IneligibleReason = RuleCode | 'notChosen';

export interface UnfilledShift {
  readonly shiftId: string;
  readonly unfilledSeats: number;
  /** For everyone not on this shift: the first rule that stops them taking it. */
  readonly whyNotStaff: Readonly<Partial<Record<IneligibleReason, number>>>;
}

export interface ContractShortfall {
  readonly staffId: string;
  readonly rosteredHours: number;
  /** The contract minimum, reduced pro rata for days of leave in the week. */
  readonly minimumHours: number;
  readonly shortHours: number;
}

export interface StaffSummary {
  readonly staffId: string;
  readonly shifts: number;
  readonly paidHours: number;
  readonly nightShifts: number;
  readonly weekendShifts: number;
}

export interface RosterReport {
  readonly violations: readonly RuleViolation[];
  readonly coverage: readonly IntervalCoverage[];
  readonly gaps: readonly CoverageGap[];
  readonly unfilledShifts: readonly UnfilledShift[];
  readonly contractShortfalls: readonly ContractShortfall[];
  readonly staffSummary: readonly StaffSummary[];
  readonly totals: {
    readonly requiredPersonHours: number;
    readonly rosteredPaidHours: number;
    readonly shortPersonHours: number;
    readonly filledSeats: number;
    readonly seats: number;
  };
}

/** The hard rules for one person's shifts (structure and the night floor are checked roster-wide). */
export function personViolations(problem: RosterProblem, person: PreparedStaff, shifts: readonly PreparedShift[]): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const staffId = person.data.id;
  const { rules } = problem.input;
  const sorted = [...shifts].sort((a, b) => a.startInstant - b.startInstant || a.index - b.index);
  for (const s of sorted) {
    if (person.leaveRanges.some((r) => overlaps(r, s.start, s.end))) violations.push({ rule: 'leave', staffId, shiftIds: [s.id], message: `${staffId} is on leave during ${s.id}` });
    if (person.unavailableRanges.some((r) => overlaps(r, s.start, s.end))) violations.push({ rule: 'unavailable', staffId, shiftIds: [s.id], message: `${staffId} is unavailable during ${s.id}` });
  }
  if (sorted.length > 0 && person.lastShiftEndInstant !== undefined) {
    const restMs = sorted[0].startInstant - person.lastShiftEndInstant;
    if (restMs < problem.restMs) {
      violations.push({ rule: restMs < 0 ? 'overlap' : 'rest', staffId, shiftIds: [sorted[0].id], message: `${staffId} has ${(restMs / 3_600_000).toFixed(1)} h rest after last week's shift before ${sorted[0].id} (minimum ${rules.minRestHours} h)` });
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const restMs = sorted[i].startInstant - sorted[i - 1].endInstant;
    if (restMs < 0) violations.push({ rule: 'overlap', staffId, shiftIds: [sorted[i - 1].id, sorted[i].id], message: `${staffId} is on two shifts at once: ${sorted[i - 1].id} and ${sorted[i].id}` });
    else if (restMs < problem.restMs) {
      violations.push({ rule: 'rest', staffId, shiftIds: [sorted[i - 1].id, sorted[i].id], message: `${staffId} has ${(restMs / 3_600_000).toFixed(1)} h rest between ${sorted[i - 1].id} and ${sorted[i].id} (minimum ${rules.minRestHours} h)` });
    }
  }
  const hours = sorted.reduce((sum, s) => sum + s.paidHours, 0);
  if (hours > person.data.contract.maxHoursPerWeek + 1e-9) {
    violations.push({ rule: 'contractMax', staffId, message: `${staffId} is rostered ${hours} h, above the contract maximum of ${person.data.contract.maxHoursPerWeek} h` });
  }
  const dayRun = longestRun(new Set(sorted.map((s) => s.day)), person.data.history.consecutiveDaysWorked);
  if (dayRun > rules.maxConsecutiveWorkingDays) {
    violations.push({ rule: 'consecutiveDays', staffId, message: `${staffId} works ${dayRun} days in a row (maximum ${rules.maxConsecutiveWorkingDays})` });
  }
  const nights = sorted.filter((s) => s.isNight);
  if (nights.length > rules.maxNightShiftsPerWeek) {
    violations.push({ rule: 'nightShiftsPerWeek', staffId, shiftIds: nights.map((s) => s.id), message: `${staffId} has ${nights.length} night shifts this week (maximum ${rules.maxNightShiftsPerWeek})` });
  }
  const nightRun = longestRun(new Set(nights.map((s) => s.day)), person.data.history.consecutiveNightShifts);
  if (nightRun > rules.maxConsecutiveNightShifts) {
    violations.push({ rule: 'consecutiveNights', staffId, message: `${staffId} works ${nightRun} nights in a row (maximum ${rules.maxConsecutiveNightShifts})` });
  }
  return violations;
}

/**
 * The longest run of consecutive working days that includes a day of this week; a streak of
 * `historyDays` that ended last Sunday continues into Monday.
 */
function longestRun(days: ReadonlySet<number>, historyDays: number): number {
  let best = 0;
  let run = historyDays;
  for (let d = 0; d < 7; d++) {
    if (days.has(d)) {
      run++;
      best = Math.max(best, run);
    } else run = 0;
  }
  return best;
}

export function checkRoster(problem: RosterProblem, roster: { readonly assignments: readonly Assignment[]; readonly debriefs?: readonly DebriefBlock[] }): RosterReport {
  const n = problem.intervalCount;
  const hoursPerInterval = problem.step / 60;
  const violations: RuleViolation[] = [];

  const shiftsByStaff = new Map<string, PreparedShift[]>();
  const staffByShift = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const a of roster.assignments) {
    const shift = problem.shiftById.get(a.shiftId);
    const person = problem.staffById.get(a.staffId);
    if (!shift) violations.push({ rule: 'unknownShift', staffId: a.staffId, shiftIds: [a.shiftId], message: `no shift "${a.shiftId}"` });
    if (!person) violations.push({ rule: 'unknownStaff', staffId: a.staffId, message: `no staff member "${a.staffId}"` });
    if (!shift || !person) continue;
    const key = `${a.shiftId}\u0000${a.staffId}`;
    if (seen.has(key)) {
      violations.push({ rule: 'duplicateAssignment', staffId: a.staffId, shiftIds: [a.shiftId], message: `${a.staffId} is assigned to ${a.shiftId} twice` });
      continue;
    }
    seen.add(key);
    shiftsByStaff.set(a.staffId, [...(shiftsByStaff.get(a.staffId) ?? []), shift]);
    staffByShift.set(a.shiftId, [...(staffByShift.get(a.shiftId) ?? []), a.staffId]);
  }
  for (const shift of problem.shifts) {
    const people = staffByShift.get(shift.id)?.length ?? 0;
    if (people > shift.count) violations.push({ rule: 'overfilledShift', shiftIds: [shift.id], message: `${shift.id} has ${people} people for ${shift.count} seat(s)` });
  }
  for (const person of problem.staff) violations.push(...personViolations(problem, person, shiftsByStaff.get(person.data.id) ?? []));

  // Who is where, per interval.
  const onDuty = new Array<number>(n).fill(0);
  const onShift = new Array<number>(n).fill(0);
  const supervisors = new Array<number>(n).fill(0);
  const nightSupervisors = new Array<number>(n).fill(0);
  const skillCounts = problem.skillNeeds.map(() => new Array<number>(n).fill(0));
  for (const [staffId, shifts] of shiftsByStaff) {
    const person = problem.staffById.get(staffId)!.data;
    const isSupervisor = person.skills.supervisor === 'full';
    const countsAtNight = isNightSupervisor(problem, person);
    for (const s of shifts) {
      for (const t of s.onShiftIntervals) {
        onShift[t]++;
        if (countsAtNight) nightSupervisors[t]++;
      }
      for (const t of s.onDutyIntervals) {
        onDuty[t]++;
        if (isSupervisor) supervisors[t]++;
        problem.skillNeeds.forEach((need, k) => {
          if (hasSkill(person, need.skill)) skillCounts[k][t]++;
        });
      }
    }
  }
  const floor = problem.input.rules.nightFloor;
  for (let t = 0; t < n; t++) {
    if (!problem.isNightFloorInterval[t] || onShift[t] === 0) continue;
    // Counted without people on a break: two on shift with one on a break leave the other alone.
    if (onDuty[t] < floor.minimumPeople) {
      violations.push({ rule: 'aloneAtNight', interval: t, message: `${onDuty[t]} of ${onShift[t]} on shift on duty (not on a break) at ${describeWeekMinute(t * problem.step)} (night floor: at least ${floor.minimumPeople})` });
    }
    if (floor.supervisor !== 'none' && nightSupervisors[t] === 0) {
      violations.push({ rule: 'nightSupervisor', interval: t, message: `no ${floor.supervisor === 'full' ? 'supervisor' : 'supervisor or on-call supervisor'} on shift at ${describeWeekMinute(t * problem.step)}` });
    }
  }

  const debriefing = new Array<number>(n).fill(0);
  const debriefIntervalsByStaff = new Map<string, Set<number>>();
  for (const d of roster.debriefs ?? []) {
    const shift = problem.shiftById.get(d.shiftId);
    const assigned = staffByShift.get(d.shiftId)?.includes(d.staffId) ?? false;
    const end = d.startMinuteOfWeek + d.lengthMinutes;
    const inShift = shift !== undefined && d.startMinuteOfWeek >= shift.start && end <= shift.end;
    const onBreak = shift?.breaks.some((b) => d.startMinuteOfWeek < b.startMinuteOfWeek + b.lengthMinutes && b.startMinuteOfWeek < end) ?? false;
    if (!shift || !assigned || !inShift || onBreak) {
      violations.push({ rule: 'debrief', staffId: d.staffId, shiftIds: [d.shiftId], message: `the debrief block at ${describeWeekMinute(d.startMinuteOfWeek)} is not inside ${d.staffId}'s working time on ${d.shiftId}` });
      continue;
    }
    const mine = debriefIntervalsByStaff.get(d.staffId) ?? new Set<number>();
    for (let m = d.startMinuteOfWeek; m < end; m += problem.step) {
      const t = (m / problem.step) % n;
      if (mine.has(t)) violations.push({ rule: 'debrief', staffId: d.staffId, interval: t, message: `${d.staffId} has two debrief blocks at ${describeWeekMinute(t * problem.step)}` });
      mine.add(t);
      debriefing[t]++;
    }
    debriefIntervalsByStaff.set(d.staffId, mine);
  }

  const coverage: IntervalCoverage[] = [];
  for (let t = 0; t < n; t++) {
    const skills: Record<string, { needed: number; rostered: number }> = {};
    problem.skillNeeds.forEach((need, k) => {
      const prior = skills[need.skill];
      // Two needs for the same skill: the larger minimum applies.
      skills[need.skill] = { needed: Math.max(prior?.needed ?? 0, need.perInterval[t]), rostered: skillCounts[k][t] };
    });
    coverage.push({
      interval: t,
      required: problem.required[t],
      debriefing: debriefing[t],
      onDuty: onDuty[t],
      onShift: onShift[t],
      available: onDuty[t] - debriefing[t],
      supervisorsRequired: problem.supervisorsRequired[t],
      supervisors: supervisors[t],
      skills,
    });
  }

  const unfilledShifts = problem.shifts
    .filter((s) => (staffByShift.get(s.id)?.length ?? 0) < s.count)
    .map((s) => ({ shiftId: s.id, unfilledSeats: s.count - (staffByShift.get(s.id)?.length ?? 0), whyNotStaff: whyNobodyTook(problem, s, shiftsByStaff, staffByShift.get(s.id) ?? []) }));
  const gaps = findGaps(problem, coverage, unfilledShifts, shiftsByStaff);

  const staffSummary = problem.staff.map((p) => {
    const shifts = shiftsByStaff.get(p.data.id) ?? [];
    return {
      staffId: p.data.id,
      shifts: shifts.length,
      paidHours: shifts.reduce((sum, s) => sum + s.paidHours, 0),
      nightShifts: shifts.filter((s) => s.isNight).length,
      weekendShifts: shifts.filter((s) => s.isWeekend).length,
    };
  });
  const contractShortfalls = problem.staff.flatMap((p) => {
    const minimumHours = effectiveMinimumHours(p);
    const rosteredHours = staffSummary[p.index].paidHours;
    return rosteredHours + 1e-9 < minimumHours ? [{ staffId: p.data.id, rosteredHours, minimumHours, shortHours: minimumHours - rosteredHours }] : [];
  });

  return {
    violations,
    coverage,
    gaps,
    unfilledShifts,
    contractShortfalls,
    staffSummary,
    totals: {
      requiredPersonHours: problem.required.reduce((a, b) => a + b, 0) * hoursPerInterval,
      rosteredPaidHours: staffSummary.reduce((sum, s) => sum + s.paidHours, 0),
      shortPersonHours: coverage.reduce((sum, c) => sum + Math.max(0, c.required - c.available), 0) * hoursPerInterval,
      filledSeats: [...staffByShift.values()].reduce((sum, people) => sum + people.length, 0),
      seats: problem.shifts.reduce((sum, s) => sum + s.count, 0),
    },
  };
}

/** The contract minimum less a seventh for each day of leave this week. */
export function effectiveMinimumHours(person: PreparedStaff): number {
  let leaveDays = 0;
  for (let d = 0; d < 7; d++) if (person.leaveRanges.some((r) => overlaps(r, d * MINUTES_PER_DAY, (d + 1) * MINUTES_PER_DAY))) leaveDays++;
  return (person.data.contract.minHoursPerWeek * (7 - leaveDays)) / 7;
}

/** The first rule that stops `person` taking `shift` on top of what they already work, or null. */
export function whyCannotTake(problem: RosterProblem, person: PreparedStaff, current: readonly PreparedShift[], shift: PreparedShift): RuleCode | null {
  if (current.some((s) => s.id === shift.id)) return 'duplicateAssignment';
  const before = new Set(personViolations(problem, person, current).map((v) => v.rule));
  const after = personViolations(problem, person, [...current, shift]);
  const order: RuleCode[] = ['leave', 'unavailable', 'overlap', 'rest', 'contractMax', 'consecutiveDays', 'nightShiftsPerWeek', 'consecutiveNights'];
  for (const rule of order) if (after.some((v) => v.rule === rule) && !before.has(rule)) return rule;
  return null;
}

function whyNobodyTook(problem: RosterProblem, shift: PreparedShift, shiftsByStaff: ReadonlyMap<string, PreparedShift[]>, onIt: readonly string[]): Partial<Record<IneligibleReason, number>> {
  const counts: Partial<Record<IneligibleReason, number>> = {};
  for (const person of problem.staff) {
    if (onIt.includes(person.data.id)) continue;
    const reason = whyCannotTake(problem, person, shiftsByStaff.get(person.data.id) ?? [], shift) ?? 'notChosen';
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

const REASON_TEXT: Record<IneligibleReason, string> = {
  unknownShift: 'unknown shift',
  unknownStaff: 'unknown staff',
  duplicateAssignment: 'already on it',
  overfilledShift: 'full',
  leave: 'on leave',
  unavailable: 'unavailable',
  overlap: 'on another shift',
  rest: 'would get under the minimum rest',
  consecutiveDays: 'would work too many days in a row',
  nightShiftsPerWeek: 'at the weekly night limit',
  consecutiveNights: 'would work too many nights in a row',
  contractMax: 'at the contract maximum',
  aloneAtNight: 'would leave someone alone at night',
  nightSupervisor: 'no night supervisor',
  debrief: 'debrief',
  notChosen: 'free but not chosen (taking it would break the night floor or cost more elsewhere)',
};

export function describeWhyNot(counts: Partial<Record<IneligibleReason, number>>): string {
  const parts = Object.entries(counts)
    .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || (a < b ? -1 : 1))
    .map(([reason, count]) => `${count} ${REASON_TEXT[reason as IneligibleReason]}`);
  return parts.length > 0 ? parts.join(', ') : 'no staff at all';
}

function findGaps(problem: RosterProblem, coverage: readonly IntervalCoverage[], unfilled: readonly UnfilledShift[], shiftsByStaff: ReadonlyMap<string, PreparedShift[]>): CoverageGap[] {
  const n = problem.intervalCount;
  const kinds: { kind: GapKind; skill?: string; short: (c: IntervalCoverage) => number }[] = [
    { kind: 'people', short: (c) => Math.max(0, c.required + problem.debriefLoad[c.interval] - c.onDuty, c.required - c.available) },
    { kind: 'supervisor', short: (c) => Math.max(0, c.supervisorsRequired - c.supervisors) },
    { kind: 'debrief', short: (c) => Math.max(0, problem.debriefLoad[c.interval] - c.debriefing) },
    ...[...new Set(problem.skillNeeds.map((s) => s.skill))].map((skill) => ({ kind: 'skill' as const, skill, short: (c: IntervalCoverage) => Math.max(0, c.skills[skill].needed - c.skills[skill].rostered) })),
  ];
  const seatCapacity = new Array<number>(n).fill(0);
  for (const s of problem.shifts) for (const t of s.onDutyIntervals) seatCapacity[t] += s.count;
  const unfilledById = new Map(unfilled.map((u) => [u.shiftId, u]));

  const gaps: CoverageGap[] = [];
  for (const { kind, skill, short } of kinds) {
    let t = 0;
    while (t < n) {
      if (short(coverage[t]) === 0) {
        t++;
        continue;
      }
      const from = t;
      let shortBy = 0;
      let shortSum = 0;
      while (t < n && short(coverage[t]) > 0) {
        shortBy = Math.max(shortBy, short(coverage[t]));
        shortSum += short(coverage[t]);
        t++;
      }
      const to = t - 1;
      gaps.push({
        kind,
        ...(skill ? { skill } : {}),
        fromInterval: from,
        toInterval: to,
        from: describeWeekMinute(from * problem.step),
        to: describeWeekMinute((to + 1) * problem.step),
        shortBy,
        shortPersonHours: (shortSum * problem.step) / 60,
        reasons: gapReasons(problem, kind, skill, from, to, coverage, seatCapacity, unfilledById, shiftsByStaff),
      });
    }
  }
  return gaps;
}

function gapReasons(
  problem: RosterProblem,
  kind: GapKind,
  skill: string | undefined,
  from: number,
  to: number,
  coverage: readonly IntervalCoverage[],
  seatCapacity: readonly number[],
  unfilledById: ReadonlyMap<string, UnfilledShift>,
  shiftsByStaff: ReadonlyMap<string, PreparedShift[]>,
): string[] {
  const reasons: string[] = [];
  const range = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  if (kind === 'people' || kind === 'debrief') {
    const lacking = range.filter((t) => seatCapacity[t] < problem.required[t] + problem.debriefLoad[t]);
    if (lacking.length > 0) {
      reasons.push(`the shifts given provide fewer seats than needed in ${lacking.length} interval(s) from ${describeWeekMinute(lacking[0] * problem.step)}: add shifts or re-run the shift covering`);
    }
    const covering = problem.shifts.filter((s) => unfilledById.has(s.id) && s.onDutyIntervals.some((t) => t >= from && t <= to));
    for (const s of covering) {
      const u = unfilledById.get(s.id)!;
      reasons.push(`${u.unfilledSeats} unfilled seat(s) on ${s.id}: ${describeWhyNot(u.whyNotStaff)}`);
    }
    if (range.some((t) => problem.isNightFloorInterval[t] && coverage[t].onShift === 0)) {
      reasons.push(`left empty at night rather than leave one person alone (night floor: ${problem.input.rules.nightFloor.minimumPeople} people${problem.input.rules.nightFloor.supervisor === 'none' ? '' : ' including a supervisor'})`);
    }
    if (kind === 'debrief') reasons.push('nobody on duty in the crisis interval could take the debrief block in the next one');
  } else {
    const wanted = kind === 'supervisor' ? 'supervisor' : skill!;
    const holders = problem.staff.filter((p) => hasSkill(p.data, wanted));
    if (holders.length === 0) reasons.push(`no staff member has ${wanted}`);
    else {
      const t = from;
      const minute = t * problem.step;
      const counts: Record<string, number> = {};
      for (const p of holders) {
        const minuteRange = [minute, minute + problem.step] as const;
        const mine = shiftsByStaff.get(p.data.id) ?? [];
        const why = p.leaveRanges.some((r) => overlaps(r, minuteRange[0], minuteRange[1]))
          ? 'on leave'
          : p.unavailableRanges.some((r) => overlaps(r, minuteRange[0], minuteRange[1]))
            ? 'unavailable'
            : mine.some((s) => s.onShiftIntervals.includes(t))
              ? 'on a break then'
              : mine.length > 0
                ? 'rostered on other shifts'
                : 'not rostered';
        counts[why] = (counts[why] ?? 0) + 1;
      }
      reasons.push(`${holders.length} staff have ${wanted}; at ${describeWeekMinute(minute)}: ${Object.entries(counts).map(([why, c]) => `${c} ${why}`).join(', ')}`);
    }
  }
  if (reasons.length === 0) reasons.push('the optimiser could not staff it within the rules (see unfilled shifts)');
  return reasons;
}
