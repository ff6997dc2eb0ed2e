/**
 * Staff required in each interval, from the forecast arrivals of every channel.
 *
 * - voice: least agents meeting the service level, occupancy (and abandonment) targets, by Erlang C,
 *   or Erlang A when the channel gives callers' patience;
 * - chat: the same queue with `maxConcurrentChats` answering slots per advocate;
 * - deferred (SMS, email, web tips): each interval's workload is spread evenly over the intervals
 *   before its response deadline, which is a schedule that clears every item in time (a fluid
 *   model: it ignores that single items are indivisible, which only matters for tiny volumes).
 *
 * Channel figures are added (advocates are not assumed to answer a call and a chat at the same
 * moment), grossed up for shrinkage, then raised to the safety floor.
 */
import {
  requirementInputSchema,
  type ChatChannel,
  type DeferredChannel,
  type ParsedRequirementInput,
  type RequirementInput,
  type VoiceChannel,
} from '../../shared/scheduling/schemas.js';
import { leastAgentsErlangC } from './erlang.js';
import { leastAgentsErlangA } from './erlang-a.js';

export interface IntervalRequirement {
  readonly interval: number;
  /** Agents or advocates needed on each live channel (whole people), and deferred work in people (fractional), by channel id. */
  readonly byChannel: Readonly<Record<string, number>>;
  /** People handling contacts at once: the channel figures summed and rounded up. */
  readonly productive: number;
  /** People to schedule: productive grossed up for shrinkage, and at least the safety floor. */
  readonly scheduled: number;
  /** Supervisors among those scheduled (1 when the floor requires one on duty). */
  readonly supervisorsOnDuty: number;
  /** On-call supervisors needed in addition (1 when an on-call supervisor may stand in). */
  readonly onCallSupervisors: number;
  /** True when the safety floor, not the workload, set `scheduled`. */
  readonly isFloorBinding: boolean;
}

export interface RequirementResult {
  readonly intervalMinutes: number;
  readonly intervals: readonly IntervalRequirement[];
  /** Σ scheduled × interval length: the least paid staff-hours any schedule needs. */
  readonly scheduledStaffHours: number;
}

export function computeRequirement(raw: RequirementInput): RequirementResult {
  const input = requirementInputSchema.parse(raw);
  const intervalCount = input.arrivals[input.channels[0].id].length;
  const byChannel = input.channels.map((channel) => ({ id: channel.id, staff: channelRequirement(channel, input) }));
  const intervals: IntervalRequirement[] = [];
  for (let i = 0; i < intervalCount; i++) {
    const channelStaff: Record<string, number> = {};
    let productiveExact = 0;
    for (const { id, staff } of byChannel) {
      channelStaff[id] = staff[i];
      productiveExact += staff[i];
    }
    // Tolerance keeps 2.0000000001 (from summing fractions) from becoming 3 people.
    const productive = Math.max(0, Math.ceil(productiveExact - 1e-9));
    const grossedUp = productive === 0 ? 0 : Math.ceil(productive / (1 - input.shrinkage) - 1e-9);
    const scheduled = Math.max(grossedUp, input.floor.minimumOnDuty);
    intervals.push({
      interval: i,
      byChannel: channelStaff,
      productive,
      scheduled,
      supervisorsOnDuty: input.floor.supervisor === 'onDuty' ? 1 : 0,
      onCallSupervisors: input.floor.supervisor === 'onDutyOrOnCall' ? 1 : 0,
      isFloorBinding: input.floor.minimumOnDuty > grossedUp,
    });
  }
  const hoursPerInterval = input.intervalMinutes / 60;
  return {
    intervalMinutes: input.intervalMinutes,
    intervals,
    scheduledStaffHours: intervals.reduce((sum, r) => sum + r.scheduled * hoursPerInterval, 0),
  };
}

function channelRequirement(channel: ParsedRequirementInput['channels'][number], input: ParsedRequirementInput): number[] {
  const arrivals = input.arrivals[channel.id];
  switch (channel.kind) {
    case 'voice':
      return memoised(arrivals, (count) => liveAgents(channel, (count * 60) / input.intervalMinutes, 1));
    case 'chat':
      return memoised(arrivals, (count) => liveAgents(channel, (count * 60) / input.intervalMinutes, channel.maxConcurrentChats));
    case 'deferred':
      return deferredStaff(channel, arrivals, input.intervalMinutes, input.isCyclicWeek);
  }
}

/** Weekly forecasts repeat the same volumes often; each distinct volume is solved once. */
function memoised(arrivals: readonly number[], solve: (count: number) => number): number[] {
  const cache = new Map<number, number>();
  return arrivals.map((count) => {
    let staff = cache.get(count);
    if (staff === undefined) {
      staff = solve(count);
      cache.set(count, staff);
    }
    return staff;
  });
}

/** People needed on a live queue; with `slotsPerPerson` > 1 each person counts as that many answering slots. */
export function liveAgents(channel: VoiceChannel | ChatChannel, arrivalsPerHour: number, slotsPerPerson: number): number {
  if (arrivalsPerHour === 0) return 0;
  const targets = {
    arrivalsPerHour,
    ahtSeconds: channel.ahtSeconds,
    targetSeconds: channel.target.answerSeconds,
    serviceLevel: channel.target.serviceLevel,
    maxOccupancy: channel.maxOccupancy,
  };
  const slots =
    channel.patienceSeconds === undefined
      ? leastAgentsErlangC(targets).agents
      : leastAgentsErlangA({ ...targets, patienceSeconds: channel.patienceSeconds, maxAbandonment: channel.maxAbandonment, serviceLevelBasis: channel.serviceLevelBasis }).agents;
  return Math.ceil(slots / slotsPerPerson);
}

/**
 * Deferred work: work arriving in interval i is due `responseMinutes` later, so it is spread evenly
 * over the d = ⌊responseMinutes / intervalMinutes⌋ intervals i..i+d−1 (at least one), all of which
 * end by the deadline. Staff in interval t = workload hours arriving in the d intervals up to t ÷ d
 * ÷ interval hours ÷ occupancy.
 */
export function deferredStaff(channel: DeferredChannel, arrivals: readonly number[], intervalMinutes: number, isCyclicWeek: boolean): number[] {
  const n = arrivals.length;
  const spread = Math.max(1, Math.min(n, Math.floor(channel.responseMinutes / intervalMinutes)));
  const workloadHours = arrivals.map((count) => (count * channel.ahtSeconds) / 3600);
  const intervalHours = intervalMinutes / 60;
  const staff = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const perInterval = workloadHours[i] / spread / intervalHours / channel.maxOccupancy;
    for (let k = 0; k < spread; k++) {
      const t = i + k;
      if (t < n) staff[t] += perInterval;
      else if (isCyclicWeek) staff[t - n] += perInterval;
      // An open (non-cyclic) horizon ends with the last interval, so late work is squeezed into it.
      else staff[n - 1] += perInterval;
    }
  }
  return staff;
}

export type { ParsedRequirementInput };
