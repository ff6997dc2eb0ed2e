/**
 * Shapes for rostering named staff onto shifts: staff, wellness rules, the roster problem, and the
 * requests (sick call, swap, leave) checked against a published roster.
 *
 * Times: a roster covers one concrete week that starts on Monday 00:00 (`weekStart`, a date) in the
 * hotline's IANA `timeZone`. Shift times are wall-clock minutes after that moment, as in the
 * shift-covering model; a Sunday-night shift may run past minute 10,080 into next Monday. Rest
 * between shifts is measured in real elapsed time (daylight-saving changes count).
 */
import { z } from 'zod';
import { intervalMinutesSchema, MINUTES_PER_WEEK } from './schemas.js';

const MINUTES_PER_DAY = 24 * 60;

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => {
  const parsed = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
}, 'not a calendar date');

export const timeZoneSchema = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone known to this runtime');

const staffIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, ".", "-" and "_"');
const dayOfWeekSchema = z.number().int().min(0).max(6);

/** A recurring weekly window when someone cannot work (childcare, studies, a second job). */
export const weeklyWindowSchema = z
  .object({
    /** 0 = Monday … 6 = Sunday: the day the window starts. */
    days: z.array(dayOfWeekSchema).min(1),
    startMinute: z.number().int().min(0).lt(MINUTES_PER_DAY),
    /** After `startMinute`; up to 48 h so that an overnight window (22:00–07:00 is 1320–1860) is one entry. */
    endMinute: z.number().int().min(1).max(2 * MINUTES_PER_DAY),
  })
  .refine((w) => w.endMinute > w.startMinute, { message: 'endMinute must be after startMinute', path: ['endMinute'] });

/** Leave from `from` to `to`, both whole local dates, inclusive. */
export const leaveSchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    kind: z.enum(['annual', 'sick', 'training', 'other']).default('annual'),
  })
  .refine((l) => l.to >= l.from, { message: '`to` is before `from`', path: ['to'] });

export const supervisorLevelSchema = z.enum(['none', 'onCall', 'full']);

export const staffSchema = z
  .object({
    id: staffIdSchema,
    /** Shown on the roster and in the calendar feed only; never logged. */
    name: z.string().min(1).max(200),
    contract: z.object({
      minHoursPerWeek: z.number().min(0).max(80).default(0),
      maxHoursPerWeek: z.number().positive().max(80),
    }),
    skills: z
      .object({
        /** Languages the person can take contacts in (ISO 639-1: en, es, fr …). */
        languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).default([]),
        /** Channels the person is certified for. */
        channels: z.array(z.enum(['voice', 'chat'])).default(['voice', 'chat']),
        /** `full`: a floor supervisor; `onCall`: qualified to act as the on-call supervisor while on shift. */
        supervisor: supervisorLevelSchema.default('none'),
      })
      .prefault({}),
    unavailable: z.array(weeklyWindowSchema).default([]),
    leave: z.array(leaveSchema).default([]),
    preferences: z
      .object({
        preferredPatterns: z.array(z.string()).default([]),
        avoidPatterns: z.array(z.string()).default([]),
        preferredDays: z.array(dayOfWeekSchema).default([]),
        avoidDays: z.array(dayOfWeekSchema).default([]),
        avoidNights: z.boolean().default(false),
      })
      .prefault({}),
    /** What happened before this week, for rest, runs of days and nights, and fairness. */
    history: z
      .object({
        /** End of the person's last shift before this week, in minutes after this Monday 00:00 (−120 = Sunday 22:00; 360 for a Sunday-night shift ending Monday 06:00). */
        lastShiftEndMinute: z.number().int().min(-28 * MINUTES_PER_DAY).max(MINUTES_PER_DAY).optional(),
        /** Days in a row worked up to and including last Sunday. */
        consecutiveDaysWorked: z.number().int().min(0).max(60).default(0),
        /** Night shifts on consecutive days up to and including last Sunday. */
        consecutiveNightShifts: z.number().int().min(0).max(60).default(0),
        /** Night and weekend shifts in the recent weeks the hotline counts for fairness (e.g. the last 4). */
        recentNightShifts: z.number().int().min(0).max(1000).default(0),
        recentWeekendShifts: z.number().int().min(0).max(1000).default(0),
      })
      .prefault({}),
  })
  .refine((s) => s.contract.minHoursPerWeek <= s.contract.maxHoursPerWeek, { message: 'minHoursPerWeek above maxHoursPerWeek', path: ['contract'] });
