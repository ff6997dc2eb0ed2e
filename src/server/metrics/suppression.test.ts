import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackPublication, recoverableCells } from './attacker.js';
import {
  displayCell,
  knownBounds,
  propagateBounds,
  suppressLinear,
  suppressOneWay,
  suppressTree,
  suppressTwoWay,
  treeTable,
  twoWayTable,
  type CountTree,
  type LinearTable,
  type PublishedCell,
} from './suppression.js';

const show = (cells: PublishedCell[]) => cells.map(displayCell);

/** The interval attacker: subtraction over rows, columns and totals with the known bounds, to a fixed point. */
function intervalAttack(table: LinearTable, published: Map<string, PublishedCell>, threshold: number) {
  const hidden = new Map<string, 'primary' | 'complementary'>();
  for (const [id, cell] of published) if ('suppressed' in cell) hidden.set(id, cell.display === 'x' ? 'complementary' : 'primary');
  // The attacker does not know hidden values: give published cells their value and hidden ones a dummy.
  const blind: LinearTable = { equations: table.equations, cells: table.cells.map((c) => ({ id: c.id, value: hidden.has(c.id) ? -1 : c.value })) };
  const bounds = propagateBounds(blind, knownBounds(blind, hidden, threshold));
  return [...hidden.keys()].filter((id) => bounds.get(id)!.lo === bounds.get(id)!.hi);
}

async function expectSafe(table: LinearTable, published: Map<string, PublishedCell>, threshold = 3) {
  expect(intervalAttack(table, published, threshold)).toEqual([]);
  expect(await recoverableCells(table, published)).toEqual([]);
  // Every small count is hidden; every published count is the true one.
  for (const cell of table.cells) {
    const shown = published.get(cell.id)!;
    if (cell.value >= 1 && cell.value < threshold) expect(['x', `<${threshold}`]).toContain(displayCell(shown));
    if ('value' in shown) expect(shown.value).toBe(cell.value);
  }
}

