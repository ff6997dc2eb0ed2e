import { sql } from 'kysely';
import type { AcceptsFlag } from '../../shared/directory/needs.js';
import type { DbOrTx } from '../db/db.js';
import { openState, type ScheduleLike } from './opening-hours.js';
import './directory.tables.js';

export interface MatchRequest {
  /** Need keys ("shelter") or taxonomy term ids; a need also matches services tagged with its narrower needs. */
  needs: string[];
  point?: { lat: number; lon: number };
  /** An admin area code (ISO 3166-2 style, e.g. "CA-ON"); a service area naming "CA" or "CA-ON" covers "CA-ON-TOR". */
  areaCode?: string;
  /** A language code ("ti", "es-MX") or name ("Tigrinya"). */
  language?: string;
  /** Who must be accepted: e.g. { men: true, minors: true }. A partner that does not accept is left out. */
  population?: Partial<Record<AcceptsFlag, boolean>>;
  at?: Date;
  /** Also rank prospective partners (never suspended or ended ones). Default: vetted only. */
  includeUnvetted?: boolean;
  limit?: number;
}

export type MatchReason =
  | { code: 'need'; needs: string[] }
  | { code: 'covers_area'; area: string }
  | { code: 'area_unknown' }
  | { code: 'distance'; km: number }
  | { code: 'open_now'; zone: string }
  | { code: 'closed_now'; zone: string }
  | { code: 'hours_unknown' }
  | { code: 'speaks_language'; language: string }
  | { code: 'language_unknown' }
  | { code: 'accepts'; flag: AcceptsFlag }
  | { code: 'accepts_unknown'; flag: AcceptsFlag }
  | { code: 'vetted' }
  | { code: 'not_vetted' };

