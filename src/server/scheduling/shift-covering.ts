/**
 * Shift covering (Dantzig 1954): choose how many people work each candidate shift so that every
 * interval of the week has at least the required people on duty (not on a break), at least cost:
 *
 *   minimise Σ_j c_j·x_j   subject to   Σ_{j on duty at t} x_j ≥ r_t  for every interval t,   x_j ∈ ℤ≥0
 *
 * with c_j the paid hours (or cost) of shift j. When supervisors are required, every shift also
 * exists as a supervisor shift, which counts in both r_t and the supervisor rows s_t.
 *
 * Solved with HiGHS (WebAssembly), built from CSC arrays rather than LP text (the LP reader has a
 * line-length limit), with a time limit and a gap target. The LP relaxation is solved first: its
 * optimum is a lower bound no integer schedule can beat, and the reported gap is measured from it.
 * Every solution HiGHS returns is re-checked here, in integers, before it is returned.
 *
 * The solve is synchronous once the WASM module is loaded; a server should run it in a worker
 * thread (see docs/scheduling.md).
 */
import highsImport, { type Highs, type InitOptions, type ModelData } from 'highs';
import { shiftCoveringInputSchema, type ShiftCoveringInput } from '../../shared/scheduling/schemas.js';
import { candidateShifts, type CandidateShift, type ShiftBreak } from './shift-columns.js';

type HighsLoader = (options?: InitOptions) => Promise<Highs>;
// highs is a CommonJS package whose ESM entry (build/highs.mjs) default-exports the loader, but its
// single types.d.ts makes TypeScript under NodeNext see the whole CommonJS module instead.
const highsLoader: HighsLoader =
  typeof highsImport === 'function' ? (highsImport as unknown as HighsLoader) : (highsImport as unknown as { default: HighsLoader }).default;

let highsRuntime: Promise<Highs> | undefined;
/** The WASM module loads once per process (~0.15 s); models are created and disposed per solve. */
export function loadHighs(): Promise<Highs> {
  highsRuntime ??= highsLoader();
  return highsRuntime;
}

export type ShiftRole = 'staff' | 'supervisor';

export interface ChosenShift {
  readonly patternId: string;
  readonly role: ShiftRole;
  readonly day: number;
  readonly startMinuteOfWeek: number;
  readonly lengthMinutes: number;
  readonly breaks: readonly ShiftBreak[];
  readonly paidHours: number;
  /** How many people work exactly this shift. */
  readonly count: number;
}

export type ShiftCoveringResult =
  | {
      /** `optimal`: proven within `relativeGap` of the best schedule; `feasible`: the time limit struck first (the schedule is still valid). */
      readonly status: 'optimal' | 'feasible';
      readonly shifts: readonly ChosenShift[];
      readonly paidHours: number;
      readonly cost: number;
      /** The minimised quantity: paid hours or cost. */
      readonly objective: number;
      /** Optimum of the LP relaxation: no schedule can do better. */
      readonly lpBound: number;
      /** (objective − lpBound) / objective. */
      readonly gapToLpBound: number;
      /** HiGHS's own proven bound after branch and bound (at least the LP bound). */
      readonly mipBound: number;
      /** People on duty (not on a break) in each interval. */
      readonly onDuty: readonly number[];
      readonly supervisorsOnDuty: readonly number[];
      readonly candidateShifts: number;
      readonly solveSeconds: number;
    }
  | { readonly status: 'uncoverable'; readonly intervals: readonly number[]; readonly message: string }
  | { readonly status: 'noSolution'; readonly message: string };

/** HiGHS model status codes (types.d.ts ModelStatusCode). */
const MODEL_STATUS = { optimal: 7, infeasible: 8 } as const;
const PRIMAL_FEASIBLE = 2;
/**
 * HiGHS's default (0.05) left a 3.6 % gap at 20 s on the 336-interval benchmark with breaks; 0.3
 * reached 1.3 % in about 10 s (bench/scheduling.bench.ts). Covering models are LP-tight, so
 * heuristics pay off. (Seeding HiGHS with the rounded-up LP optimum made it worse: 2.1 %.)
 */
const HEURISTIC_EFFORT = 0.3;

