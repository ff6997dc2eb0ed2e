import { sql } from 'kysely';
import type { DbOrTx } from '../db/db.js';

/**
 * The history of staff availability (migration 0031), for occupancy: each change closes the person's open interval
 * and, unless they go offline, opens a new one. Signing out is going offline.
 */
export async function recordAvailability(tx: DbOrTx, hotlineId: string, userId: string, status: 'available' | 'busy' | 'break' | 'offline', at = new Date()) {
  await sql`update staff_availability_interval set ended_at = greatest(started_at, ${at}::timestamptz) where user_id = ${userId} and ended_at is null`.execute(tx);
  if (status !== 'offline') {
    await sql`insert into staff_availability_interval (hotline_id, user_id, status, started_at) values (${hotlineId}, ${userId}, ${status}, ${at})`.execute(tx);
  }
}

/**
 * An interval counts at most this long: a person who closes the browser without signing out stays "available" in
 * the record, and one forgotten session must not halve a month's occupancy (a shift is at most 12 hours here).
 */
export const MAX_INTERVAL_HOURS = 12;

/**
 * Seconds staff were available or busy in the local days [from, to) of the hotline's time zone (open intervals end
 * at `now`, every interval at most MAX_INTERVAL_HOURS), and how many intervals that is.
 */
export async function staffedSeconds(db: DbOrTx, hotlineId: string, tz: string, from: string, to: string, now: Date): Promise<{ seconds: number; intervals: number }> {
  const { rows } = await sql<{ seconds: number; intervals: number }>`
    with period as (select (${from}::date)::timestamp at time zone ${tz} as a, (${to}::date)::timestamp at time zone ${tz} as b)
    select coalesce(sum(greatest(0, extract(epoch from
             least(coalesce(i.ended_at, ${now}::timestamptz), i.started_at + make_interval(hours => ${MAX_INTERVAL_HOURS}), p.b) - greatest(i.started_at, p.a)))), 0)::float8 as seconds,
           count(*)::int as intervals
    from staff_availability_interval i, period p
    where i.hotline_id = ${hotlineId} and i.status in ('available', 'busy')
      and i.started_at < p.b and coalesce(i.ended_at, ${now}::timestamptz) > p.a`.execute(db);
  return rows[0];
}