export interface ServiceMatch {
  serviceId: string;
  serviceName: string;
  organizationId: string;
  organizationName: string;
  score: number;
  distanceKm: number | null;
  openNow: boolean | null;
  reasons: MatchReason[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting over GeoJSON Polygon / MultiPolygon (lon, lat order); holes subtract. */
function inGeoJson(parsed: unknown, point: { lat: number; lon: number }): boolean | null {
  let geo = parsed as any;
  if (geo?.type === 'Feature') geo = geo.geometry;
  const ring = (r: number[][]) => {
    let inside = false;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i];
      const [xj, yj] = r[j];
      if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  const polygon = (p: number[][][]) => ring(p[0]) && !p.slice(1).some(ring);
  if (geo?.type === 'Polygon' && Array.isArray(geo.coordinates)) return polygon(geo.coordinates);
  if (geo?.type === 'MultiPolygon' && Array.isArray(geo.coordinates)) return geo.coordinates.some(polygon);
  return null;
}

type AreaLike = { name?: unknown; extent?: unknown; extent_type?: unknown };
const parsedAreas = new WeakMap<AreaLike, { codes: string[]; geo: unknown }>();
function parsedArea(area: AreaLike) {
  let parsed = parsedAreas.get(area);
  if (!parsed) {
    let geo: unknown = null;
    if (typeof area.extent === 'string' && String(area.extent_type ?? '').toLowerCase() === 'geojson') {
      try { geo = JSON.parse(area.extent); } catch { geo = null; }
    }
    const codes = geo ? [] : [area.extent, area.name].filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter((v) => /^[A-Z]{2}(-[A-Z0-9]{1,10})*$/.test(v));
    parsed = { codes, geo };
    parsedAreas.set(area, parsed);
  }
  return parsed;
}

/** Does this HSDS service area cover the request? true / false / null (cannot tell). */
export function areaCovers(area: AreaLike, areaCode: string | undefined, point: { lat: number; lon: number } | undefined): { covers: boolean | null; label: string } {
  const label = typeof area.name === 'string' ? area.name : '';
  const { codes, geo } = parsedArea(area);
  if (point && geo) {
    const inside = inGeoJson(geo, point);
    if (inside !== null) return { covers: inside, label };
  }
  if (areaCode) {
    const wanted = areaCode.toUpperCase();
    if (codes.length) {
      const hit = codes.find((c) => wanted === c || wanted.startsWith(`${c}-`));
      return { covers: !!hit, label: hit ?? label };
    }
  }
  return { covers: null, label };
}

const languageMatches = (wanted: string, lang: { code?: unknown; name?: unknown }) => {
  const w = wanted.trim().toLowerCase();
  const code = typeof lang.code === 'string' ? lang.code.toLowerCase() : '';
  const name = typeof lang.name === 'string' ? lang.name.toLowerCase() : '';
  return (code && (code === w || code.split('-')[0] === w.split('-')[0])) || (name && name === w);
};

interface IndexedService {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  vettingStatus: string;
  accepts: Partial<Record<AcceptsFlag, boolean | null>>;
  timeZone: string | null;
  minimumAge: number | null;
  termIds: string[];
  locations: { lat: number; lon: number }[];
  areas: Record<string, unknown>[];
  languages: Record<string, unknown>[];
  schedules: ScheduleLike[];
}

interface DirectoryIndex {
  version: number;
  timezone: string;
  terms: { id: string; code: string | null; parent_id: string | null; name: string }[];
  services: IndexedService[];
  byTerm: Map<string, IndexedService[]>;
}

/**
 * Matching reads a per-hotline in-memory index of the directory (services of partners that are vetted or
 * prospective, with their needs, places, areas, languages, hours and partner data), rebuilt when the hotline's
 * directory version changes. Every write to the directory bumps the version in the same transaction
 * (`bumpDirectoryVersion`), so every server instance sees a change on its next match (one cheap read per match).
 */
const indexes = new Map<string, { version: number; index: Promise<DirectoryIndex> }>();

export async function bumpDirectoryVersion(tx: DbOrTx, hotlineId: string): Promise<void> {
  await tx
    .insertInto('directory_state')
    .values({ hotline_id: hotlineId, version: 1 })
    .onConflict((oc) => oc.column('hotline_id').doUpdateSet({ version: sql`directory_state.version + 1` }))
    .execute();
}

async function directoryIndex(db: DbOrTx, hotlineId: string): Promise<DirectoryIndex | null> {
  const state = await db
    .selectFrom('hotline as h')
    .leftJoin('directory_state as d', 'd.hotline_id', 'h.id')
    .select(['h.timezone', 'd.version'])
    .where('h.id', '=', hotlineId)
    .executeTakeFirst();
  if (!state) return null;
  const version = Number(state.version ?? 0);
  const cached = indexes.get(hotlineId);
  if (cached && cached.version === version) return cached.index;
  const index = loadIndex(db, hotlineId, version, state.timezone ?? 'UTC');
  indexes.set(hotlineId, { version, index });
  index.catch(() => indexes.delete(hotlineId));
  return index;
}

async function loadIndex(db: DbOrTx, hotlineId: string, version: number, timezone: string): Promise<DirectoryIndex> {
  const [terms, rows, attributes, sals, locations, areas, languages, schedules] = await Promise.all([
    db.selectFrom('hsds_taxonomy_term').select(['id', 'code', 'parent_id', 'name']).where('hotline_id', '=', hotlineId).where((eb) => eb.or([eb('is_active', 'is', null), eb('is_active', '=', true)])).execute(),
    db
      .selectFrom('hsds_service as s')
      .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 's.hotline_id').onRef('p.organization_id', '=', 's.organization_id'))
      .innerJoin('hsds_organization as o', (j) => j.onRef('o.hotline_id', '=', 's.hotline_id').onRef('o.id', '=', 's.organization_id'))
      .where('s.hotline_id', '=', hotlineId)
      .where('s.status', '=', 'active')
      .where('p.vetting_status', 'in', ['vetted', 'prospective'])
      .select(['s.id', 's.name', 's.organization_id', 'o.name as organization_name', 'p.vetting_status', 'p.accepts', 'p.time_zone', sql<number | null>`(s.data->>'minimum_age')::float8`.as('minimum_age')])
      .execute(),
    db.selectFrom('hsds_attribute').select(['link_id', 'taxonomy_term_id']).where('hotline_id', '=', hotlineId).execute(),
    db.selectFrom('hsds_service_at_location').select(['id', 'service_id', 'location_id']).where('hotline_id', '=', hotlineId).execute(),
    db.selectFrom('hsds_location').select(['id', 'latitude', 'longitude']).where('hotline_id', '=', hotlineId).where('latitude', 'is not', null).where('longitude', 'is not', null).execute(),
    db.selectFrom('hsds_service_area').select(['service_id', 'data']).where('hotline_id', '=', hotlineId).execute(),
    db.selectFrom('hsds_language').select(['service_id', 'location_id', 'data']).where('hotline_id', '=', hotlineId).where((eb) => eb.or([eb('service_id', 'is not', null), eb('location_id', 'is not', null)])).execute(),
    db.selectFrom('hsds_schedule').select(['service_id', 'service_at_location_id', 'data']).where('hotline_id', '=', hotlineId).where((eb) => eb.or([eb('service_id', 'is not', null), eb('service_at_location_id', 'is not', null)])).execute(),
  ]);
  const services = new Map<string, IndexedService>();
  for (const r of rows) {
    services.set(r.id, {
      id: r.id, name: r.name, organizationId: r.organization_id!, organizationName: r.organization_name, vettingStatus: r.vetting_status,
      accepts: (r.accepts ?? {}) as IndexedService['accepts'], timeZone: r.time_zone, minimumAge: r.minimum_age,
      termIds: [], locations: [], areas: [], languages: [], schedules: [],
    });
  }
  const byTerm = new Map<string, IndexedService[]>();
  for (const a of attributes) {
    const svc = a.link_id ? services.get(a.link_id) : undefined;
    if (!svc || !a.taxonomy_term_id) continue;
    svc.termIds.push(a.taxonomy_term_id);
    (byTerm.get(a.taxonomy_term_id) ?? byTerm.set(a.taxonomy_term_id, []).get(a.taxonomy_term_id)!).push(svc);
  }
  const locationById = new Map(locations.map((l) => [l.id, { lat: l.latitude!, lon: l.longitude! }]));
  const locationLanguages = new Map<string, Record<string, unknown>[]>();
  for (const l of languages) if (l.location_id) (locationLanguages.get(l.location_id) ?? locationLanguages.set(l.location_id, []).get(l.location_id)!).push(l.data as Record<string, unknown>);
  const salService = new Map<string, string>();
  for (const s of sals) {
    if (!s.service_id) continue;
    salService.set(s.id, s.service_id);
    const svc = services.get(s.service_id);
    if (!svc || !s.location_id) continue;
    const point = locationById.get(s.location_id);
    if (point) svc.locations.push(point);
    svc.languages.push(...(locationLanguages.get(s.location_id) ?? []));
  }
  for (const a of areas) if (a.service_id) services.get(a.service_id)?.areas.push(a.data as Record<string, unknown>);
  for (const l of languages) if (l.service_id) services.get(l.service_id)?.languages.push(l.data as Record<string, unknown>);
  for (const s of schedules) {
    const serviceId = s.service_id ?? (s.service_at_location_id ? salService.get(s.service_at_location_id) : undefined);
    if (serviceId) services.get(serviceId)?.schedules.push(s.data as ScheduleLike);
  }
  return { version, timezone, terms, services: [...services.values()], byTerm };
}