export async function solveShiftCovering(raw: ShiftCoveringInput): Promise<ShiftCoveringResult> {
  const input = shiftCoveringInputSchema.parse(raw);
  const highs = await loadHighs();
  const candidates = candidateShifts(input);
  const required = input.required;
  const supervisors = input.supervisorsRequired?.some((s) => s > 0) ? input.supervisorsRequired : undefined;

  const coverable = new Array<boolean>(required.length).fill(false);
  for (const c of candidates) for (const t of c.coveredIntervals) coverable[t] = true;
  const uncovered = required.flatMap((r, t) => (r > 0 && !coverable[t] ? [t] : []));
  if (uncovered.length > 0) {
    return { status: 'uncoverable', intervals: uncovered, message: `no shift pattern is on duty in ${uncovered.length} interval(s) that need people` };
  }

  const columns: { shift: CandidateShift; role: ShiftRole }[] = candidates.map((shift) => ({ shift, role: 'staff' }));
  if (supervisors) columns.push(...candidates.map((shift) => ({ shift, role: 'supervisor' as const })));
  const model = buildModel(highs, columns, required, supervisors, input.objective);

  const started = performance.now();
  const lp = solveModel(highs, model, false, input);
  const lpBound = lp.objective;
  const remainingSeconds = Math.max(1, input.timeLimitSeconds - (performance.now() - started) / 1000);
  const mip = solveModel(highs, model, true, { ...input, timeLimitSeconds: remainingSeconds });
  const solveSeconds = (performance.now() - started) / 1000;
  if (!mip.values) return { status: 'noSolution', message: `HiGHS returned no integer solution (model status ${mip.status}) within ${input.timeLimitSeconds} s` };

  const counts = checkedIntegers(mip.values);
  const onDuty = new Array<number>(required.length).fill(0);
  const supervisorsOnDuty = new Array<number>(required.length).fill(0);
  const shifts: ChosenShift[] = [];
  let paidHours = 0;
  let cost = 0;
  columns.forEach(({ shift, role }, j) => {
    const count = counts[j];
    if (count === 0) return;
    for (const t of shift.coveredIntervals) {
      onDuty[t] += count;
      if (role === 'supervisor') supervisorsOnDuty[t] += count;
    }
    paidHours += count * shift.paidHours;
    cost += count * shift.cost;
    const { patternId, day, startMinuteOfWeek, lengthMinutes, breaks } = shift;
    shifts.push({ patternId, role, day, startMinuteOfWeek, lengthMinutes, breaks, paidHours: shift.paidHours, count });
  });
  assertCovered(onDuty, required, 'people');
  if (supervisors) assertCovered(supervisorsOnDuty, supervisors, 'supervisors');

  const objective = input.objective === 'cost' ? cost : paidHours;
  return {
    status: mip.status === MODEL_STATUS.optimal ? 'optimal' : 'feasible',
    shifts,
    paidHours,
    cost,
    objective,
    lpBound,
    gapToLpBound: objective > 0 ? (objective - lpBound) / objective : 0,
    mipBound: Math.max(lpBound, mip.bound),
    onDuty,
    supervisorsOnDuty,
    candidateShifts: columns.length,
    solveSeconds,
  };
}

function buildModel(
  highs: Highs,
  columns: readonly { shift: CandidateShift; role: ShiftRole }[],
  required: readonly number[],
  supervisors: readonly number[] | undefined,
  objective: 'paidHours' | 'cost',
): ModelData {
  const n = required.length;
  const starts = [0];
  const indices: number[] = [];
  for (const { shift, role } of columns) {
    indices.push(...shift.coveredIntervals);
    if (role === 'supervisor') indices.push(...shift.coveredIntervals.map((t) => n + t));
    starts.push(indices.length);
  }
  const rowLower = supervisors ? [...required, ...supervisors] : [...required];
  return {
    numCols: columns.length,
    numRows: rowLower.length,
    colCost: columns.map(({ shift }) => (objective === 'cost' ? shift.cost : shift.paidHours)),
    colLower: new Array<number>(columns.length).fill(0),
    colUpper: new Array<number>(columns.length).fill(highs.infinity),
    rowLower,
    rowUpper: new Array<number>(rowLower.length).fill(highs.infinity),
    matrix: { format: 'csc', numRows: rowLower.length, numCols: columns.length, starts, indices, values: new Array<number>(indices.length).fill(1) },
  };
}

function solveModel(
  highs: Highs,
  data: ModelData,
  isInteger: boolean,
  options: { timeLimitSeconds: number; relativeGap: number },
): { status: number; objective: number; bound: number; values: Float64Array | null } {
  const integrality = isInteger ? new Int32Array(data.numCols).fill(highs.constants.variableType.integer) : undefined;
  const model = highs.createModel({ ...data, integrality });
  try {
    model.options.set({ output_flag: false, time_limit: options.timeLimitSeconds, mip_rel_gap: options.relativeGap, random_seed: 0, mip_heuristic_effort: HEURISTIC_EFFORT });
    const { modelStatus } = model.run();
    if (modelStatus === MODEL_STATUS.infeasible) throw new Error('shift covering model is infeasible although every interval can be covered');
    const hasSolution = Number(model.info.get('primal_solution_status')) === PRIMAL_FEASIBLE;
    if (!isInteger && modelStatus !== MODEL_STATUS.optimal) throw new Error(`LP relaxation did not solve to optimality (model status ${modelStatus})`);
    return {
      status: modelStatus,
      objective: hasSolution ? model.getObjectiveValue() : Number.NaN,
      bound: isInteger ? Number(model.info.get('mip_dual_bound')) : Number.NaN,
      values: hasSolution ? model.getSolution().colValue : null,
    };
  } finally {
    model.dispose();
  }
}

/** HiGHS works in floating point with a feasibility tolerance; a schedule must be whole people. */
function checkedIntegers(values: Float64Array): number[] {
  return Array.from(values, (v, j) => {
    const count = Math.round(v);
    if (Math.abs(v - count) > 1e-6 || count < 0) throw new Error(`solver returned a non-integer count ${v} for shift ${j}`);
    return count;
  });
}

function assertCovered(onDuty: readonly number[], required: readonly number[], what: string): void {
  required.forEach((r, t) => {
    if (onDuty[t] < r) throw new Error(`solver returned a schedule with ${onDuty[t]} ${what} in interval ${t} where ${r} are required`);
  });
}
