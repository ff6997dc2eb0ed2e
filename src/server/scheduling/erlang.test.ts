import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erlangB, erlangC, erlangCMetrics, leastAgentsErlangC } from './erlang.js';

/**
 * An independent textbook implementation, used only as a cross-check beside published values:
 * C(N, A) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)), terms built one by one.
 * It is only trusted for N ≤ 150 (the powers overflow near 171).
 */
function textbookErlangC(agents: number, load: number): number {
  let term = 1;
  let below = 0;
  for (let k = 0; k < agents; k++) {
    below += term;
    term = (term * load) / (k + 1);
  }
  const top = (term * agents) / (agents - load);
  return top / (below + top);
}

describe('Erlang B', () => {
  it('matches exact rationals and Erlang B tables', () => {
    // B(5, 2) = (2^5/5!) / Σ_{k≤5} 2^k/k! = 4/109 exactly; B(10, 5) = 0.0183846 from standard Erlang B tables.
    expect(erlangB(5, 2)).toBeCloseTo(4 / 109, 14);
    expect(erlangB(10, 5)).toBeCloseTo(0.0183846, 7);
    expect(erlangB(0, 3)).toBe(1);
  });

  it('stays finite for 500 agents, where the factorial form returns NaN', () => {
    // SCHEDULING.md vector 10 (computed; pyworkforce agrees): B(500, 450) = 0.00123445
    expect(erlangB(500, 450)).toBeCloseTo(0.00123445, 8);
  });
});

