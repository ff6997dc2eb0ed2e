import './schema.js';
import '../directory/directory.tables.js';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { directorySearchQuery } from '../../shared/api/referrals.js';
import type { AcceptsFlag } from '../../shared/directory/needs.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { AppContext } from '../context.js';
import { listNeeds } from '../directory/directory.service.js';
import { matchServices } from '../directory/match.js';

/**
 * Staff search of the partner directory: the matching engine (docs/directory.md) with its reasons, the partner's
 * vetting status and review date beside each result. Need searches are counted (need, area, how many matched) so
 * needs that find no partner show up as unmet needs; nothing about the person is stored.
 */
export async function searchDirectory(ctx: AppContext, hotlineId: string, q: z.infer<typeof directorySearchQuery>, now = new Date()) {
  const needs = (q.needs ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const population: Partial<Record<AcceptsFlag, boolean>> = {};
  for (const flag of ['men', 'minors', 'lgbtq', 'foreign_nationals'] as const) if (q[flag] === 'true') population[flag] = true;
  const point = q.lat !== undefined && q.lon !== undefined ? { lat: q.lat, lon: q.lon } : undefined;
  let matches = await matchServices(ctx.db, hotlineId, { needs, point, areaCode: q.areaCode, language: q.language, population, at: now, includeUnvetted: q.includeUnvetted === 'true', limit: 5000 });
  if (q.openNow === 'true') matches = matches.filter((m) => m.openNow === true);
  if (point && q.withinKm !== undefined) matches = matches.filter((m) => m.distanceKm !== null && m.distanceKm <= q.withinKm!);
  if (needs.length) {
    await ctx.db.insertInto('referral_need_search').values(needs.map((need) => ({ hotline_id: hotlineId, need, area_code: q.areaCode ?? null, matches: matches.filter((m) => m.reasons.some((r) => r.code === 'need' && r.needs.includes(need))).length, searched_at: now }))).execute();
  }
  const total = matches.length;
  matches = matches.slice(0, q.limit);
  const orgIds = [...new Set(matches.map((m) => m.organizationId))];
  const partners = orgIds.length
    ? await ctx.db.selectFrom('directory_partner').select(['organization_id', 'vetting_status', 'review_due_on']).where('hotline_id', '=', hotlineId).where('organization_id', 'in', orgIds).execute()
    : [];
  const partnerOf = new Map(partners.map((p) => [p.organization_id, p]));
  const where = await placesOf(ctx, hotlineId, matches.map((m) => m.serviceId));
  return {
    total,
    items: matches.map((m) => ({
      ...m, vettingStatus: partnerOf.get(m.organizationId)?.vetting_status ?? null, reviewDueOn: dateOnly(partnerOf.get(m.organizationId)?.review_due_on),
      places: where.places.get(m.serviceId) ?? [], areas: where.areas.get(m.serviceId) ?? [],
    })),
  };
}

/** For the map: each service's places with coordinates (HSDS locations through service-at-location) and its service area names. */
async function placesOf(ctx: AppContext, hotlineId: string, serviceIds: string[]) {
  const places = new Map<string, { locationId: string; name: string | null; lat: number; lon: number }[]>();
  const areas = new Map<string, string[]>();
  if (serviceIds.length === 0) return { places, areas };
  const [located, covered] = await Promise.all([
    ctx.db
      .selectFrom('hsds_service_at_location as sal')
      .innerJoin('hsds_location as l', (j) => j.onRef('l.hotline_id', '=', 'sal.hotline_id').onRef('l.id', '=', 'sal.location_id'))
      .select(['sal.service_id', 'l.id', 'l.name', 'l.latitude', 'l.longitude'])
      .where('sal.hotline_id', '=', hotlineId)
      .where('sal.service_id', 'in', serviceIds)
      .where('l.latitude', 'is not', null)
      .where('l.longitude', 'is not', null)
      .execute(),
    ctx.db.selectFrom('hsds_service_area').select(['service_id', sql<string | null>`data->>'name'`.as('name')]).where('hotline_id', '=', hotlineId).where('service_id', 'in', serviceIds).execute(),
  ]);
  for (const l of located) {
    const list = places.get(l.service_id!) ?? places.set(l.service_id!, []).get(l.service_id!)!;
    if (!list.some((p) => p.locationId === l.id)) list.push({ locationId: l.id, name: l.name, lat: Number(l.latitude), lon: Number(l.longitude) });
  }
  for (const a of covered) if (a.service_id && a.name) (areas.get(a.service_id) ?? areas.set(a.service_id, []).get(a.service_id)!).push(a.name);
  return { places, areas };
}

/** Map settings for the web app: tiles only when an operator configured them (docs/directory.md, Map). */
export function mapSettings(ctx: AppContext) {
  return { tileUrl: ctx.config.mapTileUrl ?? null, attribution: ctx.config.mapTileAttribution ?? null };
}

// pg reads a `date` as local midnight: format it back from local parts so the day never shifts.
const pad = (n: number) => String(n).padStart(2, '0');
const dateOnly = (d: unknown) => (d instanceof Date ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : typeof d === 'string' ? d.slice(0, 10) : null);

export async function directoryNeeds(ctx: AppContext, hotlineId: string) {
  return (await listNeeds(ctx.db, hotlineId)).filter((n) => n.isActive).map((n) => ({ key: n.key, labels: n.labels }));
}

/** A partner's profile: organization, vetting and review date, what it accepts, its protocol, services, places, desk phones. */
export async function partnerProfile(ctx: AppContext, hotlineId: string, organizationId: string): Promise<Result<Record<string, unknown>>> {
  const org = await ctx.db
    .selectFrom('hsds_organization as o')
    .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 'o.hotline_id').onRef('p.organization_id', '=', 'o.id'))
    .select(['o.id', 'o.name', 'o.data', 'p.vetting_status', 'p.vetting_evidence', 'p.review_due_on', 'p.mou_signed_on', 'p.mou_expires_on', 'p.accepts', 'p.referral_protocol', 'p.time_zone', 'p.reporting_agency_id'])
    .where('o.hotline_id', '=', hotlineId)
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!org) return fail('not_found', 'No such partner');
  const [services, locations, phones, needs, attributes] = await Promise.all([
    ctx.db.selectFrom('hsds_service').select(['id', 'name', 'status', 'data']).where('hotline_id', '=', hotlineId).where('organization_id', '=', organizationId).orderBy('name').execute(),
    ctx.db.selectFrom('hsds_location').select(['id', 'name', 'latitude', 'longitude']).where('hotline_id', '=', hotlineId).where('organization_id', '=', organizationId).orderBy('name').execute(),
    // Desk phones of the organization; phones of named staff contacts are left out (docs/directory.md, Privacy).
    ctx.db.selectFrom('hsds_phone').select(['id', 'data']).where('hotline_id', '=', hotlineId).where('organization_id', '=', organizationId).where('contact_id', 'is', null).execute(),
    listNeeds(ctx.db, hotlineId),
    ctx.db.selectFrom('hsds_attribute').select(['link_id', 'taxonomy_term_id']).where('hotline_id', '=', hotlineId).where('link_entity', '=', 'service').execute(),
  ]);
  const needOf = new Map(needs.map((n) => [n.id, n.key]));
  const serviceNeeds = (id: string) => attributes.filter((a) => a.link_id === id && a.taxonomy_term_id && needOf.has(a.taxonomy_term_id)).map((a) => needOf.get(a.taxonomy_term_id!)!);
  const data = org.data as Record<string, unknown>;
  return ok({
    id: org.id,
    name: org.name,
    description: typeof data.description === 'string' ? data.description : null,
    website: typeof data.website === 'string' ? data.website : null,
    email: typeof data.email === 'string' ? data.email : null,
    vettingStatus: org.vetting_status,
    vettingEvidence: org.vetting_evidence,
    reviewDueOn: dateOnly(org.review_due_on),
    reviewOverdue: org.review_due_on ? dateOnly(org.review_due_on)! < new Date().toISOString().slice(0, 10) : false,
    mouSignedOn: dateOnly(org.mou_signed_on),
    mouExpiresOn: dateOnly(org.mou_expires_on),
    accepts: org.accepts,
    referralProtocol: org.referral_protocol,
    timeZone: org.time_zone,
    reportingAgencyId: org.reporting_agency_id,
    services: services.map((s) => ({ id: s.id, name: s.name, status: s.status, description: typeof (s.data as any)?.description === 'string' ? (s.data as any).description : null, needs: serviceNeeds(s.id) })),
    locations: locations.map((l) => ({ id: l.id, name: l.name, latitude: l.latitude, longitude: l.longitude })),
    phones: phones.map((p) => ({ id: p.id, number: String((p.data as any)?.number ?? ''), description: typeof (p.data as any)?.description === 'string' ? (p.data as any).description : null })),
  });
}

/**
 * Annual re-verification: vetted and prospective partners whose review date has passed or falls within `withinDays`,
 * soonest first (the directory screen lists them; the profile says "overdue").
 */
export async function reviewsDue(ctx: AppContext, hotlineId: string, withinDays = 30, now = new Date()) {
  const until = new Date(now.getTime() + withinDays * 86_400_000).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  const rows = await ctx.db
    .selectFrom('directory_partner as p')
    .innerJoin('hsds_organization as o', (j) => j.onRef('o.hotline_id', '=', 'p.hotline_id').onRef('o.id', '=', 'p.organization_id'))
    .select(['o.id', 'o.name', 'p.vetting_status', 'p.review_due_on'])
    .where('p.hotline_id', '=', hotlineId)
    .where('p.vetting_status', 'in', ['vetted', 'prospective'])
    .where('p.review_due_on', 'is not', null)
    .where('p.review_due_on', '<=', until)
    .orderBy('p.review_due_on')
    .limit(200)
    .execute();
  return rows.map((r) => {
    const due = dateOnly(r.review_due_on)!;
    return { id: r.id, name: r.name, vettingStatus: r.vetting_status, reviewDueOn: due, overdue: due < today };
  });
}
