import './schema.js';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { listNeeds } from '../directory/directory.service.js';
import { matchServices } from '../directory/match.js';
import { suppressReferralCounts } from './metrics-suppression.js';

/**
 * Referral figures per partner and need: referrals made, accepted, declined, acceptance rate (of those answered),
 * hours to acknowledge (median and mean, from sending to the partner's answer), outcomes; and unmet needs: needs
 * searched in an area where no partner matched, and needs no vetted partner meets anywhere. No personal data.
 */
async function exactReferralMetrics(ctx: AppContext, hotlineId: string, since: Date) {
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
  const totals = await sql<{ key: string; name: string | null; made: string; accepted: string; declined: string; services_provided: string; overdue: string }>`
    select t.key, max(t.name) as name, count(*) as made,
      count(*) filter (where t.responded_at is not null and t.status <> 'declined') as accepted,
      count(*) filter (where t.status = 'declined') as declined,
      count(*) filter (where t.outcome = 'services_provided') as services_provided,
      count(*) filter (where (t.status = 'sent' and t.ack_due_at < now()) or (t.status = 'accepted' and t.outcome_due_at < now())) as overdue
    from (
      select 'partner:' || r.organization_id as key, r.organization_name as name, r.* from referral r where r.hotline_id = ${hotlineId} and r.created_at >= ${since}
      union all
      select 'need:' || n.need as key, null as name, r.* from referral r cross join lateral unnest(r.needs) as n(need) where r.hotline_id = ${hotlineId} and r.created_at >= ${since}
    ) t
    group by t.key
    order by t.key`.execute(ctx.db);
  const totalOf = (r: (typeof totals.rows)[number]) => ({ made: Number(r.made), accepted: Number(r.accepted), declined: Number(r.declined), servicesProvided: Number(r.services_provided), overdue: Number(r.overdue) });
  const byPartner = totals.rows.filter((r) => r.key.startsWith('partner:')).map((r) => ({ organizationId: r.key.slice(8), organizationName: r.name ?? '', ...totalOf(r) }));
  const byNeed = totals.rows.filter((r) => r.key.startsWith('need:')).map((r) => ({ need: r.key.slice(5), ...totalOf(r) }));
  const result = {
    since: since.toISOString(),
    suppressed: false,
    byPartner,
    byNeed,
    byPartnerAndNeed,
    unmetNeeds: searched.map((s) => ({ need: s.need, areaCode: s.area_code, searches: Number(s.searches), lastSearchedAt: new Date(s.last_at).toISOString() })),
    needsWithoutPartner: uncovered,
  };
  return result;
}

export async function referralMetrics(ctx: AppContext, hotlineId: string, since: Date, options: { suppress: boolean } = { suppress: false }) {
  const exact = await exactReferralMetrics(ctx, hotlineId, since);
  return options.suppress ? suppressReferralCounts(exact) : exact;
}
