/**
 * Staffing calculator for a hotline still being designed: expected annual contacts per channel →
 * a typical week of interval requirements → paid hours, FTE and cost, plus service-level curves
 * to plot ("what does one more advocate buy at the peak?").
 */
import { DEFAULT_HOUR_OF_WEEK_PROFILE } from '../../shared/scheduling/default-profile.js';
import { calculatorInputSchema, type CalculatorInput, type Channel, type ChatChannel, type VoiceChannel } from '../../shared/scheduling/schemas.js';
import { erlangCMetrics } from './erlang.js';
import { erlangAMetrics } from './erlang-a.js';
import { computeRequirement, liveAgents, type RequirementResult } from './requirement.js';

const DAYS_PER_YEAR = 365.25;

export interface CurvePoint {
  /** People on the channel (for chat, each holds `maxConcurrentChats` conversations). */
  readonly staff: number;
  readonly serviceLevel: number;
  /** Null when the queue is overloaded and waits grow without bound. */
  readonly asaSeconds: number | null;
  readonly occupancy: number;
  /** Only with a patience time (Erlang A). */
  readonly abandonment: number | null;
}

export interface ChannelSummary {
  readonly id: string;
  readonly kind: Channel['kind'];
  readonly contactsPerWeek: number;
  /** Staff-hours per week of this channel's own requirement, before shrinkage and floor. */
  readonly productiveHoursPerWeek: number;
  /** The interval with the most arrivals, and the staff this channel needs in it. */
  readonly peakInterval: number;
  readonly peakStaff: number;
  /** Live channels only: service level against staff at the channel's busiest interval. */
  readonly peakCurve: readonly CurvePoint[] | null;
}

export interface CalculatorResult {
  readonly intervalMinutes: number;
  readonly channels: readonly ChannelSummary[];
  readonly requirement: RequirementResult;
  /** Σ over the week of people needed per interval: the floor under any schedule. */
  readonly requiredStaffHoursPerWeek: number;
  /** Staff-hours the safety floor alone would need (minimum on duty around the clock). */
  readonly floorStaffHoursPerWeek: number;
  readonly paidHoursPerWeek: number;
  readonly fte: number;
  readonly annualCost: number | null;
  readonly currency: string | null;
  readonly peakScheduled: number;
}

export function calculateStaffing(raw: CalculatorInput): CalculatorResult {
  const input = calculatorInputSchema.parse(raw);
  const intervalsPerHour = 60 / input.intervalMinutes;
  const arrivals: Record<string, number[]> = {};
  for (const channel of input.channels) {
    const weights = normalise(channel.profile ?? input.profile ?? DEFAULT_HOUR_OF_WEEK_PROFILE);
    const weekly = (channel.annualContacts * 7) / DAYS_PER_YEAR;
    arrivals[channel.id] = weights.flatMap((w) => new Array<number>(intervalsPerHour).fill((weekly * w) / intervalsPerHour));
  }
  const channels = input.channels.map(withoutCalculatorFields);
  const requirement = computeRequirement({
    intervalMinutes: input.intervalMinutes,
    channels,
    arrivals,
    shrinkage: input.shrinkage,
    floor: input.floor,
    isCyclicWeek: true,
  });

  const hoursPerInterval = input.intervalMinutes / 60;
  const summaries = channels.map((channel): ChannelSummary => {
    const staff = requirement.intervals.map((r) => r.byChannel[channel.id]);
    // The busiest interval by arrivals: staff counts are whole numbers, so their maximum is often a plateau.
    const peakInterval = arrivals[channel.id].indexOf(Math.max(...arrivals[channel.id]));
    const peakArrivalsPerHour = arrivals[channel.id][peakInterval] * intervalsPerHour;
    return {
      id: channel.id,
      kind: channel.kind,
      contactsPerWeek: arrivals[channel.id].reduce((a, b) => a + b, 0),
      productiveHoursPerWeek: staff.reduce((a, b) => a + b, 0) * hoursPerInterval,
      peakInterval,
      peakStaff: staff[peakInterval],
      peakCurve: channel.kind === 'deferred' ? null : serviceLevelCurve(channel, peakArrivalsPerHour),
    };
  });

  const requiredStaffHoursPerWeek = requirement.scheduledStaffHours;
  const paidHoursPerWeek = requiredStaffHoursPerWeek * (1 + input.schedulingOverhead);
  const fte = paidHoursPerWeek / input.fullTimeHoursPerWeek;
  return {
    intervalMinutes: input.intervalMinutes,
    channels: summaries,
    requirement,
    requiredStaffHoursPerWeek,
    floorStaffHoursPerWeek: input.floor.minimumOnDuty * 7 * 24,
    paidHoursPerWeek,
    fte,
    annualCost: input.annualCostPerFte === undefined ? null : fte * input.annualCostPerFte,
    currency: input.currency ?? null,
    peakScheduled: Math.max(...requirement.intervals.map((r) => r.scheduled)),
  };
}

/**
 * Service level, ASA, occupancy (and abandonment) for each staff count from the first that can
 * carry the load (or 1) up to a few people past the requirement: the data behind a
 * "service level against staff" chart.
 */
export function serviceLevelCurve(channel: VoiceChannel | ChatChannel, arrivalsPerHour: number, extraStaff = 4): CurvePoint[] {
  const slotsPerPerson = channel.kind === 'chat' ? channel.maxConcurrentChats : 1;
  const required = liveAgents(channel, arrivalsPerHour, slotsPerPerson);
  const load = (arrivalsPerHour * channel.ahtSeconds) / 3600;
  const first = Math.max(1, Math.min(required, Math.floor(load / slotsPerPerson)));
  const points: CurvePoint[] = [];
  for (let staff = first; staff <= required + extraStaff; staff++) {
    const queue = { arrivalsPerHour, ahtSeconds: channel.ahtSeconds, agents: staff * slotsPerPerson, targetSeconds: channel.target.answerSeconds };
    if (channel.patienceSeconds === undefined) {
      const m = erlangCMetrics(queue);
      points.push({ staff, serviceLevel: m.serviceLevel, asaSeconds: m.asaSeconds, occupancy: m.occupancy, abandonment: null });
    } else {
      const m = erlangAMetrics({ ...queue, patienceSeconds: channel.patienceSeconds, serviceLevelBasis: channel.serviceLevelBasis });
      points.push({ staff, serviceLevel: m.serviceLevel, asaSeconds: m.asaSeconds, occupancy: m.occupancy, abandonment: m.probabilityOfAbandonment });
    }
  }
  return points;
}

function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function withoutCalculatorFields(channel: { annualContacts: number; profile?: unknown } & Channel): Channel {
  const { annualContacts: _annual, profile: _profile, ...rest } = channel;
  return rest as Channel;
}