describe('Erlang C', () => {
  it('gives exactly 4/9 for 3 agents and 2 Erlangs (Mathematica ErlangC documentation example)', () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 14);
  });

  it('reproduces the Call Centre Helper worked example: 100 calls per 30 min, AHT 180 s, 80/20', () => {
    // Call Centre Helper, "Erlang C formula – made simple": A = 10, 14 agents -> P(wait) 0.1741, SL 88.84 %, ASA 7.84 s, occupancy 71.4 %.
    const m = erlangCMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, agents: 14, targetSeconds: 20 });
    expect(m.offeredLoad).toBeCloseTo(10, 10);
    expect(m.probabilityOfWaiting).toBeCloseTo(0.1741, 4);
    expect(m.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(m.asaSeconds).toBeCloseTo(7.84, 2);
    expect(m.occupancy).toBeCloseTo(0.714, 3);
    // ... and 13 agents miss the target with SL 79.56 %.
    expect(erlangCMetrics({ arrivalsPerHour: 200, ahtSeconds: 180, agents: 13, targetSeconds: 20 }).serviceLevel).toBeCloseTo(0.7956, 4);
    expect(leastAgentsErlangC({ arrivalsPerHour: 200, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }).agents).toBe(14);
  });

  it('raises the agent count to respect a maximum occupancy (pyworkforce test_over_occupancy_erlangc)', () => {
    const m = leastAgentsErlangC({ arrivalsPerHour: 200, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.7 });
    expect(m.agents).toBe(15);
    expect(m.serviceLevel).toBeCloseTo(0.941, 3);
    expect(m.occupancy).toBeCloseTo(0.667, 3);
    expect(m.probabilityOfWaiting).toBeCloseTo(0.102, 3);
  });

  it('needs 28 agents for 250 calls per hour, AHT 330 s, 80/30 (jonesthenet "Erlang uplift")', () => {
    const m = leastAgentsErlangC({ arrivalsPerHour: 250, ahtSeconds: 330, targetSeconds: 30, serviceLevel: 0.8 });
    expect(m.agents).toBe(28);
    expect(m.serviceLevel).toBeCloseTo(0.8569, 4);
    expect(erlangCMetrics({ arrivalsPerHour: 250, ahtSeconds: 330, agents: 27, targetSeconds: 30 }).serviceLevel).toBeCloseTo(0.7822, 4);
  });

  it('gives C = 0.1013 for 120 calls per hour of 3 minutes on 10 agents (Math StackExchange example)', () => {
    expect(erlangC(10, 6)).toBeCloseTo(0.1013, 4);
  });

  it('needs 6 agents for 30 calls per hour of 5 minutes with at least 90 % not delayed (Mathematica ErlangC docs)', () => {
    // "Not delayed" is a service level with a zero-second target: 1 − C.
    const m = leastAgentsErlangC({ arrivalsPerHour: 30, ahtSeconds: 300, targetSeconds: 0, serviceLevel: 0.9 });
    expect(m.agents).toBe(6);
    expect(m.probabilityOfWaiting).toBeCloseTo(0.0474, 4);
    expect(erlangC(5, 2.5)).toBeCloseTo(0.1304, 4);
  });

  it('reproduces Mitan\'s example: 360 calls per 30 min, 4 min AHT, 55 agents, 15 s target', () => {
    const m = erlangCMetrics({ arrivalsPerHour: 720, ahtSeconds: 240, agents: 55, targetSeconds: 15 });
    expect(m.offeredLoad).toBeCloseTo(48, 10);
    expect(m.probabilityOfWaiting).toBeCloseTo(0.2387, 4);
    expect(m.asaSeconds).toBeCloseTo(8.184, 3);
    expect(m.serviceLevel).toBeCloseTo(0.84588, 5);
  });

  it('stays finite and accurate for 500 agents (computed vector C(500, 450) = 0.0122089)', () => {
    expect(erlangC(500, 450)).toBeCloseTo(0.0122089, 7);
  });

  it('answers an overloaded queue with SL 0, ASA null and a reason, never NaN', () => {
    const m = erlangCMetrics({ arrivalsPerHour: 400, ahtSeconds: 180, agents: 20, targetSeconds: 20 });
    expect(m).toMatchObject({ probabilityOfWaiting: 1, serviceLevel: 0, asaSeconds: null, occupancy: 1 });
    expect(m.unstableReason).toMatch(/20 agents/);
    const exactlyFull = erlangCMetrics({ arrivalsPerHour: 400, ahtSeconds: 180, agents: 20 + 0, targetSeconds: 20 });
    expect(exactlyFull.asaSeconds).toBeNull();
  });

  it('treats zero arrivals as perfect service with no agents needed', () => {
    expect(erlangCMetrics({ arrivalsPerHour: 0, ahtSeconds: 180, agents: 0, targetSeconds: 20 })).toMatchObject({ serviceLevel: 1, asaSeconds: 0, occupancy: 0 });
    expect(leastAgentsErlangC({ arrivalsPerHour: 0, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }).agents).toBe(0);
  });

  it('rejects invalid inputs instead of computing NaN', () => {
    expect(() => erlangC(2.5, 1)).toThrow(/agents/);
    expect(() => erlangCMetrics({ arrivalsPerHour: -1, ahtSeconds: 180, agents: 3, targetSeconds: 20 })).toThrow(/arrivalsPerHour/);
    expect(() => erlangCMetrics({ arrivalsPerHour: Number.NaN, ahtSeconds: 180, agents: 3, targetSeconds: 20 })).toThrow(/arrivalsPerHour/);
    expect(() => leastAgentsErlangC({ arrivalsPerHour: 10, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 1 })).toThrow(/serviceLevel/);
    expect(() => leastAgentsErlangC({ arrivalsPerHour: 10, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8, maxAsaSeconds: 0 })).toThrow(/maxAsaSeconds/);
  });

  it('agrees with the textbook formula wherever that formula is still finite', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (agents, utilisation) => {
        const load = agents * utilisation;
        expect(erlangC(agents, load)).toBeCloseTo(textbookErlangC(agents, load), 10);
      }),
    );
  });

  it('keeps every figure a finite probability for up to 2,000 agents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.double({ min: 0, max: 2500, noNaN: true }), fc.integer({ min: 0, max: 600 }), (agents, load, target) => {
        const m = erlangCMetrics({ arrivalsPerHour: load * 20, ahtSeconds: 180, agents, targetSeconds: target });
        for (const p of [m.probabilityOfWaiting, m.serviceLevel, m.occupancy]) {
          expect(Number.isFinite(p)).toBe(true);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(m.asaSeconds === null || (Number.isFinite(m.asaSeconds) && m.asaSeconds >= 0)).toBe(true);
        expect(m.asaSeconds === null).toBe(m.unstableReason !== null);
      }),
    );
  });

  it('improves service level and ASA with every added agent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 800 }), fc.double({ min: 0.1, max: 700, noNaN: true }), fc.integer({ min: 0, max: 120 }), (agents, load, target) => {
        const queue = { arrivalsPerHour: load * 20, ahtSeconds: 180, targetSeconds: target };
        const fewer = erlangCMetrics({ ...queue, agents });
        const more = erlangCMetrics({ ...queue, agents: agents + 1 });
        expect(more.serviceLevel).toBeGreaterThanOrEqual(fewer.serviceLevel - 1e-12);
        expect(more.probabilityOfWaiting).toBeLessThanOrEqual(fewer.probabilityOfWaiting + 1e-12);
        if (fewer.asaSeconds !== null) expect(more.asaSeconds!).toBeLessThanOrEqual(fewer.asaSeconds + 1e-9);
      }),
    );
  });

  it('returns the least staffing that meets the target: one agent fewer misses it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 600, noNaN: true }), fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.integer({ min: 0, max: 120 }), (load, level, target) => {
        const queue = { arrivalsPerHour: load * 12, ahtSeconds: 300, targetSeconds: target };
        const best = leastAgentsErlangC({ ...queue, serviceLevel: level });
        expect(best.serviceLevel).toBeGreaterThanOrEqual(level);
        expect(erlangCMetrics({ ...queue, agents: best.agents - 1 }).serviceLevel).toBeLessThan(level);
      }),
    );
  });
});
