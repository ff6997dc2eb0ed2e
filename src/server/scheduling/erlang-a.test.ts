import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erlangAMetrics, leastAgentsErlangA } from './erlang-a.js';
import { erlangC, erlangCMetrics } from './erlang.js';

/** Seeded PRNG (mulberry32) so the simulation oracle below is reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent oracle: simulate M/M/N+M call by call. Under FCFS, a caller's answer time is the
 * earliest moment a server frees after everyone ahead was answered or gave up, so each caller's
 * fate depends only on earlier callers and one pass in arrival order is exact.
 */
function simulateErlangA(p: { arrivalsPerHour: number; ahtSeconds: number; patienceSeconds: number; agents: number; targetSeconds: number }, calls: number, seed: number) {
  const random = seededRandom(seed);
  const exponential = (mean: number) => -mean * Math.log(1 - random());
  const serverFreeAt = new Array<number>(p.agents).fill(0);
  let now = 0;
  let answeredWithin = 0;
  let abandoned = 0;
  let waited = 0;
  for (let i = 0; i < calls; i++) {
    now += exponential(3600 / p.arrivalsPerHour);
    const patience = exponential(p.patienceSeconds);
    let server = 0;
    for (let s = 1; s < p.agents; s++) if (serverFreeAt[s] < serverFreeAt[server]) server = s;
    const answerAt = Math.max(now, serverFreeAt[server]);
    if (answerAt - now > patience) {
      abandoned++;
      waited += patience;
      continue;
    }
    waited += answerAt - now;
    if (answerAt - now <= p.targetSeconds) answeredWithin++;
    serverFreeAt[server] = answerAt + exponential(p.ahtSeconds);
  }
  return { serviceLevel: answeredWithin / calls, abandonment: abandoned / calls, asaSeconds: waited / calls };
}

