/**
 * Small-cell suppression for every table that leaves the building (docs/suppression.md).
 *
 * A published table is a set of counts tied by additive equations (a total equals the sum of its parts): a 1-D
 * breakdown with its total, a 2-D cross-tabulation with row, column and grand totals, or a nested breakdown where each
 * parent is the sum of its children. Every table shape is reduced to that one linear form, so one algorithm protects
 * them all:
 *
 * 1. Primary suppression: a count from 1 to threshold − 1 is shown as "<threshold".
 * 2. Complementary suppression: in every equation with exactly one hidden member, hide one more (the smallest
 *    positive count, then the smallest count; ties by position), so no hidden count is a published total minus
 *    published parts.
 * 3. Audit: an attacker who knows every equation, that a primary cell lies in 1..threshold−1 and that a complementary
 *    cell is ≥ 0 narrows every hidden cell, first by interval propagation (cheap), then exactly by linear programming
 *    (attacker.ts); a hidden cell pinned to one value gets a visible neighbour in one of its equations hidden too, or,
 *    when none is left, its "<t" mark replaced by "x". Steps 2–3 repeat until nothing changes (a fixed point; each
 *    round hides or widens at least one cell, so it ends).
 *
 * Deterministic: the same table gives the same published table. Pure: no I/O.
 */

import { pinnedGivenTruth } from './attacker.js';

export const DEFAULT_SUPPRESSION_THRESHOLD = 3;

export type PublishedCell = { value: number } | { suppressed: true; display: string };

export interface LinearTable {
  /** Every count of the table, totals included, each with a unique id. */
  cells: readonly { id: string; value: number }[];
  /** `total` = sum of `parts`: each must hold on the true values. */
  equations: readonly { total: string; parts: readonly string[] }[];
}

export interface SuppressionOptions {
  /** Counts from 1 to threshold − 1 are hidden. At least 3: "<2" would say "exactly 1". Default 3. */
  threshold?: number;
}

export interface LinearSuppression {
  cells: Map<string, PublishedCell>;
  /** Ids hidden because they are small, then ids hidden to protect them, each in the order chosen. */
  primary: string[];
  complementary: string[];
  /** Small cells shown as "x" rather than "<t" because the mark itself, with the totals, would give their value away. */
  widened: string[];
}

/** What a complementary cell shows: not "<3", which would be false for a hidden 57. */
export const COMPLEMENTARY_DISPLAY = 'x';

export function smallCellDisplay(threshold: number): string {
  return `<${threshold}`;
}

export function checkThreshold(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 3) throw new RangeError(`suppression threshold must be an integer >= 3 (got ${threshold})`);
  return threshold;
}

interface Interval {
  lo: number;
  hi: number;
}

/** The bounds an attacker knows for each cell before reasoning: published cells exactly, hidden ones by their kind. */
export function knownBounds(table: LinearTable, hidden: ReadonlyMap<string, 'primary' | 'complementary'>, threshold: number): Map<string, Interval> {
  const bounds = new Map<string, Interval>();
  for (const cell of table.cells) {
    const kind = hidden.get(cell.id);
    bounds.set(cell.id, kind === 'primary' ? { lo: 1, hi: threshold - 1 } : kind === 'complementary' ? { lo: 0, hi: Infinity } : { lo: cell.value, hi: cell.value });
  }
  return bounds;
}

/**
 * Interval propagation over the equations to a fixed point: the attacker's linear reasoning by subtraction over rows,
 * columns and totals, with the known bounds. Returns the narrowed bounds of every cell. Sound at any round (every
 * consistent table stays inside the bounds), so a round limit only makes it weaker; the LP audit is the authority.
 */
