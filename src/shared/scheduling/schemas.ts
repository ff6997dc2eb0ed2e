/**
 * Shapes for staffing and scheduling inputs, shared by the server, the web app and the CLI.
 * A week starts on Monday 00:00 in the hotline's local time; interval i covers
 * [i·intervalMinutes, (i+1)·intervalMinutes) minutes after that.
 */
import { z } from 'zod';

export const MINUTES_PER_WEEK = 7 * 24 * 60;

export const intervalMinutesSchema = z.union([z.literal(15), z.literal(30), z.literal(60)]);
export type IntervalMinutes = z.infer<typeof intervalMinutesSchema>;

const fraction = z.number().min(0).max(1);
const positiveSeconds = z.number().positive().finite();

export const serviceTargetSchema = z.object({
  /** Fraction of contacts answered within `answerSeconds` (0.8 for "80/20"). Below 1: no finite staff reaches 1. */
  serviceLevel: z.number().min(0).lt(1),
  /** At most an hour: a live contact's answer target, and the bound that keeps the Erlang A transient fast. */
  answerSeconds: z.number().min(0).max(3600),
});

const channelBase = {
  id: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_"'),
  name: z.string().min(1).max(120).optional(),
  /** Average handle time including wrap-up and the debrief a hard contact needs. */
  ahtSeconds: positiveSeconds,
};

/** A queue answered live (phone): Erlang C, or Erlang A when callers' patience is given. */
export const voiceChannelSchema = z.object({
  ...channelBase,
  kind: z.literal('voice'),
  target: serviceTargetSchema,
  maxOccupancy: z.number().gt(0).max(1).default(0.85),
  /** Mean seconds before a waiting caller hangs up; when given, Erlang A replaces Erlang C. */
  patienceSeconds: positiveSeconds.max(7200).optional(),
  /** Upper bound on the fraction of callers who hang up (Erlang A only). */
  maxAbandonment: z.number().gt(0).max(1).optional(),
  serviceLevelBasis: z.enum(['offered', 'answered', 'excludeShortAbandons']).default('offered'),
});

/**
 * Live chat. Each advocate holds up to `maxConcurrentChats` conversations, modelled as that many
 * answering slots per advocate (M/M/N·k). `ahtSeconds` must be the chat length measured at that
 * concurrency, because chats last longer when an advocate juggles several.
 */
export const chatChannelSchema = z.object({
  ...channelBase,
  kind: z.literal('chat'),
  target: serviceTargetSchema,
  maxConcurrentChats: z.number().int().min(1).max(5).default(2),
  maxOccupancy: z.number().gt(0).max(1).default(0.85),
  patienceSeconds: positiveSeconds.max(7200).optional(),
  maxAbandonment: z.number().gt(0).max(1).optional(),
  serviceLevelBasis: z.enum(['offered', 'answered', 'excludeShortAbandons']).default('offered'),
});

/** Work answered later (SMS threads, email, web tips): it must be cleared within `responseMinutes`. */
export const deferredChannelSchema = z.object({
  ...channelBase,
  kind: z.literal('deferred'),
  responseMinutes: z.number().positive().max(MINUTES_PER_WEEK),
  /** Share of working time spent on this work; below 1 leaves room for interruptions. */
  maxOccupancy: z.number().gt(0).max(1).default(0.85),
});

export const channelSchema = z.discriminatedUnion('kind', [voiceChannelSchema, chatChannelSchema, deferredChannelSchema]);
export type Channel = z.infer<typeof channelSchema>;
export type VoiceChannel = z.infer<typeof voiceChannelSchema>;
export type ChatChannel = z.infer<typeof chatChannelSchema>;
export type DeferredChannel = z.infer<typeof deferredChannelSchema>;

/** The minimum on duty whatever the forecast says: nobody works a hotline alone. */
export const safetyFloorSchema = z.object({
  minimumOnDuty: z.number().int().min(1).max(50).default(2),
  /** `onDuty`: a supervisor is among those on shift in every interval; `onDutyOrOnCall`: an on-call supervisor may stand in. */
  supervisor: z.enum(['onDuty', 'onDutyOrOnCall']).default('onDutyOrOnCall'),
});
export type SafetyFloor = z.infer<typeof safetyFloorSchema>;

export const requirementInputSchema = z
  .object({
    intervalMinutes: intervalMinutesSchema.default(30),
    channels: z.array(channelSchema).min(1).max(20),
    /** Forecast contacts per interval, by channel id; every array has one entry per interval. */
    arrivals: z.record(z.string(), z.array(z.number().min(0).finite()).min(1).max(2016)),
    /** Fraction of paid time not available for contacts: breaks, training, supervision, sickness, leave. */
    shrinkage: z.number().min(0).max(0.9).default(0.3),
    floor: safetyFloorSchema.prefault({}),
    /** The intervals are one week that repeats, so deferred work arriving late on Sunday is cleared on Monday. */
    isCyclicWeek: z.boolean().default(true),
  })
  .superRefine((input, ctx) => {
    const ids = new Set<string>();
    for (const channel of input.channels) {
      if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['channels'], message: `channel id "${channel.id}" appears twice` });
      ids.add(channel.id);
      if (!input.arrivals[channel.id]) ctx.addIssue({ code: 'custom', path: ['arrivals', channel.id], message: `no arrivals for channel "${channel.id}"` });
    }
    const lengths = new Set(Object.values(input.arrivals).map((a) => a.length));
    if (lengths.size > 1) ctx.addIssue({ code: 'custom', path: ['arrivals'], message: 'every channel needs the same number of intervals' });
    for (const id of Object.keys(input.arrivals)) {
      if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['arrivals', id], message: `arrivals for unknown channel "${id}"` });
    }
  });
