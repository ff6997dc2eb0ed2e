import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileOf } from './facts.js';

/** percentile_cont, as PostgreSQL computes it: linear interpolation between the order statistics around p × (n − 1). */
function exact(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const rank = p * (v.length - 1);
  const lo = Math.floor(rank), hi = Math.ceil(rank);
  return v[lo] + (rank - lo) * (v[hi] - v[lo]);
}

/** The bucket of facts.ts's bucketSql, in JavaScript. */
const bucket = (s: number) => (s < 10 ? Math.floor(Math.max(s, 0)) : 10 + Math.floor(Math.log(s / 10) / Math.log(1.1)));

function histogram(values: number[]) {
  const buckets = new Map<number, { n: number; total: number }>();
  for (const v of values) {
    const b = buckets.get(bucket(v)) ?? { n: 0, total: 0 };
    b.n += 1;
    b.total += v;
    buckets.set(bucket(v), b);
  }
  return [...buckets].map(([index, b]) => ({ index, ...b }));
}

describe('percentiles from duration histograms', () => {
  it('equal percentile_cont when every bucket holds equal values (whole seconds under 10 s, one value per bucket)', () => {
    for (const values of [[10, 30, 50], [300, 600, 900], [1, 3, 310, 630, 950, 7200], [0, 0, 1, 1, 1, 2, 9]]) {
      for (const p of [0.5, 0.9]) expect(percentileOf(histogram(values), p)).toBeCloseTo(exact(values, p), 9);
    }
  });

  it('stay within one bucket (10 %) of the exact percentile for any durations', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.9), (values, p) => {
        const approx = percentileOf(histogram(values), p)!;
        const truth = exact(values, p);
        expect(Math.abs(approx - truth)).toBeLessThanOrEqual(Math.max(1, truth * 0.1) + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('is null without values', () => {
    expect(percentileOf([], 0.5)).toBeNull();
  });
});