export function propagateBounds(table: LinearTable, start: Map<string, Interval>, maxRounds = 200): Map<string, Interval> {
  const bounds = new Map([...start].map(([id, b]) => [id, { ...b }]));
  for (let round = 0; round < maxRounds; round++) {
    let changed = false;
    for (const eq of table.equations) {
      const parts = eq.parts.map((id) => bounds.get(id)!);
      const total = bounds.get(eq.total)!;
      const sumLo = parts.reduce((s, b) => s + b.lo, 0);
      const sumHi = parts.reduce((s, b) => s + b.hi, 0);
      changed = narrow(total, sumLo, sumHi) || changed;
      for (const part of parts) {
        // The part is the total minus the others: others' bounds are the sums without this part.
        const othersLo = sumLo - part.lo;
        const othersHi = part.hi === Infinity ? parts.filter((p) => p !== part).reduce((s, b) => s + b.hi, 0) : sumHi - part.hi;
        changed = narrow(part, total.lo - othersHi, total.hi - othersLo) || changed;
      }
    }
    if (!changed) break;
  }
  return bounds;
}

function narrow(b: Interval, lo: number, hi: number): boolean {
  let changed = false;
  if (lo > b.lo) { b.lo = lo; changed = true; }
  if (hi < b.hi) { b.hi = hi; changed = true; }
  return changed;
}

function validate(table: LinearTable): Map<string, number> {
  const values = new Map<string, number>();
  for (const cell of table.cells) {
    if (values.has(cell.id)) throw new Error(`duplicate cell id "${cell.id}"`);
    if (!Number.isInteger(cell.value) || cell.value < 0) throw new Error(`cell "${cell.id}" is not a count (${cell.value})`);
    values.set(cell.id, cell.value);
  }
  for (const eq of table.equations) {
    for (const id of [eq.total, ...eq.parts]) if (!values.has(id)) throw new Error(`equation names unknown cell "${id}"`);
    const sum = eq.parts.reduce((s, id) => s + values.get(id)!, 0);
    if (sum !== values.get(eq.total)) throw new Error(`total "${eq.total}" is ${values.get(eq.total)} but its parts sum to ${sum}`);
  }
  return values;
}

function publish(table: LinearTable, hidden: ReadonlyMap<string, 'primary' | 'complementary'>, threshold: number): Map<string, PublishedCell> {
  const cells = new Map<string, PublishedCell>();
  for (const cell of table.cells) {
    const kind = hidden.get(cell.id);
    cells.set(cell.id, kind === undefined ? { value: cell.value } : { suppressed: true, display: kind === 'primary' ? smallCellDisplay(threshold) : COMPLEMENTARY_DISPLAY });
  }
  return cells;
}

