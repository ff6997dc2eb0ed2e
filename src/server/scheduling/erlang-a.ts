/**
 * Erlang A (Palm's M/M/N+M queue): Poisson arrivals, exponential handle times, N agents, and
 * callers who hang up after an exponential patience time (mean 1/θ). On a hotline people in
 * danger do hang up, so Erlang C (infinite patience) overstates waiting and misses abandonment.
 *
 * Model (Garnett, Mandelbaum & Reiman 2002, MSOM 4(3):208–227; Mandelbaum & Zeltyn, "The
 * Palm/Erlang-A queue, with applications to call centers"): a birth–death chain on the number in
 * system n with birth rate λ and death rate min(n,N)·μ + max(n−N,0)·θ.
 *
 * Stability: states are weighted relative to p_N. Below N, Σ_{n≤N} p_n/p_N = 1/B(N, A), and log(1/B)
 * comes from a log-space Erlang B recursion, so it cannot overflow even when B underflows. Above N
 * the tail terms are summed in log space with a running maximum (they can rise steeply before
 * falling when the queue is overloaded and patience is long). The tail is truncated once a term is
 * below e^−42 ≈ 6·10^−19 of the largest one.
 */
import { assertAgents, assertNonNegative, erlangCMetrics, type LiveQueue } from './erlang.js';

const SECONDS_PER_HOUR = 3600;
const NEGLIGIBLE_LOG = -42;
/** Guard against models whose queue tail would take millions of states (patience far longer than any real caller's). */
const MAX_TAIL_STATES = 2_000_000;
/** θ·t beyond which every caller has been answered or hung up (e^−40 ≈ 4e-18). */
const SETTLED_AFTER = 40;

/**
 * What "answered within the target" is divided by. Hotlines report it differently, so callers choose:
 * - `offered`: all arrivals; an abandoned call counts as a miss (strictest; our default).
 * - `answered`: only answered calls; abandons are left out of the figure.
 * - `excludeShortAbandons`: all arrivals except those who hung up before the target time.
 */
export type AbandonedServiceLevelBasis = 'offered' | 'answered' | 'excludeShortAbandons';

export interface ErlangAInput extends LiveQueue {
  readonly agents: number;
  readonly targetSeconds: number;
  /** Mean time a caller waits before hanging up; Infinity gives Erlang C. */
  readonly patienceSeconds: number;
  readonly serviceLevelBasis?: AbandonedServiceLevelBasis;
}

export interface ErlangAMetrics {
  readonly agents: number;
  readonly offeredLoad: number;
  readonly probabilityOfWaiting: number;
  /** Fraction of arrivals who hang up before being answered. */
  readonly probabilityOfAbandonment: number;
  /** Abandoned contacts per hour. */
  readonly abandonmentsPerHour: number;
  readonly serviceLevel: number;
  /** Fraction of arrivals who hang up before the target answer time. */
  readonly probabilityOfAbandonmentWithinTarget: number;
  /** Mean time in queue over all arrivals (including zero waits and the time abandoners waited), in seconds. */
  readonly asaSeconds: number | null;
  readonly occupancy: number;
  /** Set only when patience is infinite (Erlang C) and the queue is overloaded. */
  readonly unstableReason: string | null;
}

