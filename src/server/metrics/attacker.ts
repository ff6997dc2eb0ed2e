/**
 * The attacker of docs/suppression.md, used by the tests and by `auditPublication` before anything is published.
 *
 * It knows every equation of the table (totals are sums of their parts), every published count, that a cell shown as
 * "<t" lies in 1..t−1 and that a cell shown as "x" is ≥ 0. For each hidden cell it computes the exact smallest and
 * largest value consistent with all of that, by linear programming (HiGHS). The tables we publish (1-D, 2-D with
 * margins, nested breakdowns) have totally unimodular constraint matrices, so these LP extremes are whole numbers that
 * some consistent table reaches: a hidden cell is recoverable exactly when its minimum equals its maximum.
 */
import highsImport, { type Highs, type InitOptions } from 'highs';
import type { LinearTable, PublishedCell } from './suppression.js';

type HighsLoader = (options?: InitOptions) => Promise<Highs>;
// highs is CommonJS; under NodeNext its default import is either the loader or a namespace holding it.
const highsLoader: HighsLoader = typeof highsImport === 'function' ? (highsImport as unknown as HighsLoader) : (highsImport as unknown as { default: HighsLoader }).default;
let runtime: Promise<Highs> | undefined;
const loadHighs = () => (runtime ??= highsLoader());
/** Loads (compiles) HiGHS ahead of its first use; see the tiering flag in src/server/main.ts. */
export const warmUpHighs = async () => {
  await loadHighs();
};

export interface HiddenRange {
  id: string;
  min: number;
  max: number;
}

/**
 * The exact range of every hidden cell given what was published. `published` maps cell ids to what was shown; the
 * attacker reads only the displays and the table's equations, never the hidden values.
 */
export async function attackPublication(table: Pick<LinearTable, 'equations'>, published: ReadonlyMap<string, PublishedCell>): Promise<HiddenRange[]> {
  const { hidden, solve } = await model(table, published);
  return hidden.map((id) => ({ id, min: solve('Minimize', id).value, max: solve('Maximize', id).value }));
}

/**
 * The same attack made cheap for the publisher, who knows the true values: a hidden cell is safe as soon as one
 * consistent table gives it another value, and every LP solution proves that for every cell it moves. Usually a few
 * solves clear all cells. Returns the ids pinned to their true value.
 */
export async function pinnedGivenTruth(table: Pick<LinearTable, 'equations'>, published: ReadonlyMap<string, PublishedCell>, truth: ReadonlyMap<string, number>): Promise<string[]> {
  const { hidden, solve } = await model(table, published);
  const unproven = new Set(hidden);
  const clear = (solution: Map<string, number>) => { for (const [id, v] of solution) if (Math.abs(v - truth.get(id)!) > 1e-6) unproven.delete(id); };
  for (const id of hidden) {
    if (!unproven.has(id)) continue;
    const max = solve('Maximize', id);
    if (max.value === Infinity) { unproven.delete(id); continue; }
    clear(max.solution);
    if (!unproven.has(id)) continue;
    clear(solve('Minimize', id).solution);
  }
  return hidden.filter((id) => unproven.has(id));
}

async function model(table: Pick<LinearTable, 'equations'>, published: ReadonlyMap<string, PublishedCell>) {
  const highs = await loadHighs();
  const hidden = [...published].filter(([, cell]) => 'suppressed' in cell).map(([id]) => id);
  const variable = new Map(hidden.map((id, i) => [id, `x${i}`]));
  const constraints: string[] = [];
  table.equations.forEach((eq, i) => {
    // total − Σ parts = 0, with published counts moved to the right-hand side.
    const terms: string[] = [];
    let rhs = 0;
    const add = (id: string, sign: 1 | -1) => {
      const cell = published.get(id)!;
      if ('suppressed' in cell) terms.push(`${sign > 0 ? '+' : '-'} ${variable.get(id)}`);
      else rhs -= sign * cell.value;
    };
    add(eq.total, 1);
    eq.parts.forEach((id) => add(id, -1));
    if (terms.length > 0) constraints.push(` e${i}: ${terms.join(' ')} = ${rhs}`);
  });
  const bounds = hidden.map((id) => {
    const cell = published.get(id) as { suppressed: true; display: string };
    // "<t" says 1..t−1; any other mark ("x") says only that the count is hidden.
    const threshold = /^<\d+$/.test(cell.display) ? Number(cell.display.slice(1)) : NaN;
    if (Number.isNaN(threshold)) return ` ${variable.get(id)} >= 0`;
    return ` 1 <= ${variable.get(id)} <= ${threshold - 1}`;
  });
  const solve = (sense: 'Minimize' | 'Maximize', id: string): { value: number; solution: Map<string, number> } => {
    const model = [sense, ` obj: ${variable.get(id)}`, 'Subject To', ...(constraints.length ? constraints : [` e: ${variable.get(id)} >= 0`]), 'Bounds', ...bounds, 'End'].join('\n');
    const result = highs.solve(model);
    // The true table is a solution, so "infeasible or unbounded" can only mean unbounded.
    if (result.Status === 'Unbounded' || result.Status === 'Primal infeasible or unbounded') return { value: sense === 'Maximize' ? Infinity : -Infinity, solution: new Map() };
    if (result.Status !== 'Optimal') throw new Error(`the published table is inconsistent (${result.Status})`);
    const columns = result.Columns as Record<string, { Primal: number }>;
    return { value: Math.round(result.ObjectiveValue), solution: new Map(hidden.map((h) => [h, columns[variable.get(h)!]?.Primal ?? 0])) };
  };
  return { hidden, solve };
}

/** Ids of hidden cells an attacker can recover exactly (empty when the publication is safe). */
export async function recoverableCells(table: Pick<LinearTable, 'equations'>, published: ReadonlyMap<string, PublishedCell>): Promise<string[]> {
  return (await attackPublication(table, published)).filter((r) => r.min === r.max).map((r) => r.id);
}
