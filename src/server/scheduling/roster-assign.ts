/**
 * Assignment of named staff to shifts: an integer programme solved with HiGHS, then re-checked.
 *
 * Variables: x[s,j] ∈ {0,1} for each person s and shift j that s could work on their own (leave,
 * availability, rest after last week, contract, history); slacks for coverage, supervisors and
 * skills (never a silent under-coverage: each is reported as a gap); z_t ∈ {0,1} "someone is on
 * shift" for night-floor intervals; d[s,day] ∈ [0,1] "works that day"; N, W the largest number of
 * night and weekend shifts anyone gets.
 *
 * Hard rows (docs/scheduling.md, "Assignment model"):
 * - seats: Σ_s x[s,j] ≤ count_j;
 * - rest and overlap, exactly: shifts j, k of one person conflict when their intervals extended by
 *   the minimum rest, [start, end + rest), intersect. Intervals have the Helly property, so one row
 *   Σ x ≤ 1 per start time (the shifts whose extended interval contains it) covers every conflict;
 * - consecutive days: Σ_{j ∈ C} x ≤ d[s,day] for each clique C of the day's shifts (a clique cover
 *   under the rest rule, so d is exact while continuous), and Σ d over any (max+1) consecutive days
 *   ≤ max, the days of last week's streak counted as worked;
 * - nights: Σ night x ≤ max per week, and over any (max+1) consecutive days ≤ max in a row;
 * - contract: Σ paid hours ≤ maximum (the minimum has a penalised slack and is reported);
 * - night floor: d_t ≥ m·z_t and n_t ≤ M·z_t (nobody present, or at least m people on duty: n_t counts
 *   people present, d_t those not on a break), and Σ supervisors present ≥ z_t.
 *
 * The objective penalises, in decreasing weight: uncovered person-hours, missing skills, unfilled
 * seats, contract shortfall, avoided and non-preferred shifts, the most nights/weekends anyone
 * works (spread) and nights/weekends given to people who had many recently (rotation), and in
 * re-optimisation each change to the published roster.
 *
 * Deterministic: staff and shifts are sorted, HiGHS runs single-threaded with a fixed seed and stops
 * on a gap or a node limit; only the time limit (a safety net) depends on the machine, and a result
 * it cut short says so (`isDeterministic: false`).
 */
import type { Highs, ModelData } from 'highs';
import { rosterInputSchema, type Assignment, type DebriefBlock, type RosterInput } from '../../shared/scheduling/roster-schemas.js';
import { MINUTES_PER_WEEK } from '../../shared/scheduling/schemas.js';
import { checkRoster, effectiveMinimumHours, personViolations, type RosterReport, type RuleViolation } from './roster-check.js';
import { compareIds, hasSkill, isNightSupervisor, prepareParsedRoster, type PreparedShift, type PreparedStaff, type RosterProblem } from './roster-problem.js';
import { loadHighs } from './shift-covering.js';

export interface RosterResult {
  /** `optimal`: proven within the gap target; `feasible`: a limit struck first (the roster is still valid). */
  readonly status: 'optimal' | 'feasible';
  readonly stoppedBy: 'gap' | 'nodeLimit' | 'timeLimit';
  /** False only when the time limit cut the search short: a faster machine might find another roster. */
  readonly isDeterministic: boolean;
  readonly assignments: readonly Assignment[];
  readonly debriefs: readonly DebriefBlock[];
  readonly report: RosterReport;
  readonly objective: number;
  readonly bound: number;
  readonly model: { readonly pairs: number; readonly columns: number; readonly rows: number; readonly nonzeros: number };
  readonly solveSeconds: number;
}

export interface AssignmentOptions {
  /** Pairs that must stay as they are (shifts already worked or under way). */
  readonly fixed?: readonly Assignment[];
  /** Shifts whose staffing is frozen: only `fixed` pairs may work them. */
  readonly frozenShiftIds?: ReadonlySet<string>;
  /** The published roster whose pairs should be kept (re-optimisation). */
  readonly published?: readonly Assignment[];
  /** Let the night floor be broken at a huge cost instead of failing when fixed pairs force it. */
  readonly allowFloorSlack?: boolean;
}