describe('small-cell suppression: worked examples', () => {
  it('publishes a table with no small count unchanged', async () => {
    const out = await suppressOneWay({ phone: 40, sms: 12, chat: 0 });
    expect(out.cells).toEqual({ phone: { value: 40 }, sms: { value: 12 }, chat: { value: 0 } });
    expect(out.total).toEqual({ value: 52 });
  });

  it('hides a lone small count and the next smallest sibling so the total cannot reveal it', async () => {
    // phone 40, sms 12, email 2 (total 54): hiding only email leaves 54 − 40 − 12 = 2.
    const out = await suppressOneWay({ phone: 40, sms: 12, email: 2 });
    expect(out.cells.email).toEqual({ suppressed: true, display: '<3' });
    expect(out.cells.sms).toEqual({ suppressed: true, display: 'x' });
    expect(out.cells.phone).toEqual({ value: 40 });
    expect(out.total).toEqual({ value: 54 });
  });

  it('hides a third cell when two small counts would add up to a known 2', async () => {
    // email 1 + chat 1 = 54 − 52 = 2, and each is at least 1, so both would be 1: a third cell must go.
    const out = await suppressOneWay({ phone: 52, email: 1, chat: 1 });
    expect(show([out.cells.phone, out.cells.email, out.cells.chat, out.total])).toEqual(['x', '<3', '<3', '54']);
  });

  it('protects a 2-D table across rows, columns and totals', async () => {
    const counts = [
      [20, 1, 7],
      [15, 9, 30],
      [11, 6, 2],
    ];
    const out = await suppressTwoWay(['north', 'centre', 'south'], ['sex', 'labour', 'both'], counts);
    const grid = out.cells.map(show);
    expect(grid[0][1]).toBe('<3');
    expect(grid[2][2]).toBe('<3');
    // Every row and column with a hidden cell has at least two.
    for (let r = 0; r < 3; r++) expect(grid[r].filter((d) => d === 'x' || d === '<3').length).not.toBe(1);
    for (let c = 0; c < 3; c++) expect(grid.map((row) => row[c]).filter((d) => d === 'x' || d === '<3').length).not.toBe(1);
    expect(displayCell(out.total)).toBe('101');
    const table = twoWayTable(counts);
    const { cells } = await suppressLinear(table);
    await expectSafe(table, cells);
  });

  it('suppresses a total that is itself small, and its parts with it', async () => {
    const out = await suppressTwoWay(['a', 'b'], ['x', 'y'], [[1, 1], [30, 40]]);
    // Row 1 is 2 in total: shown as "<3" over two "<3" parts it would be pinned to 1 + 1, so one part shows "x".
    expect(displayCell(out.rowTotals[0])).toBe('<3');
    expect(show(out.cells[0]).sort()).toEqual(['<3', 'x']);
  });

  it('protects nested breakdowns level by level', async () => {
    const tree: CountTree = {
      key: 'all',
      children: [
        { key: 'QC', children: [{ key: 'Montréal', value: 30 }, { key: 'Laval', value: 2 }, { key: 'Gatineau', value: 8 }] },
        { key: 'ON', children: [{ key: 'Toronto', value: 50 }, { key: 'Ottawa', value: 12 }] },
      ],
    };
    const out = await suppressTree(tree);
    const qc = out.children![0];
    expect(displayCell(qc.children![1].cell)).toBe('<3');
    expect(displayCell(qc.children![2].cell)).toBe('x');
    expect(displayCell(qc.cell)).toBe('40');
    expect(displayCell(out.cell)).toBe('102');
    const table = treeTable(tree);
    await expectSafe(table, (await suppressLinear(table)).cells);
  });

  it('uses a configurable threshold and refuses one that cannot hide anything', async () => {
    const out = await suppressOneWay({ a: 4, b: 9, c: 30 }, { threshold: 5 });
    expect(show([out.cells.a, out.cells.b, out.cells.c])).toEqual(['<5', 'x', '30']);
    await expect(suppressOneWay({ a: 1 }, { threshold: 2 })).rejects.toThrow(/>= 3/);
  });

  it('refuses an inconsistent table', async () => {
    await expect(suppressLinear({ cells: [{ id: 'a', value: 1 }, { id: 't', value: 5 }], equations: [{ total: 't', parts: ['a'] }] })).rejects.toThrow(/sum to 1/);
  });

  it('is deterministic', async () => {
    const counts = [[1, 5, 2, 9], [3, 1, 0, 4], [2, 2, 2, 2]];
    const a = await suppressTwoWay(['r1', 'r2', 'r3'], ['a', 'b', 'c', 'd'], counts);
    const b = await suppressTwoWay(['r1', 'r2', 'r3'], ['a', 'b', 'c', 'd'], counts);
    expect(a).toEqual(b);
  });

  it('the LP attacker does recover a cell from a naive publication (the test can fail)', async () => {
    const table = twoWayTable([[20, 1], [15, 9]]);
    const naive = new Map(table.cells.map((c) => [c.id, c.value === 1 ? ({ suppressed: true, display: '<3' } as const) : { value: c.value }]));
    expect(await recoverableCells(table, naive)).toEqual(['0,1']);
    expect(intervalAttack(table, naive, 3)).toEqual(['0,1']);
    const ranges = await attackPublication(table, (await suppressLinear(table)).cells);
    expect(ranges.every((r) => r.min < r.max)).toBe(true);
  });
});

// Small counts are common in real tables: bias the generator towards 0..4.
/** More runs on demand: PROPERTY_RUNS=5000 npx vitest run src/server/metrics/suppression.test.ts */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const count = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 60 }) });

describe('small-cell suppression: no hidden cell is recoverable (property)', () => {
  it('1-D tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(count, { minLength: 1, maxLength: 8 }), fc.integer({ min: 3, max: 6 }), async (values, threshold) => {
        const table: LinearTable = { cells: [...values.map((v, i) => ({ id: `c${i}`, value: v })), { id: 't', value: values.reduce((s, v) => s + v, 0) }], equations: [{ total: 't', parts: values.map((_, i) => `c${i}`) }] };
        await expectSafe(table, (await suppressLinear(table, { threshold })).cells, threshold);
      }),
      { numRuns: RUNS },
    );
  });

  it('2-D tables with row, column and grand totals', async () => {
    const grid = fc.integer({ min: 1, max: 5 }).chain((rows) => fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(count, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })));
    await fc.assert(
      fc.asyncProperty(grid, fc.integer({ min: 3, max: 5 }), async (counts, threshold) => {
        const table = twoWayTable(counts);
        await expectSafe(table, (await suppressLinear(table, { threshold })).cells, threshold);
      }),
      { numRuns: RUNS },
    );
  });

  it('nested breakdowns', async () => {
    const tree: fc.Arbitrary<CountTree> = fc.letrec<{ node: CountTree }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        count.map((value) => ({ key: 'leaf', value })),
        fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((children) => ({ key: 'group', children })),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(tree, async (root) => {
        const table = treeTable(root);
        await expectSafe(table, (await suppressLinear(table)).cells);
      }),
      { numRuns: RUNS },
    );
  });
});
