/**
 * Forecast of contacts per channel per half-hour for the coming weeks, from whole weeks of history.
 *
 * A multiplicative model, small enough to explain to a supervisor:
 *
 *   forecast(week w, interval i) = level(w) × dayShare(day of i) × intradayShape(day, slot of i) × eventFactor(date of i)
 *
 * - Planned events and holidays are known factors for set dates (0.6 on a public holiday, 2 on the
 *   day a campaign airs). History on those dates is divided by the factor before fitting, so a past
 *   campaign does not inflate every later Tuesday, and the factor is applied again to future dates.
 * - level: a least-squares line through the weekly totals (the trend), never below zero.
 * - dayShare (weekly seasonality): each weekday's share of the week, recent weeks weighted more
 *   (half-life `halfLifeWeeks`).
 * - intradayShape (daily seasonality): each weekday's own half-hour shape, shrunk towards the shape
 *   of all days pooled when the day has few contacts (a Sunday with 12 calls says little about 03:30).
 *
 * Pure and deterministic: the same history gives the same forecast, to the last bit.
 * `backtest` holds out the last weeks, forecasts them from the rest and reports WAPE per channel:
 * Σ|actual − forecast| ÷ Σ actual, the error measure contact centres use for volume forecasts.
 */
import { z } from 'zod';
import { isoDateSchema } from '../../shared/scheduling/roster-schemas.js';

export const FORECAST_INTERVAL_MINUTES = 30;
export const INTERVALS_PER_DAY = (24 * 60) / FORECAST_INTERVAL_MINUTES;
export const INTERVALS_PER_WEEK = 7 * INTERVALS_PER_DAY;

export const forecastEventSchema = z.object({
  date: isoDateSchema,
  /** Contacts that day are this many times what they would otherwise be (0.5 = half, 2 = double). */
  factor: z.number().min(0).max(20),
  /** Only these channels (all when omitted). */
  channels: z.array(z.string().min(1)).optional(),
  label: z.string().max(200).optional(),
});
export type ForecastEvent = z.input<typeof forecastEventSchema>;

export const forecastInputSchema = z
  .object({
    /** The Monday the history starts on (local date). */
    historyStart: isoDateSchema.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'historyStart must be a Monday'),
    /** Contacts per half-hour by channel id; each a whole number of weeks (336 values per week). */
    history: z.record(z.string().min(1), z.array(z.number().min(0).finite()).min(INTERVALS_PER_WEEK)),
    /** Weeks to forecast, starting the week after the history ends. */
    horizonWeeks: z.number().int().min(1).max(26).default(2),
    events: z.array(forecastEventSchema).max(1000).default([]),
    halfLifeWeeks: z.number().positive().max(520).default(8),
    /** Contacts a day needs before its own intraday shape outweighs the pooled one. */
    shapeShrinkage: z.number().min(0).max(1e6).default(50),
  })
  .superRefine((input, ctx) => {
    const lengths = new Set(Object.values(input.history).map((h) => h.length));
    if (lengths.size > 1) ctx.addIssue({ code: 'custom', path: ['history'], message: 'every channel needs the same number of intervals' });
    for (const [id, h] of Object.entries(input.history)) {
      if (h.length % INTERVALS_PER_WEEK !== 0) ctx.addIssue({ code: 'custom', path: ['history', id], message: `needs whole weeks (${INTERVALS_PER_WEEK} half-hours each)` });
    }
  });
export type ForecastInput = z.input<typeof forecastInputSchema>;

export interface ChannelForecast {
  readonly id: string;
  /** Contacts per half-hour, `horizonWeeks` × 336 values. */
  readonly forecast: readonly number[];
  readonly weeklyTotals: readonly number[];
  /** Slope of the weekly trend, contacts per week per week. */
  readonly trendPerWeek: number;
  /** Monday first; sums to 1 (all zero without history). */
  readonly dayShares: readonly number[];
}

export interface ForecastResult {
  readonly intervalMinutes: number;
  /** The Monday the forecast starts on. */
  readonly weekStart: string;
  readonly weeks: number;
  readonly channels: readonly ChannelForecast[];
}

export interface ChannelBacktest {
  readonly id: string;
  readonly actual: readonly number[];
  readonly forecast: readonly number[];
  /** Null when nothing arrived in the held-out weeks (WAPE is undefined then). */
  readonly wape: number | null;
}

export interface BacktestResult {
  readonly weekStart: string;
  readonly weeks: number;
  readonly channels: readonly ChannelBacktest[];
  readonly wape: number | null;
}

export function forecastContacts(raw: ForecastInput): ForecastResult {
  const input = forecastInputSchema.parse(raw);
  const historyWeeks = Object.values(input.history)[0]?.length / INTERVALS_PER_WEEK || 0;
  const weekStart = addDays(input.historyStart, historyWeeks * 7);
  const channels = Object.keys(input.history)
    .sort()
    .map((id) => forecastChannel(id, input.history[id], input, weekStart));
  return { intervalMinutes: FORECAST_INTERVAL_MINUTES, weekStart, weeks: input.horizonWeeks, channels };
}