const FLOOR_SLACK_COST = 100_000;

export async function assignStaff(raw: RosterInput): Promise<RosterResult> {
  const problem = prepareParsedRoster(rosterInputSchema.parse(raw));
  const result = await solveAssignment(problem);
  assertNoViolations(result.report.violations);
  return result;
}

/** A produced roster that breaks a rule is a defect in the model, never something to publish. */
export function assertNoViolations(violations: readonly RuleViolation[]): void {
  if (violations.length > 0) throw new Error(`the optimiser produced a roster that breaks ${violations.length} rule(s): ${violations.slice(0, 3).map((v) => v.message).join('; ')}`);
}

interface Column {
  cost: number;
  lower: number;
  upper: number;
  isInteger: boolean;
}

class ModelBuilder {
  readonly columns: Column[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  offset = 0;

  column(cost: number, lower: number, upper: number, isInteger: boolean): number {
    this.columns.push({ cost, lower, upper, isInteger });
    return this.columns.length - 1;
  }

  row(entries: readonly (readonly [number, number])[], lower: number, upper: number): void {
    if (entries.length === 0) return;
    for (const [col, value] of entries) {
      this.indices.push(col);
      this.values.push(value);
    }
    this.starts.push(this.indices.length);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
  }

  build(highs: Highs): ModelData {
    const numCols = this.columns.length;
    const numRows = this.rowLower.length;
    return {
      numCols,
      numRows,
      offset: this.offset,
      colCost: this.columns.map((c) => c.cost),
      colLower: this.columns.map((c) => c.lower),
      colUpper: this.columns.map((c) => (c.upper === Infinity ? highs.infinity : c.upper)),
      rowLower: this.rowLower.map((v) => (v === -Infinity ? -highs.infinity : v)),
      rowUpper: this.rowUpper.map((v) => (v === Infinity ? highs.infinity : v)),
      matrix: { format: 'csr', numRows, numCols, starts: this.starts, indices: this.indices, values: this.values },
      integrality: new Int32Array(this.columns.map((c) => (c.isInteger ? highs.constants.variableType.integer : highs.constants.variableType.continuous))),
    };
  }
}

interface Pair {
  readonly person: PreparedStaff;
  readonly shift: PreparedShift;
  readonly col: number;
}

export async function solveAssignment(problem: RosterProblem, options: AssignmentOptions = {}): Promise<RosterResult> {
  const highs = await loadHighs();
  const { input } = problem;
  const { rules, weights } = input;
  const n = problem.intervalCount;
  const hoursPerInterval = problem.step / 60;
  const fixedKeys = new Set((options.fixed ?? []).map(pairKey));
  const publishedKeys = new Set((options.published ?? []).map(pairKey));
  const frozen = options.frozenShiftIds ?? new Set<string>();
  const b = new ModelBuilder();

  // x[s,j]: every pair the person could work on their own, plus the fixed pairs whatever they are.
  const pairs: Pair[] = [];
  const pairsByStaff = new Map<number, Pair[]>();
  for (const person of problem.staff) {
    const mine: Pair[] = [];
    for (const shift of problem.shifts) {
      const key = pairKey({ staffId: person.data.id, shiftId: shift.id });
      const isFixed = fixedKeys.has(key);
      if (!isFixed && (frozen.has(shift.id) || personViolations(problem, person, [shift]).length > 0)) continue;
      const col = b.column(pairCost(problem, person, shift, publishedKeys.has(key), options.published !== undefined), isFixed ? 1 : 0, 1, true);
      if (publishedKeys.has(key)) {
        // Removing a published pair costs `removePublished`: (1 − x)·w = w − w·x.
        b.offset += weights.removePublished;
        b.columns[col].cost -= weights.removePublished;
      }
      const pair = { person, shift, col };
      pairs.push(pair);
      mine.push(pair);
    }
    pairsByStaff.set(person.index, mine);
  }
  const binaries = pairs.length;

  // Seats; unfilled seats cost (count − Σx)·hours·w, written as an offset and a reward per pair.
  const pairsByShift = new Map<number, Pair[]>();
  for (const p of pairs) pairsByShift.set(p.shift.index, [...(pairsByShift.get(p.shift.index) ?? []), p]);
  for (const shift of problem.shifts) {
    const mine = pairsByShift.get(shift.index) ?? [];
    const reward = weights.unfilledShiftHour * shift.paidHours;
    b.offset += reward * shift.count;
    for (const p of mine) b.columns[p.col].cost -= reward;
    if (mine.length > shift.count) b.row(mine.map((p) => [p.col, 1] as const), -Infinity, shift.count);
  }

  // People on each shift, in total and with a skill, as continuous aggregates (Σ of binaries, so
  // whole numbers in any integer solution). The interval rows then have one entry per shift rather
  // than per person and shift: about a tenth of the non-zeros, and a much faster solve.
  const aggregates = new Map<string, number>();
  const aggregate = (shift: PreparedShift, key: string, holds: (person: PreparedStaff) => boolean): number | undefined => {
    const id = `${shift.index}\u0000${key}`;
    if (aggregates.has(id)) return aggregates.get(id);
    const members = (pairsByShift.get(shift.index) ?? []).filter((p) => holds(p.person));
    const col = members.length === 0 ? undefined : b.column(0, 0, shift.count, false);
    if (col !== undefined) {
      b.row([...members.map((p) => [p.col, 1] as const), [col, -1]], 0, 0);
      aggregates.set(id, col);
    }
    return col;
  };
  const onDutyShifts: PreparedShift[][] = Array.from({ length: n }, () => []);
  const onShiftShifts: PreparedShift[][] = Array.from({ length: n }, () => []);
  for (const shift of problem.shifts) {
    if (!pairsByShift.has(shift.index)) continue;
    for (const t of shift.onDutyIntervals) onDutyShifts[t].push(shift);
    for (const t of shift.onShiftIntervals) onShiftShifts[t].push(shift);
  }
  const sum = (shifts: readonly PreparedShift[], key: string, holds: (person: PreparedStaff) => boolean) =>
    shifts.flatMap((shift) => {
      const col = aggregate(shift, key, holds);
      return col === undefined ? [] : [[col, 1] as const];
    });
  const everyone = () => true;

  // Coverage, supervisors and skills per interval, each with a penalised shortfall.
  for (let t = 0; t < n; t++) {
    const need = problem.required[t] + problem.debriefLoad[t];
    if (need > 0) {
      const slack = b.column(weights.uncoveredPersonHour * hoursPerInterval, 0, need, false);
      b.row([...sum(onDutyShifts[t], '*', everyone), [slack, 1]], need, Infinity);
    }
    if (problem.supervisorsRequired[t] > 0) {
      const slack = b.column(weights.missingSkillHour * hoursPerInterval, 0, problem.supervisorsRequired[t], false);
      b.row([...sum(onDutyShifts[t], 'supervisor', (p) => p.data.skills.supervisor === 'full'), [slack, 1]], problem.supervisorsRequired[t], Infinity);
    }
    for (const need of problem.skillNeeds) {
      const minimum = need.perInterval[t];
      if (minimum === 0) continue;
      const slack = b.column(weights.missingSkillHour * hoursPerInterval, 0, minimum, false);
      b.row([...sum(onDutyShifts[t], need.skill, (p) => hasSkill(p.data, need.skill)), [slack, 1]], minimum, Infinity);
    }
  }

  // Night floor: nobody, or at least m people on duty, that is not on a break (so a colleague's break never leaves
  // someone alone), including a supervisor, who may be on a break (still in the building and reachable).
  const floor = rules.nightFloor;
  for (let t = 0; t < n; t++) {
    if (!problem.isNightFloorInterval[t] || onShiftShifts[t].length === 0) continue;
    const present = sum(onShiftShifts[t], '*', everyone);
    const onDuty = sum(onDutyShifts[t], '*', everyone);
    const most = onShiftShifts[t].reduce((total, shift) => total + Math.min(shift.count, pairsByShift.get(shift.index)?.length ?? 0), 0);
    const z = b.column(0, 0, 1, true);
    const slack = () => (options.allowFloorSlack ? [[b.column(FLOOR_SLACK_COST, 0, Infinity, false), 1] as const] : []);
    b.row([...onDuty, [z, -floor.minimumPeople], ...slack()], 0, Infinity);
    b.row([...present, [z, -most]], -Infinity, 0);
    if (floor.supervisor !== 'none') {
      b.row([...sum(onShiftShifts[t], 'nightSupervisor', (p) => isNightSupervisor(problem, p.data)), [z, -1], ...slack()], 0, Infinity);
    }
  }

  // Per person: rest cliques, days, nights, contract, fairness.
  const nightSpread = b.column(weights.nightSpread, 0, Infinity, false);
  const weekendSpread = b.column(weights.weekendSpread, 0, Infinity, false);
  for (const person of problem.staff) {
    const mine = pairsByStaff.get(person.index) ?? [];
    if (mine.length === 0) continue;
    addRestCliques(b, problem, mine);
    addDayRows(b, problem, person, mine);
    addNightRows(b, problem, person, mine);

    b.row(mine.map((p) => [p.col, p.shift.paidHours] as const), -Infinity, person.data.contract.maxHoursPerWeek);
    const minimum = effectiveMinimumHours(person);
    if (minimum > 0) {
      const short = b.column(weights.contractShortHour, 0, minimum, false);
      b.row([...mine.map((p) => [p.col, p.shift.paidHours] as const), [short, 1]], minimum, Infinity);
    }
    const nights = mine.filter((p) => p.shift.isNight);
    if (nights.length > 0) b.row([[nightSpread, 1], ...nights.map((p) => [p.col, -1] as const)], 0, Infinity);
    const weekends = mine.filter((p) => p.shift.isWeekend);
    if (weekends.length > 0) b.row([[weekendSpread, 1], ...weekends.map((p) => [p.col, -1] as const)], 0, Infinity);
  }

  const data = b.build(highs);
  const started = performance.now();
  const solved = solveLpGuided(highs, data, pairs.map((p) => p.col), input.solver);
  const { values, objective, bound, stoppedBy } = solved;
  const solveSeconds = (performance.now() - started) / 1000;

  const assignments: Assignment[] = [];
  for (const p of pairs) {
    const v = values[p.col];
    if (Math.abs(v - Math.round(v)) > 1e-6) throw new Error(`solver returned a fractional assignment ${v} for ${p.person.data.id} on ${p.shift.id}`);
    if (Math.round(v) === 1) assignments.push({ shiftId: p.shift.id, staffId: p.person.data.id });
  }
  assignments.sort((a, c) => problem.shiftById.get(a.shiftId)!.index - problem.shiftById.get(c.shiftId)!.index || compareIds(a.staffId, c.staffId));
  const debriefs = placeDebriefs(problem, assignments);
  const report = checkRoster(problem, { assignments, debriefs });
  return {
    status: stoppedBy === 'gap' ? 'optimal' : 'feasible',
    stoppedBy,
    isDeterministic: stoppedBy !== 'timeLimit',
    assignments,
    debriefs,
    report,
    objective,
    bound,
    model: { pairs: binaries, columns: data.numCols, rows: data.numRows, nonzeros: b.indices.length },
    solveSeconds,
  };
}

interface SolverSettings {
  readonly timeLimitSeconds: number;
  readonly maxNodes: number;
  readonly relativeGap: number;
  readonly absoluteGap: number;
}

interface Solved {
  readonly values: Float64Array;
  readonly objective: number;
  readonly bound: number;
  readonly stoppedBy: RosterResult['stoppedBy'];
}

/**
 * LP-guided solve. HiGHS on the full model spends most of its time at the root finding a good
 * integer point (measured: 26–45 s for 60 staff, although the LP bound is nearly tight). So:
 * 1. solve the LP relaxation: its optimum is a lower bound for any roster;
 * 2. fix to 1 every pair the LP already puts at 1, and solve the remaining (much smaller after
 *    presolve) MIP: measured 3.7–5.2 s for 60 staff, within 10 units of the LP bound;
 * 3. if that roster is within the gap target of the LP bound, stop: proven within the gap;
 * 4. otherwise give it to HiGHS as the starting incumbent of the full MIP, under the node limit.
 * Every step is deterministic; the time limit is only a safety net.
 */
function solveLpGuided(highs: Highs, data: ModelData, pairCols: readonly number[], settings: SolverSettings): Solved {
  const deadline = performance.now() + settings.timeLimitSeconds * 1000;
  const remaining = () => Math.max(0.5, (deadline - performance.now()) / 1000);
  const timeLimit = highs.constants.modelStatus.timeLimit;
  let hitTimeLimit = false;
  const lp = runHighs(highs, { ...data, integrality: undefined }, { ...settings, timeLimitSeconds: remaining() });
  if (lp.modelStatus !== highs.constants.modelStatus.optimal || !lp.values) throw new Error(`the LP relaxation of the roster did not solve (model status ${lp.modelStatus})`);
  const lpBound = lp.objective;
  const withinGap = (objective: number) => objective - lpBound <= Math.max(settings.relativeGap * Math.abs(objective), settings.absoluteGap) + 1e-7;
  // Stage 2: the LP's ones fixed, everything else free. (Restricting the rest to the LP's support
  // as well was measured: 1–4 s more, and a much worse start.)
  let incumbent: { values: Float64Array; objective: number } | undefined;
  const colLower = Float64Array.from(data.colLower as ArrayLike<number>);
  for (const col of pairCols) if (lp.values[col] >= 1 - 1e-6) colLower[col] = 1;
  const fixed = runHighs(highs, { ...data, colLower }, { ...settings, timeLimitSeconds: remaining() });
  hitTimeLimit ||= fixed.modelStatus === timeLimit;
  if (fixed.values) incumbent = { values: fixed.values, objective: fixed.objective };
  if (incumbent && withinGap(incumbent.objective)) return { ...incumbent, bound: lpBound, stoppedBy: hitTimeLimit ? 'timeLimit' : 'gap' };
  // Fixing the LP's ones can be infeasible (a night the LP staffs with 1 + ½ + ½); then the full
  // model runs without a start. All-zero is always feasible, so it finds something.
  const full = runHighs(highs, data, { ...settings, timeLimitSeconds: remaining() }, incumbent?.values);
  const best = full.values && (!incumbent || full.objective <= incumbent.objective) ? full : incumbent;
  if (!best?.values) throw new Error(`HiGHS found no roster (model status ${full.modelStatus}); all-zero is feasible, so this is a defect`);
  const bound = Math.max(lpBound, Number.isFinite(full.bound) ? full.bound : lpBound);
  const stoppedBy = hitTimeLimit || full.modelStatus === timeLimit ? 'timeLimit' : full.modelStatus === highs.constants.modelStatus.optimal ? 'gap' : 'nodeLimit';
  return { values: best.values, objective: best.objective, bound, stoppedBy };
}

function runHighs(
  highs: Highs,
  data: ModelData,
  settings: SolverSettings,
  start?: Float64Array,
): { modelStatus: number; values: Float64Array | null; objective: number; bound: number } {
  const model = highs.createModel(data);
  try {
    model.options.set({
      output_flag: false,
      random_seed: 0,
      time_limit: settings.timeLimitSeconds,
      mip_rel_gap: settings.relativeGap,
      mip_abs_gap: settings.absoluteGap,
      mip_max_nodes: settings.maxNodes,
      // Measured on four weeks (20 staff short-handed; 60 staff, three seeds): no restart and a larger
      // cut pool took 24.5 s → 9.4 s and 4.6–16 s → 4.3–5.5 s. HiGHS is sensitive to such settings;
      // re-measure with bench/scheduling.bench.ts before changing them.
      mip_allow_restart: false,
      mip_pool_soft_limit: 1000,
    });
    if (start) model.setSolution({ colValue: start });
    const { modelStatus } = model.run();
    const hasSolution = Number(model.info.get('primal_solution_status')) === 2;
    return {
      modelStatus,
      values: hasSolution ? model.getSolution().colValue : null,
      objective: hasSolution ? model.getObjectiveValue() : Number.NaN,
      bound: data.integrality ? Number(model.info.get('mip_dual_bound')) : Number.NaN,
    };
  } finally {
    model.dispose();
  }
}

export function pairKey(a: Assignment): string {
  return `${a.shiftId}\u0000${a.staffId}`;
}

function pairCost(problem: RosterProblem, person: PreparedStaff, shift: PreparedShift, isPublished: boolean, isReoptimising: boolean): number {
  const { weights } = problem.input;
  const prefs = person.data.preferences;
  let cost = 0;
  const avoided = prefs.avoidPatterns.includes(shift.patternId) || prefs.avoidDays.includes(shift.day) || (prefs.avoidNights && shift.isNight);
  if (avoided) cost += weights.avoidedShift;
  const hasPreferences = prefs.preferredPatterns.length > 0 || prefs.preferredDays.length > 0;
  const isPreferred = (prefs.preferredPatterns.length === 0 || prefs.preferredPatterns.includes(shift.patternId)) && (prefs.preferredDays.length === 0 || prefs.preferredDays.includes(shift.day));
  if (hasPreferences && !isPreferred) cost += weights.notPreferredShift;
  if (shift.isNight) cost += weights.nightHistory * person.data.history.recentNightShifts;
  if (shift.isWeekend) cost += weights.weekendHistory * person.data.history.recentWeekendShifts;
  if (isReoptimising && !isPublished) cost += weights.addToPublished;
  return cost;
}

/** Rows Σ x ≤ 1 over the shifts whose [start, end + rest) contains each start time; only maximal sets. */
function addRestCliques(b: ModelBuilder, problem: RosterProblem, mine: readonly Pair[]): void {
  const sorted = [...mine].sort((a, c) => a.shift.startInstant - c.shift.startInstant || a.shift.index - c.shift.index);
  let previous: Pair[] = [];
  const cliques: Pair[][] = [];
  for (const anchor of sorted) {
    const tau = anchor.shift.startInstant;
    const clique = sorted.filter((p) => p.shift.startInstant <= tau && tau < p.shift.endInstant + problem.restMs);
    // Each start adds itself; the set is maximal unless the next start's set contains it.
    if (previous.length > 0 && previous.every((p) => clique.includes(p))) cliques.pop();
    cliques.push(clique);
    previous = clique;
  }
  for (const clique of cliques) if (clique.length > 1) b.row(clique.map((p) => [p.col, 1] as const), -Infinity, 1);
}

function addDayRows(b: ModelBuilder, problem: RosterProblem, person: PreparedStaff, mine: readonly Pair[]): void {
  const max = problem.input.rules.maxConsecutiveWorkingDays;
  const dayCols = new Map<number, number>();
  for (let day = 0; day < 7; day++) {
    const onDay = mine.filter((p) => p.shift.day === day);
    if (onDay.length === 0) continue;
    // Σ_{j ∈ C} x ≤ d for each clique C of a clique cover of the day's shifts: a person works at
    // most one shift of a clique, so any x = 1 forces d = 1 and d may stay continuous (a binary d
    // with Σx ≤ 2d would let the LP count two half-days as one and make fixing LP values infeasible).
    const d = b.column(0, 0, 1, false);
    dayCols.set(day, d);
    for (const clique of restCliqueCover(problem, onDay)) b.row([...clique.map((p) => [p.col, 1] as const), [d, -1]], -Infinity, 0);
  }
  const history = person.data.history.consecutiveDaysWorked;
  const window = max + 1;
  for (let first = -window + 1; first + window - 1 <= 6; first++) {
    const last = first + window - 1;
    const inWeek = [...dayCols.entries()].filter(([day]) => day >= first && day <= last).map(([, col]) => [col, 1] as const);
    const historyInWindow = Math.max(0, Math.min(-1, last) - Math.max(first, -history) + 1);
    if (inWeek.length + historyInWindow > max) b.row(inWeek, -Infinity, Math.max(0, max - historyInWindow));
  }
}

/**
 * A minimum clique cover of shifts under the rest rule (each shift as [start, end + rest)): take the
 * uncovered interval that ends first; every uncovered interval starting before that end contains
 * its last moment, so they form a clique. For intervals this cover is optimal (as many cliques as
 * shifts one person could work that day, usually one).
 */
function restCliqueCover(problem: RosterProblem, pairs: readonly Pair[]): Pair[][] {
  const remaining = [...pairs].sort((a, c) => a.shift.endInstant - c.shift.endInstant || a.shift.index - c.shift.index);
  const cliques: Pair[][] = [];
  while (remaining.length > 0) {
    const point = remaining[0].shift.endInstant + problem.restMs - 1;
    const clique = remaining.filter((p) => p.shift.startInstant <= point);
    cliques.push(clique);
    for (const p of clique) remaining.splice(remaining.indexOf(p), 1);
  }
  return cliques;
}

function addNightRows(b: ModelBuilder, problem: RosterProblem, person: PreparedStaff, mine: readonly Pair[]): void {
  const { maxNightShiftsPerWeek, maxConsecutiveNightShifts: max } = problem.input.rules;
  const nights = mine.filter((p) => p.shift.isNight);
  if (nights.length > maxNightShiftsPerWeek) b.row(nights.map((p) => [p.col, 1] as const), -Infinity, maxNightShiftsPerWeek);
  const history = person.data.history.consecutiveNightShifts;
  const window = max + 1;
  for (let first = -window + 1; first + window - 1 <= 6; first++) {
    const last = first + window - 1;
    const inWindow = nights.filter((p) => p.shift.day >= first && p.shift.day <= last).map((p) => [p.col, 1] as const);
    const historyInWindow = Math.max(0, Math.min(-1, last) - Math.max(first, -history) + 1);
    if (inWindow.length + historyInWindow > max) b.row(inWindow, -Infinity, Math.max(0, max - historyInWindow));
  }
}

/**
 * Debrief blocks are a reservation of capacity (the ILP staffed required + debrief load): each goes
 * to someone on duty through the whole block, preferring people on duty in the crisis interval
 * (they took the contacts), then the fewest debrief minutes so far, then the id. A block nobody
 * can take is left out and shows in the report as a debrief gap.
 */
export function placeDebriefs(problem: RosterProblem, assignments: readonly Assignment[]): DebriefBlock[] {
  const n = problem.intervalCount;
  const step = problem.step;
  const busy = new Map<string, Set<number>>();
  const minutes = new Map<string, number>();
  const blocks: DebriefBlock[] = [];
  const demands = [...problem.debriefDemands].sort((a, c) => a.startInterval - c.startInterval || a.afterInterval - c.afterInterval);
  for (const demand of demands) {
    const blockIntervals = Array.from({ length: demand.intervals }, (_, i) => (demand.startInterval + i) % n);
    let best: { block: DebriefBlock; rank: [number, number, string] } | undefined;
    for (const a of assignments) {
      const shift = problem.shiftById.get(a.shiftId)!;
      const offset = (((demand.startInterval * step - shift.start) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
      const start = shift.start + offset;
      if (start + demand.intervals * step > shift.end) continue;
      if (!blockIntervals.every((t) => shift.onDutyIntervals.includes(t) && !(busy.get(a.staffId)?.has(t) ?? false))) continue;
      const tookContacts = shift.onDutyIntervals.includes(demand.afterInterval) ? 0 : 1;
      const rank: [number, number, string] = [tookContacts, minutes.get(a.staffId) ?? 0, a.staffId];
      if (!best || compareRank(rank, best.rank) < 0) best = { block: { staffId: a.staffId, shiftId: a.shiftId, startMinuteOfWeek: start, lengthMinutes: demand.intervals * step }, rank };
    }
    if (!best) continue;
    blocks.push(best.block);
    const mine = busy.get(best.block.staffId) ?? new Set<number>();
    for (const t of blockIntervals) mine.add(t);
    busy.set(best.block.staffId, mine);
    minutes.set(best.block.staffId, (minutes.get(best.block.staffId) ?? 0) + best.block.lengthMinutes);
  }
  return blocks;
}

function compareRank(a: [number, number, string], c: [number, number, string]): number {
  return a[0] - c[0] || a[1] - c[1] || compareIds(a[2], c[2]);
}
