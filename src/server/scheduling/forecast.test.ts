import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../synthetic/random.js';
import { addDays, backtest, forecastContacts, INTERVALS_PER_DAY, INTERVALS_PER_WEEK } from './forecast.js';

const START = '2026-08-03'; // a Monday

/** A known truth: weekly totals `base + trend·w`, day shares and a per-day intraday shape (busier evenings at weekends). */
const DAY_WEIGHTS = [1.2, 1.1, 1.0, 1.0, 1.05, 0.8, 0.85];
function intraday(day: number, slot: number): number {
  const hour = slot / 2;
  const peak = day >= 5 ? 20 : 14;
  return 0.2 + Math.exp(-((hour - peak) ** 2) / 18);
}
function truth(week: number, base: number, trend: number): number[] {
  const dayTotal = DAY_WEIGHTS.reduce((a, b) => a + b, 0);
  const values: number[] = [];
  for (let d = 0; d < 7; d++) {
    const shape = Array.from({ length: INTERVALS_PER_DAY }, (_, k) => intraday(d, k));
    const shapeTotal = shape.reduce((a, b) => a + b, 0);
    for (let k = 0; k < INTERVALS_PER_DAY; k++) values.push(((base + trend * week) * DAY_WEIGHTS[d]) / dayTotal * (shape[k] / shapeTotal));
  }
  return values;
}
function series(weeks: number, base: number, trend: number): number[] {
  return Array.from({ length: weeks }, (_, w) => truth(w, base, trend)).flat();
}
/** Poisson counts with the given means (Knuth for small means, normal approximation above 30). */
function poisson(means: readonly number[], seed: string): number[] {
  const r = new Random(seed);
  return means.map((m) => {
    if (m > 30) return Math.max(0, Math.round(m + Math.sqrt(m) * gaussian(r)));
    const l = Math.exp(-m);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= r.float();
    } while (p > l);
    return k - 1;
  });
}
function gaussian(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.float())) * Math.cos(2 * Math.PI * r.float());
}
const maxRelativeError = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-9, b[i])));