export type Staff = z.input<typeof staffSchema>;
export type ParsedStaff = z.output<typeof staffSchema>;

/** A daily time window, possibly across midnight (22:00–07:00 is start 1320, end 420). */
const dailyWindowSchema = z.object({
  startMinute: z.number().int().min(0).lt(MINUTES_PER_DAY),
  endMinute: z.number().int().min(0).max(MINUTES_PER_DAY),
});

/**
 * Per-hotline wellness rules. The defaults follow common occupational-health guidance (EU Working
 * Time Directive rest, short runs of nights) tightened for vicarious-trauma work.
 */
export const wellnessRulesSchema = z.object({
  minRestHours: z.number().min(0).max(48).default(11),
  maxConsecutiveWorkingDays: z.number().int().min(1).max(13).default(5),
  /** A night shift has at least `minimumMinutes` inside the window (00:00–06:00, at least 3 h by default). */
  nightShift: z
    .object({ ...dailyWindowSchema.shape, minimumMinutes: z.number().int().min(1).max(MINUTES_PER_DAY).default(180) })
    .prefault({ startMinute: 0, endMinute: 360 }),
  maxNightShiftsPerWeek: z.number().int().min(0).max(7).default(3),
  maxConsecutiveNightShifts: z.number().int().min(1).max(7).default(3),
  /**
   * Nobody alone at night: in every interval of the window (22:00–07:00 by default) with anyone on
   * shift there are at least `minimumPeople`, and, unless `supervisor` is `none`, one of them is a
   * supervisor (`full`), or also an on-call-qualified supervisor with `fullOrOnCall`.
   */
  nightFloor: z
    .object({
      ...dailyWindowSchema.shape,
      minimumPeople: z.number().int().min(1).max(10).default(2),
      supervisor: z.enum(['none', 'full', 'fullOrOnCall']).default('fullOrOnCall'),
    })
    .prefault({ startMinute: 22 * 60, endMinute: 7 * 60 }),
  /**
   * Debrief after crisis contacts: every `afterCrisisContacts` high-crisis contacts forecast on the
   * floor reserve one debrief block of `minutes` for one person on duty, starting in the next interval.
   */
  debrief: z
    .object({
      afterCrisisContacts: z.number().int().min(1).max(100).default(3),
      minutes: z.number().int().min(0).max(240).default(30),
    })
    .prefault({}),
  /** Days whose shifts count as weekend shifts (by the day they start). */
  weekendDays: z.array(dayOfWeekSchema).default([5, 6]),
});
export type WellnessRules = z.input<typeof wellnessRulesSchema>;
export type ParsedWellnessRules = z.output<typeof wellnessRulesSchema>;

/** A shift to staff; the covering ILP's `ChosenShift` fits this shape (its `role` and `day` are ignored). */
export const rosterShiftSchema = z.object({
  /** Stable id; derived from the pattern, start and breaks when omitted. */
  id: z.string().min(1).max(120).regex(/^[A-Za-z0-9][A-Za-z0-9_.:+-]*$/).optional(),
  patternId: z.string().min(1).max(64),
  startMinuteOfWeek: z.number().int().min(0).lt(MINUTES_PER_WEEK),
  lengthMinutes: z.number().int().positive().max(16 * 60),
  breaks: z
    .array(z.object({ startMinuteOfWeek: z.number().int().min(0), lengthMinutes: z.number().int().positive(), isPaid: z.boolean().default(false) }))
    .default([]),
  /** Paid hours; the length less unpaid breaks when omitted. */
  paidHours: z.number().min(0).max(16).optional(),
  /** How many people work exactly this shift. */
  count: z.number().int().min(1).max(1000).default(1),
});
export type RosterShift = z.input<typeof rosterShiftSchema>;

/**
 * A skill needed on duty: `language:es`, `channel:chat`, `channel:voice`, `supervisor` (full) or
 * `supervisor:onCall` (full or on-call qualified). `minimum` people in every interval of the
 * windows (the whole week when none are given).
 */
