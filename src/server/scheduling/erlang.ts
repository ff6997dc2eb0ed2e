/**
 * Erlang B and Erlang C (M/M/N) queueing formulas for staffing live channels.
 *
 * Stability: everything is built on the Erlang B recursion B(n) = A·B(n−1) / (n + A·B(n−1)),
 * which never forms A^N or N! (the textbook form overflows to NaN for N ≥ 171). Each step is a
 * ratio of positive numbers in (0, 1], so it neither overflows nor loses precision; when B
 * underflows to 0 for N far above A, 0 is also the correct limit. Cost is O(N): about a
 * microsecond per hundred agents.
 *
 * Units: arrivals per hour, handle and answer times in seconds. Offered load A = λ·AHT in Erlangs.
 */

const SECONDS_PER_HOUR = 3600;

export interface LiveQueue {
  /** Mean arrivals (calls, chats) per hour in the interval. */
  readonly arrivalsPerHour: number;
  /** Average handle time in seconds: talk + hold + wrap-up. */
  readonly ahtSeconds: number;
}

export interface ErlangCMetrics {
  readonly agents: number;
  /** Offered load in Erlangs (A = λ·AHT). */
  readonly offeredLoad: number;
  /** Probability that an arriving contact has to wait (Erlang C). */
  readonly probabilityOfWaiting: number;
  /** Fraction of contacts answered within the target answer time. */
  readonly serviceLevel: number;
  /** Average speed of answer over all contacts, in seconds; null when the queue is unstable (it grows without bound). */
  readonly asaSeconds: number | null;
  /** Fraction of agent time spent handling contacts. */
  readonly occupancy: number;
  /** Why the figures describe an overloaded queue, or null when the queue is stable. */
  readonly unstableReason: string | null;
}

export function offeredLoad({ arrivalsPerHour, ahtSeconds }: LiveQueue): number {
  assertNonNegative('arrivalsPerHour', arrivalsPerHour);
  assertNonNegative('ahtSeconds', ahtSeconds);
  return (arrivalsPerHour * ahtSeconds) / SECONDS_PER_HOUR;
}

/** Erlang B blocking probability B(N, A) by the stable forward recursion. */
export function erlangB(agents: number, load: number): number {
  assertAgents(agents);
  assertNonNegative('load', load);
  let blocking = 1;
  for (let n = 1; n <= agents; n++) blocking = nextErlangB(blocking, n, load);
  return blocking;
}

/** One step of the recursion: B(n) from B(n−1). */
export function nextErlangB(previous: number, n: number, load: number): number {
  const numerator = load * previous;
  return numerator / (n + numerator);
}

/** Erlang C from Erlang B: C = N·B / (N − A(1 − B)); 1 when N ≤ A (every contact waits). */
export function erlangCFromB(agents: number, load: number, blocking: number): number {
  if (load === 0) return 0;
  if (agents <= load) return 1;
  return (agents * blocking) / (agents - load * (1 - blocking));
}

/** Erlang C probability of waiting C(N, A). */
export function erlangC(agents: number, load: number): number {
  return erlangCFromB(agents, load, erlangB(agents, load));
}

/** Service level, ASA, occupancy for N agents answering a live queue, with answer-time target t. */
export function erlangCMetrics(queue: LiveQueue & { readonly agents: number; readonly targetSeconds: number }): ErlangCMetrics {
  assertAgents(queue.agents);
  assertNonNegative('targetSeconds', queue.targetSeconds);
  const load = offeredLoad(queue);
  return metricsFromBlocking(queue, load, erlangB(queue.agents, load));
}

function metricsFromBlocking(
  queue: LiveQueue & { readonly agents: number; readonly targetSeconds: number },
  load: number,
  blocking: number,
): ErlangCMetrics {
  const { agents, ahtSeconds, targetSeconds } = queue;
  if (load === 0) {
    return { agents, offeredLoad: 0, probabilityOfWaiting: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0, unstableReason: null };
  }
  if (agents <= load) {
    return {
      agents,
      offeredLoad: load,
      probabilityOfWaiting: 1,
      serviceLevel: 0,
      asaSeconds: null,
      occupancy: 1,
      unstableReason: `offered load ${round(load)} Erlangs needs more than ${agents} agents: the queue grows without bound`,
    };
  }
  const waiting = erlangCFromB(agents, load, blocking);
  const spareCapacity = agents - load;
  return {
    agents,
    offeredLoad: load,
    probabilityOfWaiting: waiting,
    serviceLevel: clampProbability(1 - waiting * Math.exp((-spareCapacity * targetSeconds) / ahtSeconds)),
    asaSeconds: (waiting * ahtSeconds) / spareCapacity,
    occupancy: load / agents,
    unstableReason: null,
  };
}

export interface LiveTargets {
  /** Answer-time target in seconds (the "20" in 80/20). */
  readonly targetSeconds: number;
  /** Fraction of contacts to answer within the target (the "80" in 80/20). */
  readonly serviceLevel: number;
  /** Upper bound on occupancy, to leave breathing room between traumatic calls; 1 = no bound. */
  readonly maxOccupancy?: number;
  /** Upper bound on average speed of answer, in seconds. */
  readonly maxAsaSeconds?: number;
}

/**
 * Least number of agents whose Erlang C figures meet every target. The recursion runs once from
 * 0 to the answer (O(N) in total) instead of recomputing B for every candidate.
 */
export function leastAgentsErlangC(queue: LiveQueue & LiveTargets): ErlangCMetrics {
  assertProbability('serviceLevel', queue.serviceLevel);
  if (queue.serviceLevel === 1 && queue.arrivalsPerHour > 0) {
    throw new RangeError('serviceLevel 1 cannot be met by any finite number of agents with Erlang C');
  }
  const maxOccupancy = queue.maxOccupancy ?? 1;
  if (!(maxOccupancy > 0 && maxOccupancy <= 1)) throw new RangeError(`maxOccupancy must be in (0, 1] (got ${maxOccupancy})`);
  if (queue.maxAsaSeconds !== undefined && !(queue.maxAsaSeconds > 0)) {
    throw new RangeError(`maxAsaSeconds must be > 0 (got ${queue.maxAsaSeconds})`);
  }
  const load = offeredLoad(queue);
  if (load === 0) return metricsFromBlocking({ ...queue, agents: 0 }, 0, 1);
  let agents = 0;
  let blocking = 1;
  for (;;) {
    agents += 1;
    blocking = nextErlangB(blocking, agents, load);
    if (agents <= load) continue;
    const metrics = metricsFromBlocking({ ...queue, agents }, load, blocking);
    const meetsAsa = queue.maxAsaSeconds === undefined || (metrics.asaSeconds ?? Infinity) <= queue.maxAsaSeconds;
    if (metrics.serviceLevel >= queue.serviceLevel && metrics.occupancy <= maxOccupancy && meetsAsa) return metrics;
  }
}

export function clampProbability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

export function assertNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a finite number >= 0 (got ${value})`);
}

export function assertAgents(agents: number): void {
  if (!(Number.isInteger(agents) && agents >= 0)) throw new RangeError(`agents must be an integer >= 0 (got ${agents})`);
}

function assertProbability(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1 (got ${value})`);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