/**
 * Ranks a hotline's services for a person's needs, with the reasons for each: which needs it meets, whether it covers
 * the area, distance, open now (in the service's time zone), language, who it accepts, vetting. Hard filters: at
 * least one need met (when needs are given), active, partner vetted (or prospective when asked), not refusing a
 * requested population, not outside a service area that can be checked.
 */
export async function matchServices(db: DbOrTx, hotlineId: string, request: MatchRequest): Promise<ServiceMatch[]> {
  const index = await directoryIndex(db, hotlineId);
  if (!index) return [];
  return rankServices(index, request);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function rankServices(index: DirectoryIndex, request: MatchRequest): ServiceMatch[] {
  const at = request.at ?? new Date();
  const fallbackZone = index.timezone;
  const { terms } = index;

  // Needs -> term ids, with their narrower terms.
  const termKey = new Map(terms.map((t) => [t.id, t.code ?? t.name]));
  const wantedRoots = terms.filter((t) => (t.code && request.needs.includes(t.code)) || request.needs.includes(t.id));
  const rootOf = new Map<string, string>();
  const addTree = (id: string, root: string) => {
    if (rootOf.has(id)) return;
    rootOf.set(id, root);
    for (const child of terms.filter((t) => t.parent_id === id)) addTree(child.id, root);
  };
  for (const t of wantedRoots) addTree(t.id, t.code ?? t.id);
  if (request.needs.length && !rootOf.size) return [];

  const statuses = request.includeUnvetted ? ['vetted', 'prospective'] : ['vetted'];
  let pool: IndexedService[];
  if (rootOf.size) {
    const seen = new Set<IndexedService>();
    for (const id of rootOf.keys()) for (const svc of index.byTerm.get(id) ?? []) seen.add(svc);
    pool = [...seen];
  } else pool = index.services;
  const candidates = pool.filter((c) => statuses.includes(c.vettingStatus));

  const results: ServiceMatch[] = [];
  for (const c of candidates) {
    const reasons: MatchReason[] = [];
    let score = 0;
    const needs = [...new Set(c.termIds.filter((id) => rootOf.has(id)).map((id) => rootOf.get(id) ?? termKey.get(id) ?? id))];
    if (rootOf.size) {
      reasons.push({ code: 'need', needs });
      score += 100 * needs.length;
    }

    // Area: a service area we can check that does not cover the place rules the service out.
    if (request.areaCode || request.point) {
      const checks = c.areas.map((a) => areaCovers(a, request.areaCode, request.point));
      const hit = checks.find((x) => x.covers === true);
      if (hit) {
        reasons.push({ code: 'covers_area', area: hit.label || request.areaCode || '' });
        score += 40;
      } else if (checks.some((x) => x.covers === false)) continue;
      else reasons.push({ code: 'area_unknown' });
    }

    let distanceKm: number | null = null;
    if (request.point) {
      for (const l of c.locations) {
        const d = haversineKm(request.point, l);
        if (distanceKm === null || d < distanceKm) distanceKm = d;
      }
      if (distanceKm !== null) {
        distanceKm = Math.round(distanceKm * 10) / 10;
        reasons.push({ code: 'distance', km: distanceKm });
        score += Math.max(0, 30 - distanceKm / 10); // up to 30 points, nothing beyond 300 km
      }
    }

    const open = openState(c.schedules, at, c.timeZone, fallbackZone);
    if (open.known) {
      reasons.push(open.open ? { code: 'open_now', zone: open.zone } : { code: 'closed_now', zone: open.zone });
      if (open.open) score += 20;
    } else reasons.push({ code: 'hours_unknown' });

    if (request.language) {
      const hit = c.languages.find((l) => languageMatches(request.language!, l));
      if (hit) {
        reasons.push({ code: 'speaks_language', language: String(hit.name ?? hit.code ?? request.language) });
        score += 30;
      } else reasons.push({ code: 'language_unknown' });
    }

    const accepts = c.accepts;
    let refused = false;
    for (const [flag, wanted] of Object.entries(request.population ?? {}) as [AcceptsFlag, boolean][]) {
      if (!wanted) continue;
      let value = accepts[flag];
      if (flag === 'minors' && typeof c.minimumAge === 'number' && c.minimumAge >= 18) value = false;
      if (value === false) refused = true;
      else if (value === true) {
        reasons.push({ code: 'accepts', flag });
        score += 10;
      } else {
        reasons.push({ code: 'accepts_unknown', flag });
        score -= 5;
      }
    }
    if (refused) continue;

    if (c.vettingStatus === 'vetted') {
      reasons.push({ code: 'vetted' });
      score += 25;
    } else reasons.push({ code: 'not_vetted' });

    results.push({ serviceId: c.id, serviceName: c.name, organizationId: c.organizationId, organizationName: c.organizationName, score: Math.round(score * 10) / 10, distanceKm, openNow: open.open, reasons });
  }
  results.sort((a, b) => b.score - a.score || (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || cmp(a.serviceName, b.serviceName) || cmp(a.serviceId, b.serviceId));
  return results.slice(0, request.limit ?? 50);
}