export function erlangAMetrics(input: ErlangAInput): ErlangAMetrics {
  const { agents, arrivalsPerHour, ahtSeconds, targetSeconds, patienceSeconds } = input;
  assertAgents(agents);
  assertNonNegative('arrivalsPerHour', arrivalsPerHour);
  assertNonNegative('targetSeconds', targetSeconds);
  if (!(ahtSeconds > 0 && Number.isFinite(ahtSeconds))) throw new RangeError(`ahtSeconds must be > 0 (got ${ahtSeconds})`);
  if (!(patienceSeconds > 0)) throw new RangeError(`patienceSeconds must be > 0 (got ${patienceSeconds})`);
  if (patienceSeconds === Infinity) {
    const c = erlangCMetrics(input);
    return { ...c, probabilityOfAbandonment: 0, abandonmentsPerHour: 0, probabilityOfAbandonmentWithinTarget: 0 };
  }

  const lambda = arrivalsPerHour / SECONDS_PER_HOUR;
  const mu = 1 / ahtSeconds;
  const theta = 1 / patienceSeconds;
  const load = lambda / mu;
  if (lambda === 0) {
    return { agents, offeredLoad: 0, probabilityOfWaiting: 0, probabilityOfAbandonment: 0, abandonmentsPerHour: 0, serviceLevel: 1, probabilityOfAbandonmentWithinTarget: 0, asaSeconds: 0, occupancy: 0, unstableReason: null };
  }

  const logBelow = logStatesBelowN(agents, load);
  const tail = queueTail(agents, lambda, mu, theta);
  const logTotal = logAddExp(logBelow, tail.logMass);
  const probabilityOfWaiting = Math.exp(tail.logMass - logTotal);
  const meanQueue = Math.exp(tail.logQueueLength - logTotal);
  const probabilityOfAbandonment = Math.min(1, (theta * meanQueue) / lambda);

  // A waiting caller hangs up at rate θ whatever else happens, so after t seconds at most e^(−θt) of them still wait:
  // past θt = 40 (4e-18) the answer is the stationary one. Stepping the transient there costs ~λ²·patience·t and took
  // minutes for long targets on overloaded queues.
  const within = theta * targetSeconds >= SETTLED_AFTER
    ? { answered: 1 - probabilityOfAbandonment, abandoned: probabilityOfAbandonment }
    : answeredAndAbandonedWithin(targetSeconds, agents * mu, theta, Math.exp(logBelow - logTotal), tail, logTotal);
  const basis = input.serviceLevelBasis ?? 'offered';
  const denominator = basis === 'offered' ? 1 : basis === 'answered' ? 1 - probabilityOfAbandonment : 1 - within.abandoned;
  return {
    agents,
    offeredLoad: load,
    probabilityOfWaiting,
    probabilityOfAbandonment,
    abandonmentsPerHour: probabilityOfAbandonment * arrivalsPerHour,
    serviceLevel: denominator > 0 ? Math.min(1, within.answered / denominator) : 0,
    probabilityOfAbandonmentWithinTarget: within.abandoned,
    asaSeconds: meanQueue / lambda,
    occupancy: agents === 0 ? 0 : Math.min(1, (load * (1 - probabilityOfAbandonment)) / agents),
    unstableReason: null,
  };
}

/** log( Σ_{n<N} p_n / p_N ) = log(1/B(N,A) − 1), with log(1/B) from a log-space recursion. */
function logStatesBelowN(agents: number, load: number): number {
  if (agents === 0) return -Infinity;
  // 1/B(n) = 1 + (n/A)·1/B(n−1); in logs L(n) = softplus(log(n/A) + L(n−1)).
  let logInverseB = 0;
  const logLoad = Math.log(load);
  for (let n = 1; n <= agents; n++) logInverseB = softplus(Math.log(n) - logLoad + logInverseB);
  // log(e^L − 1) = L + log(1 − e^−L)
  return logInverseB + Math.log(-Math.expm1(-logInverseB));
}

interface QueueTail {
  /** log q_{N+k} for k = 0..K, relative to q_N = 1. */
  readonly logWeights: Float64Array;
  readonly logMass: number;
  readonly logQueueLength: number;
}

function queueTail(agents: number, lambda: number, mu: number, theta: number): QueueTail {
  const logLambda = Math.log(lambda);
  const weights: number[] = [0];
  let logWeight = 0;
  let maxLog = 0;
  let scaledMass = 1;
  let scaledQueue = 0;
  for (let k = 1; ; k++) {
    if (k > MAX_TAIL_STATES) {
      throw new RangeError('patience is too long for this overload: the Erlang A queue would hold millions of callers; model it with Erlang C or more agents');
    }
    const deathRate = agents * mu + k * theta;
    logWeight += logLambda - Math.log(deathRate);
    weights.push(logWeight);
    if (logWeight > maxLog) {
      const shrink = Math.exp(maxLog - logWeight);
      scaledMass *= shrink;
      scaledQueue *= shrink;
      maxLog = logWeight;
    }
    scaledMass += Math.exp(logWeight - maxLog);
    scaledQueue += k * Math.exp(logWeight - maxLog);
    const pastPeak = deathRate >= lambda;
    if (pastPeak && logWeight + Math.log(k) - maxLog < NEGLIGIBLE_LOG) break;
  }
  return {
    logWeights: Float64Array.from(weights),
    logMass: maxLog + Math.log(scaledMass),
    logQueueLength: maxLog + Math.log(scaledQueue),
  };
}

/**
 * Probabilities that an arrival is answered, or hangs up, within `targetSeconds`.
 *
 * Follow one arriving caller who finds j callers ahead in the queue (FCFS). Position j falls to
 * j−1 at rate Nμ + jθ (a service ends or someone ahead hangs up); from j = 0 the caller is
 * answered at rate Nμ; the caller hangs up at rate θ in every position. The transient
 * probabilities at time t come from uniformization: a discrete chain stepped with rate Λ and
 * Poisson(Λt) weights, which involves only sums of non-negative terms.
 */