export const skillNeedSchema = z.object({
  skill: z.string().regex(/^(language:[a-z]{2,3}|channel:(voice|chat)|supervisor|supervisor:onCall)$/, 'language:xx, channel:voice|chat, supervisor or supervisor:onCall'),
  minimum: z.number().int().min(1).max(100).default(1),
  windows: z.array(weeklyWindowSchema).default([]),
});
export type SkillNeed = z.input<typeof skillNeedSchema>;

/** Penalties in the assignment objective, in "hours" of the unit below; coverage dominates. */
export const rosterWeightsSchema = z
  .object({
    uncoveredPersonHour: z.number().min(0).default(100),
    missingSkillHour: z.number().min(0).default(60),
    unfilledShiftHour: z.number().min(0).default(10),
    contractShortHour: z.number().min(0).default(4),
    avoidedShift: z.number().min(0).default(3),
    notPreferredShift: z.number().min(0).default(1),
    /** On the largest number of night (weekend) shifts any one person gets this week. */
    nightSpread: z.number().min(0).default(2),
    weekendSpread: z.number().min(0).default(2),
    /** Per night (weekend) shift, times that person's recent night (weekend) shifts: rotates the load over weeks. */
    nightHistory: z.number().min(0).default(0.25),
    weekendHistory: z.number().min(0).default(0.25),
    /** Re-optimisation: taking a published shift away from someone, and giving someone a shift they did not have. */
    removePublished: z.number().min(0).default(20),
    addToPublished: z.number().min(0).default(8),
  })
  .prefault({});

export const rosterSolverSchema = z
  .object({
    /** Safety net only: a run stopped by the clock may differ between machines (see `isDeterministic`). */
    timeLimitSeconds: z.number().positive().max(3600).default(60),
    /** Deterministic work limit on branch and bound. */
    maxNodes: z.number().int().min(1).max(10_000_000).default(2000),
    relativeGap: z.number().min(0).max(0.5).default(0.005),
    /**
     * Also stop within this many penalty units of the bound. The soft objective is small (tens of
     * units for 60 staff), so a relative gap alone would chase preferences for many seconds. 10 units
     * is a few avoided or non-preferred shifts; it is below one uncovered half-hour (50) and below any
     * unfilled seat (10 per hour of a shift of 4 h or more), so coverage is never traded for time.
     */
    absoluteGap: z.number().min(0).default(10),
  })
  .prefault({});

export const rosterInputSchema = z
  .object({
    /** The Monday the week starts on, in the hotline's time zone. */
    weekStart: isoDateSchema.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'weekStart must be a Monday'),
    timeZone: timeZoneSchema.default('UTC'),
    intervalMinutes: intervalMinutesSchema.default(30),
    /** People needed on duty (not on a break, not debriefing) in each interval of the cyclic week. */
    required: z.array(z.number().int().min(0).max(10_000)),
    supervisorsRequired: z.array(z.number().int().min(0).max(100)).optional(),
    skillNeeds: z.array(skillNeedSchema).max(50).default([]),
    /** Forecast high-crisis contacts per interval (across the floor), for debrief blocks. */
    crisisContacts: z.array(z.number().min(0).finite()).optional(),
    shifts: z.array(rosterShiftSchema).max(5000),
    staff: z.array(staffSchema).max(2000),
    rules: wellnessRulesSchema.prefault({}),
    weights: rosterWeightsSchema,
    solver: rosterSolverSchema,
  })
  .superRefine((input, ctx) => {
    const n = MINUTES_PER_WEEK / input.intervalMinutes;
    if (input.required.length !== n) ctx.addIssue({ code: 'custom', path: ['required'], message: `needs ${n} intervals (one week), got ${input.required.length}` });
    for (const key of ['supervisorsRequired', 'crisisContacts'] as const) {
      if (input[key] && input[key].length !== n) ctx.addIssue({ code: 'custom', path: [key], message: `needs ${n} intervals (one week)` });
    }
    const ids = new Set<string>();
    input.staff.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'id'], message: `staff id "${s.id}" appears twice` });
      ids.add(s.id);
    });
    const shiftIds = new Set<string>();
    input.shifts.forEach((s, i) => {
      const times = [s.startMinuteOfWeek, s.lengthMinutes, ...s.breaks.flatMap((b) => [b.startMinuteOfWeek, b.lengthMinutes])];
      if (times.some((m) => m % input.intervalMinutes !== 0)) ctx.addIssue({ code: 'custom', path: ['shifts', i], message: `every time must be a multiple of ${input.intervalMinutes} minutes` });
      for (const b of s.breaks) {
        if (b.startMinuteOfWeek < s.startMinuteOfWeek || b.startMinuteOfWeek + b.lengthMinutes > s.startMinuteOfWeek + s.lengthMinutes) {
          ctx.addIssue({ code: 'custom', path: ['shifts', i, 'breaks'], message: 'a break lies outside its shift' });
        }
      }
      if (s.id !== undefined) {
        if (shiftIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['shifts', i, 'id'], message: `shift id "${s.id}" appears twice` });
        shiftIds.add(s.id);
      }
    });
    if (input.crisisContacts && input.rules.debrief.minutes % input.intervalMinutes !== 0) {
      ctx.addIssue({ code: 'custom', path: ['rules', 'debrief', 'minutes'], message: `must be a multiple of ${input.intervalMinutes} minutes` });
    }
  });
