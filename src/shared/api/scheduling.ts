/**
 * HTTP shapes of the scheduling API (issue 7): settings, planned events, staff contracts, forecast,
 * rosters (draft → published), sick calls, swap and leave requests, and the calendar feed.
 */
import { z } from 'zod';
import { CHANNELS } from '../intake.js';
import { isoDateSchema, skillNeedSchema, supervisorLevelSchema, weeklyWindowSchema, wellnessRulesSchema } from '../scheduling/roster-schemas.js';
import { channelSchema, safetyFloorSchema, shiftPatternSchema } from '../scheduling/schemas.js';

export const mondaySchema = isoDateSchema.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'must be a Monday');

/** A staffing channel (queue model and targets) fed by the contact channels in `sources`. */
export const schedulingChannelSchema = z.object({
  sources: z.array(z.enum(CHANNELS)).min(1),
  model: channelSchema,
});

export const schedulingSettingsSchema = z.object({
  channels: z.array(schedulingChannelSchema).min(1).max(10),
  shrinkage: z.number().min(0).max(0.9),
  floor: safetyFloorSchema,
  patterns: z.array(shiftPatternSchema).min(1).max(20),
  rules: wellnessRulesSchema.prefault({}),
  /** Whole weeks of contact history the forecast learns from, and how many of them the backtest holds out. */
  historyWeeks: z.number().int().min(1).max(104),
  holdoutWeeks: z.number().int().min(1).max(8),
  /** For staff without a contract on file. */
  defaultContract: z.object({ minHoursPerWeek: z.number().min(0).max(80), maxHoursPerWeek: z.number().positive().max(80) }),
  /**
   * Share of forecast live contacts (phone and chat) that are high-crisis. With the wellness rule `debrief`, every
   * `afterCrisisContacts` of them reserve a debrief block; 0 (the default) reserves none.
   */
  crisisShare: z.number().min(0).max(1).default(0),
  /**
   * Skills that must be on duty, beyond the head count: a Spanish speaker at all times, two chat-certified people
   * on weekday evenings, a supervisor by day. Shortfalls are reported as skill gaps, never hidden.
   */
  skillNeeds: z.array(skillNeedSchema).max(20).default([]),
});
export type SchedulingSettings = z.input<typeof schedulingSettingsSchema>;

export const DEFAULT_SCHEDULING_SETTINGS: SchedulingSettings = {
  channels: [
    { sources: ['phone'], model: { id: 'voice', kind: 'voice', ahtSeconds: 900, target: { serviceLevel: 0.8, answerSeconds: 30 } } },
    { sources: ['chat', 'whatsapp'], model: { id: 'chat', kind: 'chat', ahtSeconds: 1500, maxConcurrentChats: 2, target: { serviceLevel: 0.8, answerSeconds: 60 } } },
    { sources: ['sms', 'email', 'webform', 'other'], model: { id: 'written', kind: 'deferred', ahtSeconds: 600, responseMinutes: 240 } },
  ],
  shrinkage: 0.3,
  floor: { minimumOnDuty: 2, supervisor: 'onDutyOrOnCall' },
  patterns: [{ id: '8h', lengthMinutes: 480, startMinutesOfDay: [7 * 60, 15 * 60, 23 * 60] }],
  rules: {},
  historyWeeks: 8,
  holdoutWeeks: 2,
  defaultContract: { minHoursPerWeek: 0, maxHoursPerWeek: 40 },
};

const SETTINGS_MESSAGES_RANGE = 'an event lasts at most 93 days';

/** Messages of the cross-field checks below; the web app maps them to its own words in each language. */
export const SETTINGS_MESSAGES = {
  minAboveMax: 'minHoursPerWeek above maxHoursPerWeek',
  duplicateId: 'the same id twice',
  sourceTwice: 'a contact channel can feed only one staffing channel',
  halfHours: 'lengths and start times must be whole half-hours',
  dayPreferredAndAvoided: 'a day cannot be both preferred and avoided',
  eventTooLong: SETTINGS_MESSAGES_RANGE,
} as const;