/** Suppress a table in linear form. See the module comment for the method. */
export async function suppressLinear(table: LinearTable, options: SuppressionOptions = {}): Promise<LinearSuppression> {
  const threshold = checkThreshold(options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD);
  const values = validate(table);
  const position = new Map(table.cells.map((c, i) => [c.id, i]));
  const hidden = new Map<string, 'primary' | 'complementary'>();
  const primary: string[] = [];
  const complementary: string[] = [];
  const widened: string[] = [];
  for (const cell of table.cells) {
    if (cell.value >= 1 && cell.value < threshold) {
      hidden.set(cell.id, 'primary');
      primary.push(cell.id);
    }
  }
  const membersOf = table.equations.map((eq) => [eq.total, ...eq.parts]);
  const equationsOf = new Map<string, number[]>();
  membersOf.forEach((members, i) => members.forEach((id) => equationsOf.set(id, [...(equationsOf.get(id) ?? []), i])));

  // Smallest positive count first (a hidden 0 next to a hidden 1 pins both), then zeros; ties by position.
  const better = (a: string, b: string) => {
    const va = values.get(a)!, vb = values.get(b)!;
    if ((va === 0) !== (vb === 0)) return va !== 0;
    return va !== vb ? va < vb : position.get(a)! < position.get(b)!;
  };
  const pick = (candidates: Iterable<string>): string | undefined => {
    let best: string | undefined;
    for (const id of candidates) if (!hidden.has(id) && (best === undefined || better(id, best))) best = id;
    return best;
  };
  const hide = (id: string) => {
    hidden.set(id, 'complementary');
    complementary.push(id);
  };

  const publishedNow = () => publish(table, hidden, threshold);

  if (hidden.size > 0) {
    for (;;) {
      let changed = false;
      for (const members of membersOf) {
        if (members.filter((id) => hidden.has(id)).length !== 1) continue;
        const id = pick(members);
        if (id !== undefined) { hide(id); changed = true; }
      }
      if (changed) continue;
      const bounds = propagateBounds(table, knownBounds(table, hidden, threshold));
      let pinned = [...hidden.keys()].filter((id) => bounds.get(id)!.lo === bounds.get(id)!.hi);
      // Interval reasoning misses values fixed by combining equations (row 1 + row 2 − column 3 …): the exact LP
      // attacker finds those.
      if (pinned.length === 0) pinned = await pinnedGivenTruth(table, publishedNow(), values);
      if (pinned.length === 0) break;
      pinned.sort((a, b) => position.get(a)! - position.get(b)!);
      // Protect the pinned cells with the best visible neighbour in their equations. When every neighbour is hidden
      // already, the "<t" marks themselves give it away (e.g. a total shown "<3" over two parts shown "<3" must be 2):
      // show a pinned small cell, or a small neighbour of one, as "x" instead, which tells only that it is hidden.
      const neighbours = pinned.flatMap((p) => (equationsOf.get(p) ?? []).flatMap((e) => membersOf[e]));
      const id = pick(neighbours);
      if (id !== undefined) { hide(id); continue; }
      const relabel = [...pinned, ...neighbours].find((h) => hidden.get(h) === 'primary');
      if (relabel !== undefined) { hidden.set(relabel, 'complementary'); widened.push(relabel); continue; }
      const any = pick(table.cells.map((c) => c.id));
      // Fail closed: a table that cannot be protected is never published.
      if (any === undefined) throw new Error(`cannot protect cells ${pinned.join(', ')} even with every cell hidden`);
      hide(any);
    }
  }

  const cells = publishedNow();
  return { cells, primary: primary.filter((id) => hidden.get(id) === 'primary'), complementary, widened };
}

// ---- Table shapes -----------------------------------------------------------------------------------------------

export interface OneWayPublished<K extends string = string> {
  cells: Record<K, PublishedCell>;
  total: PublishedCell;
}

/** A 1-D breakdown (e.g. contacts by channel) with its total. */
export async function suppressOneWay<K extends string>(counts: Record<K, number>, options: SuppressionOptions = {}): Promise<OneWayPublished<K>> {
  const keys = Object.keys(counts) as K[];
  const total = keys.reduce((s, k) => s + counts[k], 0);
  const table: LinearTable = {
    cells: [...keys.map((k) => ({ id: `c:${k}`, value: counts[k] })), { id: 'total', value: total }],
    equations: [{ total: 'total', parts: keys.map((k) => `c:${k}`) }],
  };
  const { cells } = await suppressLinear(table, options);
  return { cells: Object.fromEntries(keys.map((k) => [k, cells.get(`c:${k}`)!])) as Record<K, PublishedCell>, total: cells.get('total')! };
}

export interface TwoWayPublished {
  rows: string[];
  columns: string[];
  /** cells[row][column] */
  cells: PublishedCell[][];
  rowTotals: PublishedCell[];
  columnTotals: PublishedCell[];
  total: PublishedCell;
}

/** A cross-tabulation (e.g. cases by area × trafficking type) with row, column and grand totals. */
export async function suppressTwoWay(rows: readonly string[], columns: readonly string[], counts: readonly (readonly number[])[], options: SuppressionOptions = {}): Promise<TwoWayPublished> {
  if (counts.length !== rows.length || counts.some((r) => r.length !== columns.length)) throw new Error('counts must be rows × columns');
  return (await suppressTwoWayLinear(rows, columns, counts, options)).published;
}