export type RosterInput = z.input<typeof rosterInputSchema>;
export type ParsedRosterInput = z.output<typeof rosterInputSchema>;

export const assignmentSchema = z.object({ shiftId: z.string().min(1), staffId: z.string().min(1) });
export type Assignment = z.infer<typeof assignmentSchema>;

export const debriefBlockSchema = z.object({
  staffId: z.string().min(1),
  shiftId: z.string().min(1),
  startMinuteOfWeek: z.number().int().min(0),
  lengthMinutes: z.number().int().positive(),
});
export type DebriefBlock = z.infer<typeof debriefBlockSchema>;

/** A roster as published: who works which shift, and the debrief blocks reserved. */
export const publishedRosterSchema = z.object({
  assignments: z.array(assignmentSchema),
  debriefs: z.array(debriefBlockSchema).default([]),
});
/** A published roster as read from the schema, or straight from an optimiser result. */
export type PublishedRoster = z.input<typeof publishedRosterSchema> | { readonly assignments: readonly Assignment[]; readonly debriefs?: readonly DebriefBlock[] };

/** Someone cannot work from `fromMinute` (minutes after Monday 00:00) until `toMinute`. */
export const absenceSchema = z
  .object({
    staffId: z.string().min(1),
    fromMinute: z.number().int().min(0).max(2 * MINUTES_PER_WEEK),
    toMinute: z.number().int().min(1).max(2 * MINUTES_PER_WEEK),
  })
  .refine((a) => a.toMinute > a.fromMinute, { message: 'toMinute must be after fromMinute', path: ['toMinute'] });
export type Absence = z.input<typeof absenceSchema>;

export const swapRequestSchema = z.discriminatedUnion('kind', [
  /** Two people trade shifts. */
  z.object({ kind: z.literal('exchange'), staffA: z.string().min(1), shiftA: z.string().min(1), staffB: z.string().min(1), shiftB: z.string().min(1) }),
  /** One person gives a shift to another (who did not work it). */
  z.object({ kind: z.literal('handover'), fromStaff: z.string().min(1), toStaff: z.string().min(1), shiftId: z.string().min(1) }),
]);
export type SwapRequest = z.input<typeof swapRequestSchema>;

export const leaveRequestSchema = z.object({ staffId: z.string().min(1), leave: leaveSchema });
export type LeaveRequest = z.input<typeof leaveRequestSchema>;

/** The calendar feed of one person's shifts. */
export const calendarFeedInputSchema = z.object({
  /** Used in UIDs, so regenerating the feed keeps event identities; a domain the hotline controls. */
  uidDomain: z.string().min(1).max(200).regex(/^[A-Za-z0-9.-]+$/).default('catalyst.invalid'),
  calendarName: z.string().min(1).max(200).default('Catalyst shifts'),
  /** DTSTAMP of every event (RFC 5545 requires it); when the roster was published. */
  publishedAt: z.iso.datetime({ offset: true }),
  /** Location or team shown on each event. */
  location: z.string().max(500).optional(),
});
export type CalendarFeedInput = z.input<typeof calendarFeedInputSchema>;