export type RequirementInput = z.input<typeof requirementInputSchema>;
export type ParsedRequirementInput = z.output<typeof requirementInputSchema>;

/** Relative contact volume for each hour of the week (168 values, Monday 00:00 first). */
export const hourOfWeekProfileSchema = z
  .array(z.number().min(0).finite())
  .length(168)
  .refine((weights) => weights.some((w) => w > 0), 'at least one hour must have a weight above 0');

export const calculatorChannelSchema = z.intersection(
  channelSchema,
  z.object({
    annualContacts: z.number().min(0).max(1e8),
    /** This channel's own weekly pattern; the calculator's profile when omitted. */
    profile: hourOfWeekProfileSchema.optional(),
  }),
);

export const calculatorInputSchema = z.object({
  intervalMinutes: intervalMinutesSchema.default(30),
  channels: z.array(calculatorChannelSchema).min(1).max(20),
  profile: hourOfWeekProfileSchema.optional(),
  shrinkage: z.number().min(0).max(0.9).default(0.3),
  floor: safetyFloorSchema.prefault({}),
  /** Contracted hours of one full-time equivalent per week. */
  fullTimeHoursPerWeek: z.number().positive().max(80).default(37.5),
  /**
   * Paid hours are this much above the interval requirement, because shifts cannot follow the
   * curve exactly. Our shift-covering runs land 1–5 % above; 0.05 is a cautious default.
   */
  schedulingOverhead: z.number().min(0).max(1).default(0.05),
  /** Fully loaded yearly cost of one FTE (salary, taxes, benefits), in the hotline's currency. */
  annualCostPerFte: z.number().min(0).finite().optional(),
  currency: z.string().length(3).optional(),
});
export type CalculatorInput = z.input<typeof calculatorInputSchema>;
export type ParsedCalculatorInput = z.output<typeof calculatorInputSchema>;

/** A break inside a shift; its start may float within a window so the solver can stagger breaks. */
export const shiftBreakSchema = z.object({
  lengthMinutes: z.number().int().positive().max(240),
  isPaid: z.boolean().default(false),
  /** Earliest and latest start, in minutes after the shift starts. */
  earliestStartMinutes: z.number().int().min(0),
  latestStartMinutes: z.number().int().min(0),
});

/** A kind of shift people can work: its length, the days and times it may start, and its breaks. */
export const shiftPatternSchema = z
  .object({
    id: z.string().min(1).max(64),
    lengthMinutes: z.number().int().positive().max(16 * 60),
    /** Allowed start times, in minutes after midnight. */
    startMinutesOfDay: z.array(z.number().int().min(0).lt(24 * 60)).min(1),
    /** Days it may start: 0 = Monday … 6 = Sunday. */
    days: z.array(z.number().int().min(0).max(6)).min(1).default([0, 1, 2, 3, 4, 5, 6]),
    breaks: z.array(shiftBreakSchema).max(3).default([]),
    /** Cost per paid hour, for the cost objective (e.g. night or weekend premiums). */
    costPerPaidHour: z.number().min(0).finite().default(1),
  })
  .superRefine((p, ctx) => {
    for (const [i, b] of p.breaks.entries()) {
      if (b.latestStartMinutes < b.earliestStartMinutes) ctx.addIssue({ code: 'custom', path: ['breaks', i], message: 'latestStartMinutes is before earliestStartMinutes' });
      if (b.latestStartMinutes + b.lengthMinutes > p.lengthMinutes) ctx.addIssue({ code: 'custom', path: ['breaks', i], message: 'the break can end after the shift' });
    }
  });
export type ShiftPattern = z.input<typeof shiftPatternSchema>;

export const shiftCoveringInputSchema = z
  .object({
    intervalMinutes: intervalMinutesSchema.default(30),
    /** People needed on duty (not on a break) in each interval of one cyclic week. */
    required: z.array(z.number().int().min(0).max(10_000)),
    /** Supervisors needed on duty in each interval (they also count in `required`). */
    supervisorsRequired: z.array(z.number().int().min(0).max(100)).optional(),
    patterns: z.array(shiftPatternSchema).min(1).max(50),
    objective: z.enum(['paidHours', 'cost']).default('paidHours'),
    timeLimitSeconds: z.number().positive().max(3600).default(30),
    /** Stop once the solution is proven within this fraction of the best possible. */
    relativeGap: z.number().min(0).max(0.5).default(0.01),
  })
  .superRefine((input, ctx) => {
    const expected = MINUTES_PER_WEEK / input.intervalMinutes;
    if (input.required.length !== expected) ctx.addIssue({ code: 'custom', path: ['required'], message: `needs ${expected} intervals (one week), got ${input.required.length}` });
    if (input.supervisorsRequired && input.supervisorsRequired.length !== input.required.length) {
      ctx.addIssue({ code: 'custom', path: ['supervisorsRequired'], message: 'needs one entry per interval' });
    }
    input.supervisorsRequired?.forEach((s, t) => {
      if (s > input.required[t]) ctx.addIssue({ code: 'custom', path: ['supervisorsRequired', t], message: 'more supervisors than people required' });
    });
    for (const [i, p] of input.patterns.entries()) {
      const times = [p.lengthMinutes, ...p.startMinutesOfDay, ...p.breaks.flatMap((b) => [b.lengthMinutes, b.earliestStartMinutes, b.latestStartMinutes])];
      if (times.some((m) => m % input.intervalMinutes !== 0)) {
        ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `every time must be a multiple of ${input.intervalMinutes} minutes` });
      }
    }
  });
export type ShiftCoveringInput = z.input<typeof shiftCoveringInputSchema>;
export type ParsedShiftCoveringInput = z.output<typeof shiftCoveringInputSchema>;
