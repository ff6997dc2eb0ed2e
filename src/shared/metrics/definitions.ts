import { z } from 'zod';
import { CHANNELS, REQUEST_TYPES } from '../intake.js';

/**
 * The shapes of computed metrics (docs/metrics.md): one query schema and one result shape shared by the server, the
 * dashboards, the monthly report and the API. Every count is a published cell: a number, or a suppression mark when
 * the reader may not see small counts.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Filters of every metrics view. The period is [from, to) in the hotline's time zone; `to` is exclusive. */
export const metricsQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    area: z.string().regex(/^[A-Z0-9-]{1,20}$/).optional(),
    channel: z.enum(CHANNELS).optional(),
    requestType: z.enum(REQUEST_TYPES).optional(),
    traffickingType: z.enum(['sex', 'labour']).optional(),
  })
  .strict()
  .refine((q) => q.from < q.to, { message: '`from` must be before `to`', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) <= 3700, { message: 'the period is at most ten years', path: ['to'] });
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;

export const monthQuerySchema = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM'),
    area: z.string().regex(/^[A-Z0-9-]{1,20}$/).optional(),
    channel: z.enum(CHANNELS).optional(),
    requestType: z.enum(REQUEST_TYPES).optional(),
    traffickingType: z.enum(['sex', 'labour']).optional(),
    locale: z.enum(['en', 'es', 'fr']).optional(),
  })
  .strict();
export type MonthQuery = z.infer<typeof monthQuerySchema>;

export const scheduleBodySchema = z
  .object({
    recipientIds: z.array(z.uuid()).max(50),
    locale: z.enum(['en', 'es', 'fr']).default('en'),
    isActive: z.boolean().default(true),
  })
  .strict();
export type ScheduleBody = z.infer<typeof scheduleBodySchema>;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The period of the same length just before [from, to). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = daysBetween(from, to);
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return { from: start, to: from };
}

/** [first day of the month, first day of the next month). */
export function monthPeriod(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

export type Cell = { value: number } | { suppressed: true; display: string };

/** A one-way breakdown: its categories (unknown included) add up to its total. */
export interface Breakdown {
  rows: { key: string; cell: Cell }[];
  total: Cell;
}

/** Hour of day (0–23, rows) × weekday (0 = Monday … 6 = Sunday, columns), hotline time. */
export interface Heatmap {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

export interface Distribution {
  /** How many contacts the figure is over; the figure is null when there are none (or too few to show). */
  count: number | null;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface LiveAccess {
  /** offered = answered + abandoned + waiting (short abandons are left out and shown on their own). */
  offered: Breakdown;
  shortAbandons: Cell;
  answeredWithinTarget: Cell;
  /** answered within target ÷ (offered − still waiting inside their target); null when nothing is decided. */
  serviceLevel: number | null;
  abandonmentRate: number | null;
  speedOfAnswerSeconds: Distribution;
  handleSeconds: Distribution;
  /**
   * Time spent handling live contacts ÷ time staff were available or busy (docs/metrics.md); null with any filter
   * (handling time would be of some contacts, staffed time of everyone), when no availability was recorded, or when
   * the handle times are too few to show.
   */
  occupancy: number | null;
}

export interface TrendPoint {
  /** The bucket's first day (YYYY-MM-DD). */
  start: string;
  contacts: number | string;
  casesOpened: number | string;
}

export interface MetricsResult {
  period: { from: string; to: string; timezone: string };
  filters: Omit<MetricsQuery, 'from' | 'to'>;
  /** True when small counts are hidden for this reader (no case access) or for publication. */
  isSuppressed: boolean;
  threshold: number;
  computedAt: string;
  access: {
    contacts: Cell;
    byChannel: Breakdown;
    byRequestType: Breakdown;
    bySignalerType: Breakdown;
    byLanguage: Breakdown;
    byHeardAbout: Breakdown;
    byArea: Breakdown;
    hourByWeekday: Heatmap;
    live: LiveAccess;
  };
  situations: {
    casesOpened: Breakdown; // by trafficking type (sex only, labour only, sex and labour, not classified)
    casesClosed: Cell;
    openedByTypology: Breakdown;
    openedByArea: Breakdown;
    potentialVictims: Cell;
    victimsBySexLevel: Breakdown;
    victimsByLabourLevel: Breakdown;
    victimsByAgeGroup: Breakdown;
    victimsByGender: Breakdown;
    /** Emergency requests by kind: (case, need) pairs referred for an emergency need (docs/metrics.md). */
    emergencyRequests: Breakdown; // emergency_shelter, transport
    /** Kinds with no structured source yet (extraction): the screens say so instead of showing a zero. */
    emergencyKindsNotAvailable: string[];
  };
  response: {
    tasks: Breakdown; // on_time, done_late, open_overdue, open_not_due, skipped
    reportsSent: Breakdown; // consent, exception:minor, exception:imminent_danger, exception:legal_duty, consent_not_required
    reportsByStatus: Breakdown; // requested, approved, sent, refused
    referrals: ReferralMetrics;
  };
  quality: {
    closedDataContacts: Cell;
    missingAny: Cell;
    missingByField: Breakdown; // per field; a contact may miss several, so the rows do not add up (total = closed)
    documentationSeconds: Distribution;
  };
  trend: { bucket: 'day' | 'month'; points: TrendPoint[] };
}

export interface ReferralMetrics {
  isAvailable: boolean;
  /** Referrals made in the period by where they stand: awaiting an answer, accepted, declined, cancelled unanswered. */
  made: Breakdown;
  /** Accepted referrals by outcome reported (none_yet: no outcome yet); the total is the accepted count. */
  outcomes: Breakdown;
  /** Partner's answer (accept or decline) − referral time. */
  acknowledgeSeconds: Distribution;
  /** Needs referred: (case, need) pairs whose first referral is in the period, by need. */
  needsReferred: Breakdown;
  /** Of those, the pairs no partner took up: every referral declined (or cancelled unanswered), by need. */
  unmetNeeds: Breakdown;
  /** Need searches that found no partner, by need; null when a filter other than area is set (searches have none). */
  needsWithoutPartner: Breakdown | null;
}

export const REFERRAL_STATES = ['awaiting', 'accepted', 'declined', 'cancelled'] as const;
export const REFERRAL_OUTCOMES = ['contacted', 'services_provided', 'could_not_reach', 'declined', 'none_yet'] as const;
export const EMERGENCY_KINDS = ['emergency_shelter', 'transport'] as const;

export interface LiveResult {
  now: string;
  waiting: number;
  longestWaitSeconds: number;
  inProgress: number;
  wrapUp: number;
  today: MetricsResult;
}

export const KEY_FIELDS = ['signaler_type', 'request_type', 'language', 'area_code', 'heard_about'] as const;
export const TRAFFICKING_CATEGORIES = ['sex', 'labour', 'sex_and_labour', 'not_classified'] as const;
export const TASK_OUTCOMES = ['on_time', 'done_late', 'open_overdue', 'open_not_due', 'skipped'] as const;
export const REPORT_BASES = ['consent', 'exception:minor', 'exception:imminent_danger', 'exception:legal_duty', 'consent_not_required'] as const;
export const REPORT_STATUSES = ['requested', 'approved', 'sent', 'refused'] as const;
export const LIVE_OUTCOMES = ['answered', 'abandoned', 'waiting'] as const;
export const UNKNOWN = 'unknown';

export function cellValue(cell: Cell): number | null {
  return 'value' in cell ? cell.value : null;
}

export function cellText(cell: Cell): string {
  return 'value' in cell ? String(cell.value) : cell.display;
}