export function twoWayTable(counts: readonly (readonly number[])[]): LinearTable {
  const nRows = counts.length;
  const nCols = counts[0]?.length ?? 0;
  const cell = (r: number, c: number) => `${r},${c}`;
  const rowTotal = (r: number) => `r${r}`;
  const colTotal = (c: number) => `k${c}`;
  const cells: { id: string; value: number }[] = [];
  for (let r = 0; r < nRows; r++) for (let c = 0; c < nCols; c++) cells.push({ id: cell(r, c), value: counts[r][c] });
  for (let r = 0; r < nRows; r++) cells.push({ id: rowTotal(r), value: counts[r].reduce((s, v) => s + v, 0) });
  for (let c = 0; c < nCols; c++) cells.push({ id: colTotal(c), value: counts.reduce((s, row) => s + row[c], 0) });
  cells.push({ id: 'total', value: counts.reduce((s, row) => s + row.reduce((t, v) => t + v, 0), 0) });
  const equations = [
    ...Array.from({ length: nRows }, (_, r) => ({ total: rowTotal(r), parts: Array.from({ length: nCols }, (_, c) => cell(r, c)) })),
    ...Array.from({ length: nCols }, (_, c) => ({ total: colTotal(c), parts: Array.from({ length: nRows }, (_, r) => cell(r, c)) })),
    { total: 'total', parts: Array.from({ length: nRows }, (_, r) => rowTotal(r)) },
    { total: 'total', parts: Array.from({ length: nCols }, (_, c) => colTotal(c)) },
  ];
  return { cells, equations };
}

async function suppressTwoWayLinear(rows: readonly string[], columns: readonly string[], counts: readonly (readonly number[])[], options: SuppressionOptions) {
  const table = twoWayTable(counts);
  const { cells } = await suppressLinear(table, options);
  const published: TwoWayPublished = {
    rows: [...rows],
    columns: [...columns],
    cells: rows.map((_, r) => columns.map((_, c) => cells.get(`${r},${c}`)!)),
    rowTotals: rows.map((_, r) => cells.get(`r${r}`)!),
    columnTotals: columns.map((_, c) => cells.get(`k${c}`)!),
    total: cells.get('total')!,
  };
  return { table, published };
}

/** A nested breakdown: a leaf has a count; a parent's count is the sum of its children's. */
export interface CountTree {
  key: string;
  value?: number;
  children?: CountTree[];
}
export interface PublishedTree {
  key: string;
  cell: PublishedCell;
  children?: PublishedTree[];
}

export function treeTable(root: CountTree): LinearTable {
  const cells: { id: string; value: number }[] = [];
  const equations: { total: string; parts: string[] }[] = [];
  const walk = (node: CountTree, path: string): number => {
    if (node.children && node.children.length > 0) {
      const ids = node.children.map((child, i) => `${path}/${i}`);
      const sum = node.children.reduce((s, child, i) => s + walk(child, ids[i]), 0);
      if (node.value !== undefined && node.value !== sum) throw new Error(`"${node.key}" is ${node.value} but its children sum to ${sum}`);
      cells.push({ id: path, value: sum });
      equations.push({ total: path, parts: ids });
      return sum;
    }
    if (node.value === undefined) throw new Error(`leaf "${node.key}" has no count`);
    cells.push({ id: path, value: node.value });
    return node.value;
  };
  walk(root, 'n');
  return { cells, equations };
}

/** A nested breakdown (e.g. region → area, or trafficking type → typology type), each level with its total. */
export async function suppressTree(root: CountTree, options: SuppressionOptions = {}): Promise<PublishedTree> {
  const { cells } = await suppressLinear(treeTable(root), options);
  const build = (node: CountTree, path: string): PublishedTree => ({
    key: node.key,
    cell: cells.get(path)!,
    ...(node.children && node.children.length > 0 && { children: node.children.map((child, i) => build(child, `${path}/${i}`)) }),
  });
  return build(root, 'n');
}

/** Text for a CSV or a screen: the count, or its suppression mark. */
export function displayCell(cell: PublishedCell): string {
  return 'suppressed' in cell ? cell.display : String(cell.value);
}