export const settingsBody = z
  .object({ version: z.number().int().min(1), settings: schedulingSettingsSchema })
  .strict()
  .superRefine((body, ctx) => {
    const { settings } = body;
    if (settings.defaultContract.minHoursPerWeek > settings.defaultContract.maxHoursPerWeek) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'defaultContract', 'minHoursPerWeek'], message: SETTINGS_MESSAGES.minAboveMax });
    }
    const ids = new Set<string>();
    settings.channels.forEach((c, i) => {
      if (ids.has(c.model.id)) ctx.addIssue({ code: 'custom', path: ['settings', 'channels', i, 'model', 'id'], message: SETTINGS_MESSAGES.duplicateId });
      ids.add(c.model.id);
    });
    const sources = new Set<string>();
    settings.channels.forEach((c, i) =>
      c.sources.forEach((s) => {
        if (sources.has(s)) ctx.addIssue({ code: 'custom', path: ['settings', 'channels', i, 'sources'], message: SETTINGS_MESSAGES.sourceTwice });
        sources.add(s);
      }),
    );
    const debriefMinutes = settings.rules.debrief?.minutes;
    if (debriefMinutes !== undefined && debriefMinutes % 30 !== 0) ctx.addIssue({ code: 'custom', path: ['settings', 'rules', 'debrief', 'minutes'], message: SETTINGS_MESSAGES.halfHours });
    const patternIds = new Set<string>();
    settings.patterns.forEach((p, i) => {
      if (patternIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['settings', 'patterns', i, 'id'], message: SETTINGS_MESSAGES.duplicateId });
      patternIds.add(p.id);
      // Rosters are planned in half-hours.
      if ([p.lengthMinutes, ...p.startMinutesOfDay].some((m) => m % 30 !== 0)) ctx.addIssue({ code: 'custom', path: ['settings', 'patterns', i, 'startMinutesOfDay'], message: SETTINGS_MESSAGES.halfHours });
      p.breaks.forEach((b, j) => {
        if ([b.lengthMinutes, b.earliestStartMinutes, b.latestStartMinutes].some((m) => m % 30 !== 0)) ctx.addIssue({ code: 'custom', path: ['settings', 'patterns', i, 'breaks', j], message: SETTINGS_MESSAGES.halfHours });
      });
    });
  });

export const eventBody = z
  .object({
    date: isoDateSchema,
    /** The last day, inclusive, of an event lasting several days (a campaign); the one day `date` when omitted. */
    to: isoDateSchema.optional(),
    factor: z.number().min(0).max(20),
    label: z.string().trim().min(1).max(200),
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  })
  .strict()
  .refine((e) => e.to === undefined || e.to >= e.date, { message: '`to` is before `date`', path: ['to'] })
  .refine((e) => e.to === undefined || Date.parse(`${e.to}T00:00:00Z`) - Date.parse(`${e.date}T00:00:00Z`) <= 92 * 86_400_000, { message: SETTINGS_MESSAGES_RANGE, path: ['to'] });

export const idParams = z.object({ id: z.string().uuid() });
export const userIdParams = z.object({ userId: z.string().uuid() });
export const tokenParams = z.object({ token: z.string().min(20).max(100) });

export const staffContractBody = z
  .object({
    minHoursPerWeek: z.number().min(0).max(80),
    maxHoursPerWeek: z.number().positive().max(80),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).max(20).default([]),
    channels: z.array(z.enum(['voice', 'chat'])).max(2).default(['voice', 'chat']),
    supervisor: supervisorLevelSchema.optional(),
    unavailable: z.array(weeklyWindowSchema).max(20).default([]),
    avoidNights: z.boolean().default(false),
    /** Soft preferences: days (0 = Monday) and shift patterns (ids from the settings) the person prefers or avoids. */
    preferredDays: z.array(z.number().int().min(0).max(6)).max(7).default([]),
    avoidDays: z.array(z.number().int().min(0).max(6)).max(7).default([]),
    preferredPatterns: z.array(z.string().min(1).max(64)).max(20).default([]),
    avoidPatterns: z.array(z.string().min(1).max(64)).max(20).default([]),
  })
  .strict()
  .refine((c) => c.minHoursPerWeek <= c.maxHoursPerWeek, { message: SETTINGS_MESSAGES.minAboveMax, path: ['minHoursPerWeek'] })
  .refine((c) => !c.preferredDays.some((d) => c.avoidDays.includes(d)), { message: SETTINGS_MESSAGES.dayPreferredAndAvoided, path: ['avoidDays'] });

export const forecastQuery = z.object({ weeks: z.coerce.number().int().min(1).max(8).default(2) });
export const weekQuery = z.object({ weekStart: mondaySchema.optional() });

export const generateRosterBody = z.object({ weekStart: mondaySchema.optional() }).strict();

export const absenceBody = z
  .object({ userId: z.string().uuid(), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((a) => Date.parse(a.to) > Date.parse(a.from), { message: '`to` must be after `from`', path: ['to'] });

export const scheduleRequestBody = z.discriminatedUnion('kind', [
  /** Give one of my shifts to a colleague. */
  z.object({ kind: z.literal('handover'), rosterId: z.string().uuid(), shiftId: z.string().min(1).max(120), toUserId: z.string().uuid() }).strict(),
  /** Trade one of my shifts for one of a colleague's. */
  z.object({ kind: z.literal('exchange'), rosterId: z.string().uuid(), shiftId: z.string().min(1).max(120), withUserId: z.string().uuid(), withShiftId: z.string().min(1).max(120) }).strict(),
  /** Leave on whole local dates, inclusive. */
  z
    .object({
      kind: z.literal('leave'), from: isoDateSchema, to: isoDateSchema, leaveKind: z.enum(['annual', 'sick', 'training', 'other']).default('annual'),
      /** A supervisor entering leave for someone else (needs `scheduling.plan`); default: myself. */
      staffId: z.string().uuid().optional(),
    })
    .strict()
    .refine((l) => l.to >= l.from, { message: '`to` is before `from`', path: ['to'] }),
]);
export type ScheduleRequestBody = z.infer<typeof scheduleRequestBody>;

export const decisionBody = z.object({ approve: z.boolean() }).strict();

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