function answeredAndAbandonedWithin(
  targetSeconds: number,
  serviceRate: number,
  theta: number,
  answeredAtOnce: number,
  tail: QueueTail,
  logTotal: number,
): { answered: number; abandoned: number } {
  const positions = tail.logWeights.length;
  let state: Float64Array = new Float64Array(positions);
  for (let j = 0; j < positions; j++) state[j] = Math.exp(tail.logWeights[j] - logTotal);
  const uniformRate = serviceRate + positions * theta;
  const meanSteps = uniformRate * targetSeconds;
  let answered = 0;
  let abandoned = 0;
  let answeredWithin = 0;
  let abandonedWithin = 0;
  let logPoisson = -meanSteps;
  let next: Float64Array = new Float64Array(positions);
  for (let step = 0; ; step++) {
    if (step > 0) logPoisson += Math.log(meanSteps) - Math.log(step);
    const weight = Math.exp(logPoisson);
    answeredWithin += weight * answered;
    abandonedWithin += weight * abandoned;
    if (step > meanSteps && (weight < 1e-18 || meanSteps === 0)) break;
    next.fill(0);
    for (let j = 0; j < positions; j++) {
      const mass = state[j];
      if (mass === 0) continue;
      const advance = (serviceRate + j * theta) / uniformRate;
      const hangUp = theta / uniformRate;
      if (j === 0) answered += mass * advance;
      else next[j - 1] += mass * advance;
      abandoned += mass * hangUp;
      next[j] += mass * (1 - advance - hangUp);
    }
    [state, next] = [next, state];
  }
  return { answered: Math.min(1, answeredAtOnce + answeredWithin), abandoned: Math.min(1, abandonedWithin) };
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

export interface AbandonmentTargets {
  readonly targetSeconds: number;
  readonly serviceLevel: number;
  readonly maxOccupancy?: number;
  readonly maxAsaSeconds?: number;
  /** Upper bound on the fraction of callers who hang up. */
  readonly maxAbandonment?: number;
}

/**
 * Least agents whose Erlang A figures meet every target. Each target improves monotonically with
 * more agents, so the answer is bracketed by doubling and then found by bisection: about
 * 2·log2(N) evaluations instead of N.
 */
export function leastAgentsErlangA(
  queue: LiveQueue & AbandonmentTargets & { readonly patienceSeconds: number; readonly serviceLevelBasis?: AbandonedServiceLevelBasis },
): ErlangAMetrics {
  if (!(queue.serviceLevel >= 0 && queue.serviceLevel < 1)) throw new RangeError(`serviceLevel must be in [0, 1) (got ${queue.serviceLevel})`);
  // With finite patience some callers always hang up and some always wait, so zero bounds are unreachable.
  for (const [name, bound] of [['maxOccupancy', queue.maxOccupancy], ['maxAsaSeconds', queue.maxAsaSeconds], ['maxAbandonment', queue.maxAbandonment]] as const) {
    if (bound !== undefined && !(bound > 0)) throw new RangeError(`${name} must be > 0 (got ${bound})`);
  }
  const meets = (agents: number): ErlangAMetrics | null => {
    const m = erlangAMetrics({ ...queue, agents });
    const ok =
      m.serviceLevel >= queue.serviceLevel &&
      m.occupancy <= (queue.maxOccupancy ?? 1) &&
      (queue.maxAsaSeconds === undefined || (m.asaSeconds ?? Infinity) <= queue.maxAsaSeconds) &&
      (queue.maxAbandonment === undefined || m.probabilityOfAbandonment <= queue.maxAbandonment);
    return ok ? m : null;
  };
  const atZero = meets(0);
  if (atZero) return atZero;
  let failing = 0;
  let passing = Math.max(1, Math.ceil((queue.arrivalsPerHour * queue.ahtSeconds) / SECONDS_PER_HOUR));
  let best = meets(passing);
  while (!best) {
    failing = passing;
    passing *= 2;
    if (passing > 1_000_000) throw new RangeError('no staffing up to 1,000,000 agents meets these targets');
    best = meets(passing);
  }
  while (passing - failing > 1) {
    const middle = Math.floor((failing + passing) / 2);
    const m = meets(middle);
    if (m) {
      passing = middle;
      best = m;
    } else failing = middle;
  }
  return best;
}