/** Forecast the last `holdoutWeeks` of the history from the weeks before them, and measure the error. */
export function backtest(raw: ForecastInput, holdoutWeeks: number): BacktestResult | null {
  const input = forecastInputSchema.parse(raw);
  const historyWeeks = Object.values(input.history)[0]?.length / INTERVALS_PER_WEEK || 0;
  if (!Number.isInteger(holdoutWeeks) || holdoutWeeks < 1 || historyWeeks - holdoutWeeks < 1) return null;
  const cut = (historyWeeks - holdoutWeeks) * INTERVALS_PER_WEEK;
  const training = Object.fromEntries(Object.entries(input.history).map(([id, h]) => [id, h.slice(0, cut)]));
  const result = forecastContacts({ ...input, history: training, horizonWeeks: holdoutWeeks });
  let absError = 0;
  let total = 0;
  const channels = result.channels.map((c) => {
    const actual = input.history[c.id].slice(cut);
    const e = actual.reduce((sum, a, t) => sum + Math.abs(a - c.forecast[t]), 0);
    const a = actual.reduce((sum, v) => sum + v, 0);
    absError += e;
    total += a;
    return { id: c.id, actual, forecast: c.forecast, wape: a > 0 ? e / a : null };
  });
  return { weekStart: result.weekStart, weeks: holdoutWeeks, channels, wape: total > 0 ? absError / total : null };
}

type ParsedInput = z.output<typeof forecastInputSchema>;

function forecastChannel(id: string, series: readonly number[], input: ParsedInput, weekStart: string): ChannelForecast {
  const weeks = series.length / INTERVALS_PER_WEEK;
  const factorOf = eventFactors(input.events, id);
  // Divide out known event factors; a day whose factor is 0 (closed) carries no information.
  const adjusted: (number | null)[] = series.map((y, t) => {
    const f = factorOf(addDays(input.historyStart, Math.floor(t / INTERVALS_PER_DAY)));
    return f === 0 ? null : y / f;
  });

  const weekly = range(weeks).map((w) => weekTotal(adjusted, w));
  const { intercept, slope } = trendLine(weekly);
  const weights = range(weeks).map((w) => 0.5 ** ((weeks - 1 - w) / input.halfLifeWeeks));

  // Shares: weighted sums over weeks of each interval; a missing (closed) day borrows the week's mean day.
  const byInterval = new Array<number>(INTERVALS_PER_WEEK).fill(0);
  for (let w = 0; w < weeks; w++) {
    const known = adjusted.slice(w * INTERVALS_PER_WEEK, (w + 1) * INTERVALS_PER_WEEK);
    for (let i = 0; i < INTERVALS_PER_WEEK; i++) {
      const v = known[i];
      byInterval[i] += weights[w] * (v ?? weekly[w] / INTERVALS_PER_WEEK);
    }
  }
  const dayTotals = range(7).map((d) => sum(byInterval.slice(d * INTERVALS_PER_DAY, (d + 1) * INTERVALS_PER_DAY)));
  const grand = sum(dayTotals);
  const dayShares = dayTotals.map((d) => (grand > 0 ? d / grand : 0));
  const pooled = range(INTERVALS_PER_DAY).map((k) => sum(range(7).map((d) => byInterval[d * INTERVALS_PER_DAY + k])));
  const pooledTotal = sum(pooled);
  const pooledShape = pooled.map((v) => (pooledTotal > 0 ? v / pooledTotal : 1 / INTERVALS_PER_DAY));
  const weightSum = sum(weights);
  const shapes = range(7).map((d) => {
    const own = byInterval.slice(d * INTERVALS_PER_DAY, (d + 1) * INTERVALS_PER_DAY);
    // Volume in contacts (not weighted) decides how much the day's own shape is trusted.
    const volume = (dayTotals[d] / weightSum) * weeks;
    const kappa = input.shapeShrinkage;
    return own.map((v, k) => {
      const ownShare = dayTotals[d] > 0 ? v / dayTotals[d] : pooledShape[k];
      return volume + kappa > 0 ? (volume * ownShare + kappa * pooledShape[k]) / (volume + kappa) : pooledShape[k];
    });
  });

  const forecast: number[] = [];
  const weeklyTotals: number[] = [];
  for (let h = 0; h < input.horizonWeeks; h++) {
    const level = Math.max(0, intercept + slope * (weeks + h));
    let total = 0;
    for (let i = 0; i < INTERVALS_PER_WEEK; i++) {
      const d = Math.floor(i / INTERVALS_PER_DAY);
      const f = factorOf(addDays(weekStart, h * 7 + d));
      const value = level * dayShares[d] * shapes[d][i % INTERVALS_PER_DAY] * f;
      forecast.push(value);
      total += value;
    }
    weeklyTotals.push(total);
  }
  return { id, forecast, weeklyTotals, trendPerWeek: weeks >= 3 ? slope : 0, dayShares };
}

/** The week's total of adjusted counts; closed days are filled with the mean of the open days. */
function weekTotal(adjusted: readonly (number | null)[], w: number): number {
  let total = 0;
  let openDays = 0;
  for (let d = 0; d < 7; d++) {
    const day = adjusted.slice(w * INTERVALS_PER_WEEK + d * INTERVALS_PER_DAY, w * INTERVALS_PER_WEEK + (d + 1) * INTERVALS_PER_DAY);
    if (day[0] === null) continue;
    openDays++;
    total += sum(day as number[]);
  }
  return openDays === 0 ? 0 : (total * 7) / openDays;
}

/** Ordinary least squares through (w, total); flat (the mean) with fewer than 3 weeks, where a slope is noise. */
function trendLine(totals: readonly number[]): { intercept: number; slope: number } {
  const n = totals.length;
  const mean = n > 0 ? sum(totals) / n : 0;
  if (n < 3) return { intercept: mean, slope: 0 };
  const xMean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  totals.forEach((y, x) => {
    sxy += (x - xMean) * (y - mean);
    sxx += (x - xMean) ** 2;
  });
  const slope = sxy / sxx;
  return { intercept: mean - slope * xMean, slope };
}

function eventFactors(events: ParsedInput['events'], channel: string): (date: string) => number {
  const byDate = new Map<string, number>();
  for (const e of events) {
    if (e.channels && !e.channels.includes(channel)) continue;
    byDate.set(e.date, (byDate.get(e.date) ?? 1) * e.factor);
  }
  return (date) => byDate.get(date) ?? 1;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