describe('Erlang A', () => {
  it('reproduces the pyworkforce test_abandonment example (λ = 100 per 30 min, AHT 3 min, patience 5 min, 14 agents, 20 s)', () => {
    // pyworkforce tests/test_abandonment.py; the values agree with the independent implementation in SCHEDULING.md vector 8.
    const m = erlangAMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: 300, agents: 14, targetSeconds: 20 });
    expect(m.probabilityOfWaiting).toBeCloseTo(0.14526, 5);
    expect(m.probabilityOfAbandonment).toBeCloseTo(0.013984, 6);
    expect(m.occupancy).toBeCloseTo(0.704297, 6);
    expect(m.asaSeconds! / 60).toBeCloseTo(0.069919, 6);
    expect(m.serviceLevel).toBeCloseTo(0.916792, 6);
  });

  it('becomes Erlang C as patience grows without bound (pyworkforce limit test: N = 20, A = 10)', () => {
    const m = erlangAMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: 1e9, agents: 20, targetSeconds: 20 });
    expect(m.probabilityOfWaiting).toBeCloseTo(0.0037311, 7);
    const c = erlangCMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, agents: 20, targetSeconds: 20 });
    expect(m.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
    expect(m.asaSeconds!).toBeCloseTo(c.asaSeconds!, 4);
    expect(m.probabilityOfAbandonment).toBeLessThan(1e-8);
  });

  it('uses Erlang C exactly when patience is infinite', () => {
    const m = erlangAMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: Infinity, agents: 12, targetSeconds: 20 });
    expect(m.probabilityOfWaiting).toBe(erlangC(12, 10));
    expect(m.probabilityOfAbandonment).toBe(0);
  });

  it('agrees with a call-by-call simulation for a small hotline queue', () => {
    const input = { arrivalsPerHour: 24, ahtSeconds: 600, patienceSeconds: 120, agents: 4, targetSeconds: 30 };
    const exact = erlangAMetrics(input);
    const simulated = simulateErlangA(input, 400_000, 7);
    expect(Math.abs(exact.serviceLevel - simulated.serviceLevel)).toBeLessThan(0.006);
    expect(Math.abs(exact.probabilityOfAbandonment - simulated.abandonment)).toBeLessThan(0.004);
    expect(Math.abs(exact.asaSeconds! - simulated.asaSeconds)).toBeLessThan(1);
  });

  it('agrees with the simulation when overloaded (arrivals above capacity, short patience)', () => {
    const input = { arrivalsPerHour: 60, ahtSeconds: 360, patienceSeconds: 90, agents: 5, targetSeconds: 20 };
    const exact = erlangAMetrics(input);
    const simulated = simulateErlangA(input, 300_000, 11);
    expect(exact.unstableReason).toBeNull();
    expect(Math.abs(exact.serviceLevel - simulated.serviceLevel)).toBeLessThan(0.006);
    expect(Math.abs(exact.probabilityOfAbandonment - simulated.abandonment)).toBeLessThan(0.006);
  });

  it('stays finite for 1,000 agents and for heavy overload with long patience', () => {
    const big = erlangAMetrics({ arrivalsPerHour: 20_000, ahtSeconds: 180, patienceSeconds: 60, agents: 1000, targetSeconds: 20 });
    expect(big.serviceLevel).toBeGreaterThan(0.9);
    expect(Number.isFinite(big.asaSeconds!)).toBe(true);
    // Twice the capacity and 10-hour patience: half the callers must hang up in the long run.
    const overloaded = erlangAMetrics({ arrivalsPerHour: 4000, ahtSeconds: 180, patienceSeconds: 36_000, agents: 100, targetSeconds: 20 });
    expect(overloaded.probabilityOfAbandonment).toBeCloseTo(0.5, 6);
    expect(overloaded.serviceLevel).toBeLessThan(1e-6);
  });

  it('answers everyone waiting and abandoning when there are no agents', () => {
    const m = erlangAMetrics({ arrivalsPerHour: 100, ahtSeconds: 180, patienceSeconds: 60, agents: 0, targetSeconds: 20 });
    expect(m).toMatchObject({ probabilityOfWaiting: 1, probabilityOfAbandonment: 1, serviceLevel: 0, occupancy: 0 });
    expect(m.asaSeconds).toBeCloseTo(60, 9);
  });

  it('offers three service-level bases that order as offered ≤ excludeShortAbandons ≤ answered', () => {
    const base = { arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: 300, agents: 12, targetSeconds: 20 };
    const offered = erlangAMetrics({ ...base, serviceLevelBasis: 'offered' }).serviceLevel;
    const shortExcluded = erlangAMetrics({ ...base, serviceLevelBasis: 'excludeShortAbandons' }).serviceLevel;
    const answered = erlangAMetrics({ ...base, serviceLevelBasis: 'answered' }).serviceLevel;
    expect(offered).toBeLessThan(shortExcluded);
    expect(shortExcluded).toBeLessThan(answered);
  });

  const queueFields = {
    agents: fc.integer({ min: 0, max: 120 }),
    load: fc.double({ min: 0.01, max: 150, noNaN: true }),
    ahtSeconds: fc.integer({ min: 30, max: 1800 }),
    patienceSeconds: fc.integer({ min: 5, max: 1200 }),
    targetSeconds: fc.integer({ min: 0, max: 300 }),
  };
  const queueArbitrary = fc.record(queueFields);
  const toInput = (q: { agents: number; load: number; ahtSeconds: number; patienceSeconds: number; targetSeconds: number }) => ({
    ...q,
    arrivalsPerHour: (q.load * 3600) / q.ahtSeconds,
  });

  it('keeps probabilities in [0, 1] and satisfies Little\'s law: P(abandon) = ASA / patience', () => {
    fc.assert(
      fc.property(queueArbitrary, (q) => {
        const m = erlangAMetrics(toInput(q));
        for (const p of [m.probabilityOfWaiting, m.probabilityOfAbandonment, m.serviceLevel, m.occupancy, m.probabilityOfAbandonmentWithinTarget]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(m.probabilityOfAbandonment).toBeCloseTo(m.asaSeconds! / q.patienceSeconds, 9);
        expect(m.serviceLevel + m.probabilityOfAbandonment).toBeLessThanOrEqual(1 + 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('reaches the stationary abandonment rate when the target time is long (transient and stationary views agree)', () => {
    // Stepping the transient to θt = 20 costs ~λ²·20·patience²: moderate queues keep this property quick.
    const moderate = fc.record({ ...queueFields, load: fc.double({ min: 0.01, max: 40, noNaN: true }), patienceSeconds: fc.integer({ min: 5, max: 300 }) });
    fc.assert(
      fc.property(moderate, (q) => {
        // θt = 20: the transient computation (a caller still waiting after that is e^-20 ≈ 2e-9 likely).
        const input = { ...toInput(q), targetSeconds: 20 * q.patienceSeconds };
        const m = erlangAMetrics(input);
        expect(m.probabilityOfAbandonmentWithinTarget).toBeCloseTo(m.probabilityOfAbandonment, 6);
        expect(m.serviceLevel).toBeCloseTo(1 - m.probabilityOfAbandonment, 6);
        // θt ≥ 40 answers with the stationary figures at once, and they agree with the transient ones.
        const settled = erlangAMetrics({ ...input, targetSeconds: 1_000 * q.patienceSeconds });
        expect(settled.probabilityOfAbandonmentWithinTarget).toBeCloseTo(m.probabilityOfAbandonmentWithinTarget, 6);
        expect(settled.serviceLevel).toBeCloseTo(m.serviceLevel, 6);
      }),
      { numRuns: 25 },
    );
  });

  it('improves service level and abandonment with each added agent', () => {
    fc.assert(
      fc.property(queueArbitrary, (q) => {
        const fewer = erlangAMetrics(toInput(q));
        const more = erlangAMetrics(toInput({ ...q, agents: q.agents + 1 }));
        expect(more.serviceLevel).toBeGreaterThanOrEqual(fewer.serviceLevel - 1e-9);
        expect(more.probabilityOfAbandonment).toBeLessThanOrEqual(fewer.probabilityOfAbandonment + 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('finds the least agents meeting service level and abandonment targets', () => {
    fc.assert(
      fc.property(queueArbitrary, fc.double({ min: 0.5, max: 0.95, noNaN: true }), (q, level) => {
        const input = { ...toInput(q), serviceLevel: level, maxAbandonment: 0.05 };
        const best = leastAgentsErlangA(input);
        expect(best.serviceLevel).toBeGreaterThanOrEqual(level);
        expect(best.probabilityOfAbandonment).toBeLessThanOrEqual(0.05);
        if (best.agents > 0) {
          const fewer = erlangAMetrics({ ...input, agents: best.agents - 1 });
          expect(fewer.serviceLevel < level || fewer.probabilityOfAbandonment > 0.05).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('never needs more agents than Erlang C for the same offered-basis target', () => {
    const a = leastAgentsErlangA({ arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: 300, targetSeconds: 20, serviceLevel: 0.8 });
    expect(a.agents).toBeLessThanOrEqual(14);
    expect(a.agents).toBe(13);
  });

  it('rejects patience that is not positive and unreachable zero targets', () => {
    expect(() => erlangAMetrics({ arrivalsPerHour: 10, ahtSeconds: 180, patienceSeconds: 0, agents: 2, targetSeconds: 20 })).toThrow(/patienceSeconds/);
    expect(() => leastAgentsErlangA({ arrivalsPerHour: 10, ahtSeconds: 180, patienceSeconds: 60, targetSeconds: 20, serviceLevel: 0.8, maxAbandonment: 0 })).toThrow(/maxAbandonment/);
  });
});