describe('forecastContacts', () => {
  it('recovers a noiseless weekly and daily seasonality exactly enough (within 1 % per half-hour)', () => {
    const result = forecastContacts({ historyStart: START, history: { phone: series(8, 5000, 0) }, horizonWeeks: 2, shapeShrinkage: 0 });
    expect(result.weekStart).toBe(addDays(START, 56));
    expect(result.channels[0].forecast).toHaveLength(2 * INTERVALS_PER_WEEK);
    expect(maxRelativeError(result.channels[0].forecast.slice(0, INTERVALS_PER_WEEK), truth(8, 5000, 0))).toBeLessThan(0.01);
    const shares = result.channels[0].dayShares;
    expect(shares[0]).toBeCloseTo(1.2 / 7, 6);
    expect(shares[5]).toBeCloseTo(0.8 / 7, 6);
  });

  it('follows a linear trend in weekly totals', () => {
    const result = forecastContacts({ historyStart: START, history: { chat: series(10, 2000, 50) }, horizonWeeks: 3 });
    const c = result.channels[0];
    expect(c.trendPerWeek).toBeCloseTo(50, 6);
    expect(c.weeklyTotals[0]).toBeCloseTo(2000 + 50 * 10, 3);
    expect(c.weeklyTotals[2]).toBeCloseTo(2000 + 50 * 12, 3);
  });

  it('divides planned events out of the history and applies them to the forecast days', () => {
    const history = series(6, 3000, 0);
    // A campaign doubled Wednesday of week 3; a holiday halves Monday of the first forecast week.
    const campaign = addDays(START, 2 * 7 + 2);
    const holiday = addDays(START, 6 * 7);
    for (let k = 0; k < INTERVALS_PER_DAY; k++) history[2 * INTERVALS_PER_WEEK + 2 * INTERVALS_PER_DAY + k] *= 2;
    const withEvents = forecastContacts({ historyStart: START, history: { phone: history }, horizonWeeks: 1, events: [{ date: campaign, factor: 2 }, { date: holiday, factor: 0.5 }], shapeShrinkage: 0 });
    const expected = truth(6, 3000, 0).map((v, i) => (i < INTERVALS_PER_DAY ? v / 2 : v));
    expect(maxRelativeError(withEvents.channels[0].forecast, expected)).toBeLessThan(0.01);
    // Without telling it about the campaign, the Wednesday forecast is inflated.
    const naive = forecastContacts({ historyStart: START, history: { phone: history }, horizonWeeks: 1, shapeShrinkage: 0 });
    const wednesday = (f: readonly number[]) => f.slice(2 * INTERVALS_PER_DAY, 3 * INTERVALS_PER_DAY).reduce((a, b) => a + b, 0);
    expect(wednesday(naive.channels[0].forecast)).toBeGreaterThan(wednesday(withEvents.channels[0].forecast) * 1.1);
  });

  it('limits an event to the channels it names', () => {
    const h = series(4, 1000, 0);
    const result = forecastContacts({ historyStart: START, history: { phone: h, sms: h }, horizonWeeks: 1, events: [{ date: addDays(START, 28), factor: 3, channels: ['sms'] }] });
    const monday = (id: string) => result.channels.find((c) => c.id === id)!.forecast.slice(0, INTERVALS_PER_DAY).reduce((a, b) => a + b, 0);
    expect(monday('sms') / monday('phone')).toBeCloseTo(3, 6);
  });

  it('never forecasts below zero when the trend falls steeply', () => {
    const result = forecastContacts({ historyStart: START, history: { phone: series(5, 500, -120) }, horizonWeeks: 4 });
    expect(Math.min(...result.channels[0].forecast)).toBeGreaterThanOrEqual(0);
    expect(result.channels[0].weeklyTotals[3]).toBe(0);
  });

  it('rejects history that is not whole weeks', () => {
    expect(() => forecastContacts({ historyStart: START, history: { phone: new Array(INTERVALS_PER_WEEK + 3).fill(1) } })).toThrow(/whole weeks/);
    expect(() => forecastContacts({ historyStart: '2026-08-04', history: { phone: new Array(INTERVALS_PER_WEEK).fill(1) } })).toThrow(/Monday/);
  });

  it('is deterministic and non-negative for any history (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { minLength: INTERVALS_PER_WEEK, maxLength: INTERVALS_PER_WEEK }), fc.integer({ min: 1, max: 3 }), (week, weeks) => {
        const history = { phone: Array.from({ length: weeks }, () => week).flat() };
        const a = forecastContacts({ historyStart: START, history, horizonWeeks: 2 });
        const b = forecastContacts({ historyStart: START, history: { phone: [...history.phone] }, horizonWeeks: 2 });
        expect(b).toEqual(a);
        expect(a.channels[0].forecast.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        // Total volume is kept: a flat history forecasts the same weekly total.
        expect(a.channels[0].weeklyTotals[0]).toBeCloseTo(week.reduce((s, v) => s + v, 0), 6);
      }),
      { numRuns: 40 },
    );
  });
});

describe('backtest', () => {
  it('gives WAPE 0 on a noiseless history and a small WAPE on Poisson counts', () => {
    const clean = backtest({ historyStart: START, history: { phone: series(8, 4000, 20) }, shapeShrinkage: 0 }, 2)!;
    expect(clean.weekStart).toBe(addDays(START, 42));
    expect(clean.channels[0].wape).toBeLessThan(0.005);

    const noisy = backtest({ historyStart: START, history: { phone: poisson(series(10, 4000, 0), 'bt') } }, 2)!;
    const wape = noisy.channels[0].wape!;
    // Poisson noise alone at ~6 contacts per half-hour gives a WAPE near E|X−m|/m ≈ 0.32; a sound model stays close to it.
    expect(wape).toBeGreaterThan(0.2);
    expect(wape).toBeLessThan(0.45);
    expect(noisy.wape).toBeCloseTo(wape, 10);
  });

  it('beats a naive "same as last week" forecast on noisy data', () => {
    const means = series(10, 4000, 0);
    const counts = poisson(means, 'naive');
    const result = backtest({ historyStart: START, history: { phone: counts } }, 1)!;
    const lastWeek = counts.slice(8 * INTERVALS_PER_WEEK, 9 * INTERVALS_PER_WEEK);
    const actual = counts.slice(9 * INTERVALS_PER_WEEK);
    const naiveWape = actual.reduce((s, a, t) => s + Math.abs(a - lastWeek[t]), 0) / actual.reduce((s, a) => s + a, 0);
    expect(result.channels[0].wape!).toBeLessThan(naiveWape);
  });

  it('reports null WAPE when nothing arrived, and null when too little history is left', () => {
    const zero = backtest({ historyStart: START, history: { email: new Array(3 * INTERVALS_PER_WEEK).fill(0) } }, 1)!;
    expect(zero.channels[0].wape).toBeNull();
    expect(backtest({ historyStart: START, history: { email: new Array(INTERVALS_PER_WEEK).fill(1) } }, 1)).toBeNull();
  });
});
