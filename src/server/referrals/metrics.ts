import './schema.js';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { listNeeds } from '../directory/directory.service.js';
import { matchServices } from '../directory/match.js';

/**
 * Referral figures per partner and need: referrals made, accepted, declined, acceptance rate (of those answered),
 * hours to acknowledge (median and mean, from sending to the partner's answer), outcomes; and unmet needs: needs
 * searched in an area where no partner matched, and needs no vetted partner meets anywhere. No personal data.
 */
export async function referralMetrics(ctx: AppContext, hotlineId: string, since: Date) {
  const rows = await sql<{
    organization_id: string; organization_name: string; need: string; made: string; accepted: string; declined: string;
    median_ack_hours: number | null; mean_ack_hours: number | null; contacted: string; services_provided: string; could_not_reach: string; client_declined: string; overdue: string;
  }>`
    select r.organization_id, max(r.organization_name) as organization_name, n.need,
      count(*) as made,
      count(*) filter (where r.responded_at is not null and r.status <> 'declined') as accepted,
      count(*) filter (where r.status = 'declined') as declined,
      percentile_cont(0.5) within group (order by extract(epoch from r.responded_at - r.created_at) / 3600) filter (where r.responded_at is not null) as median_ack_hours,
      avg(extract(epoch from r.responded_at - r.created_at) / 3600) filter (where r.responded_at is not null) as mean_ack_hours,
      count(*) filter (where r.outcome = 'contacted') as contacted,
      count(*) filter (where r.outcome = 'services_provided') as services_provided,
      count(*) filter (where r.outcome = 'could_not_reach') as could_not_reach,
      count(*) filter (where r.outcome = 'declined') as client_declined,
      count(*) filter (where (r.status = 'sent' and r.ack_due_at < now()) or (r.status = 'accepted' and r.outcome_due_at < now())) as overdue
    from referral r cross join lateral unnest(r.needs) as n(need)
    where r.hotline_id = ${hotlineId} and r.created_at >= ${since}
    group by r.organization_id, n.need
    order by organization_name, n.need`.execute(ctx.db);
  const byPartnerAndNeed = rows.rows.map((r) => {
    const accepted = Number(r.accepted);
    const declined = Number(r.declined);
    return {
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      need: r.need,
      made: Number(r.made),
      accepted,
      declined,
      acceptanceRate: accepted + declined ? Math.round((accepted / (accepted + declined)) * 1000) / 1000 : null,
      medianHoursToAcknowledge: r.median_ack_hours === null ? null : Math.round(Number(r.median_ack_hours) * 10) / 10,
      meanHoursToAcknowledge: r.mean_ack_hours === null ? null : Math.round(Number(r.mean_ack_hours) * 10) / 10,
      outcomes: { contacted: Number(r.contacted), services_provided: Number(r.services_provided), could_not_reach: Number(r.could_not_reach), declined: Number(r.client_declined) },
      overdue: Number(r.overdue),
    };
  });

  const searched = await ctx.db
    .selectFrom('referral_need_search')
    .select(['need', 'area_code', sql<string>`count(*)`.as('searches'), sql<Date>`max(searched_at)`.as('last_at')])
    .where('hotline_id', '=', hotlineId)
    .where('matches', '=', 0)
    .where('searched_at', '>=', since)
    .groupBy(['need', 'area_code'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(200)
    .execute();
  const needs = (await listNeeds(ctx.db, hotlineId)).filter((n) => n.isActive);
  const uncovered: string[] = [];
  for (const need of needs) if ((await matchServices(ctx.db, hotlineId, { needs: [need.key], limit: 1 })).length === 0) uncovered.push(need.key);
  return {
    since: since.toISOString(),
    byPartnerAndNeed,
    unmetNeeds: searched.map((s) => ({ need: s.need, areaCode: s.area_code, searches: Number(s.searches), lastSearchedAt: new Date(s.last_at).toISOString() })),
    needsWithoutPartner: uncovered,
  };
}
