import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.js';
import '../referrals/schema.js';
import type { Role } from '../../shared/roles.js';
import { recordConsent } from '../assessment/reports.service.js';
import type { AppContext } from '../context.js';
import { getRuleSet } from '../permissions/repo.js';
import { compilePermissions } from '../permissions/engine.js';
import type { ActorContext } from '../queue/queue.service.js';
import { createReferrals } from '../referrals/referrals.service.js';
import { importDirectory, setPartnerProfile } from '../directory/directory.service.js';
import { collectJson } from '../directory/hsds-import.js';
import { ACCEPTS_FLAGS, DEFAULT_NEEDS } from '../../shared/directory/needs.js';
import { COUNTRIES } from './locales.js';
import type { Random } from './random.js';

/** Approximate city centres (public geography) so distance matching has something to measure. */
const CITY_CENTRES: Record<string, [number, number]> = {
  Toronto: [43.65, -79.38], Ottawa: [45.42, -75.69], Hamilton: [43.26, -79.87], London: [42.98, -81.25], Windsor: [42.31, -83.04],
  Montréal: [45.5, -73.57], Québec: [46.81, -71.21], Laval: [45.61, -73.71], Gatineau: [45.48, -75.7], 'Trois-Rivières': [46.34, -72.54],
  Vancouver: [49.28, -123.12], Surrey: [49.19, -122.85], Victoria: [48.43, -123.37], Kelowna: [49.89, -119.5],
  Calgary: [51.05, -114.07], Edmonton: [53.55, -113.49], 'Red Deer': [52.27, -113.81], Halifax: [44.65, -63.57], Sydney: [46.14, -60.19],
  Truro: [45.37, -63.28], Winnipeg: [49.9, -97.14], Brandon: [49.85, -99.95],
  'Ciudad de México': [19.43, -99.13], Iztapalapa: [19.36, -99.06], Coyoacán: [19.35, -99.16], Guadalajara: [20.67, -103.35],
  Zapopan: [20.72, -103.39], 'Puerto Vallarta': [20.65, -105.23], Monterrey: [25.69, -100.32], 'San Nicolás de los Garza': [25.74, -100.3],
  Apodaca: [25.78, -100.19], Puebla: [19.04, -98.21], Tehuacán: [18.46, -97.39], Atlixco: [18.91, -98.44], Tijuana: [32.51, -117.04],
  Mexicali: [32.62, -115.45], Ensenada: [31.87, -116.6], 'Tuxtla Gutiérrez': [16.75, -93.12], Tapachula: [14.9, -92.26],
  'San Cristóbal de las Casas': [16.74, -92.64],
};

/** Kinds of partner a response network holds, with the needs their services meet. */
const KINDS: { key: string; names: Record<'en' | 'es' | 'fr', string>; needs: string[][]; allDay?: boolean }[] = [
  { key: 'shelter', names: { en: 'Safe House', es: 'Casa Refugio', fr: 'Maison d’hébergement' }, needs: [['shelter', 'emergency_shelter', 'safety_planning'], ['case_management', 'food_clothing']], allDay: true },
  { key: 'legal', names: { en: 'Legal Aid Clinic', es: 'Clínica Jurídica', fr: 'Clinique juridique' }, needs: [['legal', 'immigration'], ['documentation']] },
  { key: 'health', names: { en: 'Community Health Centre', es: 'Centro Comunitario de Salud', fr: 'Centre de santé communautaire' }, needs: [['medical', 'mental_health'], ['substance_use']] },
  { key: 'labour', names: { en: 'Workers’ Rights Centre', es: 'Centro de Derechos Laborales', fr: 'Centre des droits des travailleurs' }, needs: [['labour_rights', 'employment'], ['interpretation']] },
  { key: 'youth', names: { en: 'Youth Protection Service', es: 'Servicio de Protección a la Infancia', fr: 'Service de protection de la jeunesse' }, needs: [['child_protection', 'shelter'], ['education']], allDay: true },
  { key: 'migrant', names: { en: 'Newcomer Support Network', es: 'Red de Apoyo a Personas Migrantes', fr: 'Réseau d’accueil des nouveaux arrivants' }, needs: [['immigration', 'interpretation', 'repatriation'], ['family_reunification', 'financial_assistance']] },
  { key: 'police', names: { en: 'Human Trafficking Police Unit', es: 'Unidad Policial contra la Trata', fr: 'Unité policière contre la traite' }, needs: [['law_enforcement']], allDay: true },
];

const LANGUAGES: [string, string][] = [['en', 'English'], ['fr', 'French'], ['es', 'Spanish'], ['ti', 'Tigrinya'], ['tl', 'Tagalog'], ['uk', 'Ukrainian'], ['zh', 'Chinese'], ['ar', 'Arabic'], ['pt', 'Portuguese']];
const NEED_IDS = new Map(DEFAULT_NEEDS.map((n) => [n.key, n.id]));

/** A deterministic UUID-shaped id from the seed's own counter (HSDS ids are UUIDs). */
function idFactory(random: Random) {
  const prefix = Array.from({ length: 8 }, () => random.int(0, 15).toString(16)).join('');
  let n = 0;
  return () => `${prefix}-5eed-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
}

/**
 * A synthetic response network for a demo hotline, imported through the same HSDS door as real directories: partners in
 * each admin area (shelters, legal aid, health, labour rights, youth protection, newcomer support, a police unit),
 * their services with needs, languages, hours, phones and coverage, most of them vetted. Every name says "(synthetic)".
 */
export async function seedDirectory(ctx: AppContext, hotline: { id: string; country: string; timezone: string }, random: Random): Promise<{ organizations: number; services: number }> {
  const country = COUNTRIES[hotline.country];
  if (!country) return { organizations: 0, services: 0 };
  const nextId = idFactory(random);
  const culture = country.cultures[0];
  const organizations: Record<string, unknown>[] = [];
  const profiles: { id: string; vetted: boolean; kind: string }[] = [];
  let services = 0;
  for (const area of country.areas) {
    for (const kind of KINDS) {
      if (kind.key === 'police' && area !== country.areas[0] && random.float() < 0.5) continue;
      const city = area.cities[random.int(0, area.cities.length - 1)];
      const [lat, lon] = CITY_CENTRES[city] ?? [0, 0];
      const orgId = nextId();
      const locationId = nextId();
      const name = `${kind.names[culture]} ${city} (synthetic)`;
      const spoken = new Set<string>([culture, ...country.cultures.filter(() => random.float() < 0.5)]);
      while (random.float() < 0.4) spoken.add(LANGUAGES[random.int(0, LANGUAGES.length - 1)][0]);
      const orgServices = kind.needs.map((needs, index) => {
        services++;
        const serviceId = nextId();
        return {
          id: serviceId,
          name: index === 0 ? name : `${name} — ${needs.map((n) => DEFAULT_NEEDS.find((d) => d.key === n)!.labels[culture]).join(', ')}`,
          status: 'active',
          description: `Synthetic demo service of ${name}.`,
          phones: [{ id: nextId(), number: country.phone((k) => Array.from({ length: k }, () => random.int(0, 9)).join('')) }],
          languages: [...spoken].map((code) => ({ id: nextId(), code, name: LANGUAGES.find(([c]) => c === code)?.[1] ?? code })),
          service_areas: [{ id: nextId(), name: area.code, extent: area.code, extent_type: 'text' }],
          schedules: [
            kind.allDay
              ? { id: nextId(), freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '23:59' }
              : { id: nextId(), freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: random.float() < 0.3 ? '20:00' : '17:00' },
          ],
          attributes: needs.filter((n) => NEED_IDS.has(n)).map((n) => ({ id: nextId(), taxonomy_term_id: NEED_IDS.get(n)!, link_type: 'need' })),
          service_at_locations: [{ id: nextId(), location_id: locationId }],
        };
      });
      organizations.push({
        id: orgId,
        name,
        description: `Synthetic partner organisation for the demo (${kind.key}).`,
        locations: [{ id: locationId, location_type: 'physical', name: `${name} — ${city}`, latitude: lat + (random.float() - 0.5) * 0.05, longitude: lon + (random.float() - 0.5) * 0.05 }],
        services: orgServices,
      });
      profiles.push({ id: orgId, vetted: random.float() < 0.85, kind: kind.key });
    }
  }
  const actor = { id: null, label: 'seed' };
  const report = await importDirectory(ctx.db, hotline.id, collectJson({ organizations }), actor);
  if (report.rejected.length > 0) throw new Error(`the synthetic directory was refused: ${JSON.stringify(report.rejected.slice(0, 3))}`);
  const today = new Date();
  for (const profile of profiles) {
    const review = new Date(today.getTime() + random.int(-30, 330) * 86_400_000).toISOString().slice(0, 10);
    const accepts = Object.fromEntries(ACCEPTS_FLAGS.map((flag) => [flag, flag === 'minors' ? profile.kind === 'youth' || random.float() < 0.3 : random.float() < 0.7]));
    const saved = await setPartnerProfile(ctx.db, hotline.id, profile.id, {
      vettingStatus: profile.vetted ? 'vetted' : 'prospective',
      vettingEvidence: profile.vetted ? 'Site visit and references checked (synthetic).' : null,
      reviewDueOn: review,
      accepts,
      timeZone: hotline.timezone,
    }, actor);
    if (!saved.ok) throw new Error(`the synthetic partner profile was refused: ${saved.error.message}`);
  }
  // The first police unit is the reporting rules' law-enforcement agency, so a report sent in the demo reaches it as a
  // referral. Skipped if this hotline's rules have no such agency.
  const police = profiles.find((p) => p.vetted && p.kind === 'police')?.id;
  if (police) await setPartnerProfile(ctx.db, hotline.id, police, { reportingAgencyId: 'police_partner' }, actor);
  const shelter = profiles.find((p) => p.vetted && p.kind === 'shelter')?.id;
  if (await linkDemoPartnerLogin(ctx, hotline.id, shelter)) await seedDemoReferrals(ctx, hotline.id, shelter!, random);
  return { organizations: organizations.length, services };
}

/**
 * The demo's partner login belongs to an account organisation of kind `partner`: link it to the first vetted shelter
 * of the synthetic network (and name it after it), so the demo partner sees the referrals sent to that shelter.
 */
async function linkDemoPartnerLogin(ctx: AppContext, hotlineId: string, shelterId: string | undefined): Promise<boolean> {
  if (!shelterId) return false;
  const login = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['o.id'])
    .where('u.hotline_id', '=', hotlineId)
    .where(sql<boolean>`'partner' = any(u.roles)`)
    .where('o.hsds_organization_id', 'is', null)
    .orderBy('u.email')
    .executeTakeFirst();
  if (!login) return false;
  await ctx.db.transaction().execute(async (tx) => {
    const shelter = await tx.selectFrom('hsds_organization').select('name').where('hotline_id', '=', hotlineId).where('id', '=', shelterId).executeTakeFirstOrThrow();
    await tx.updateTable('organisation').set({ hsds_organization_id: shelterId, name: shelter.name }).where('hotline_id', '=', hotlineId).where('id', '=', login.id).execute();
    await appendAudit(tx, { hotlineId, actorId: null, actorLabel: 'seed', action: 'directory.partner.link_account', recordType: 'hsds_organization', recordId: shelterId, details: { organisationId: login.id, created: false, locale: null } });
  });
  return true;
}

/**
 * A few referrals of seeded cases to the demo partner's shelter, made through the staff services by the case's
 * assignee (consent recorded on its contact, only a note shared), so the demo partner has referrals to answer.
 */
async function seedDemoReferrals(ctx: AppContext, hotlineId: string, shelterId: string, random: Random) {
  const service = await ctx.db.selectFrom('hsds_service').select('id').where('hotline_id', '=', hotlineId).where('organization_id', '=', shelterId).orderBy('name').executeTakeFirst();
  const cases = await ctx.db
    .selectFrom('hotline_case as k')
    .innerJoin('case_contact as cc', 'cc.case_id', 'k.id')
    .innerJoin('app_user as u', 'u.id', 'k.assignee_id')
    .select(['k.id', 'cc.contact_id', 'u.id as user_id', 'u.roles', 'u.organisation_id'])
    .where('k.hotline_id', '=', hotlineId)
    .orderBy('k.number', 'desc')
    .limit(3)
    .execute();
  if (!service || cases.length === 0) return;
  const { rules } = await getRuleSet(ctx.db, hotlineId);
  for (const [index, c] of cases.entries()) {
    const actor = { id: c.user_id, hotlineId, roles: c.roles as Role[], organisationId: c.organisation_id };
    const who: ActorContext = { actor, can: compilePermissions(rules, actor), label: 'seed', ip: null };
    const consent = await recordConsent(ctx, who, c.contact_id, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal' });
    if (!consent.ok) continue;
    const sent = await createReferrals(ctx, who, c.id, {
      serviceIds: [service.id], needs: ['shelter'], consentId: consent.value.id, fields: ['message'],
      message: random.pick(['Needs a safe place tonight; prefers a call in the afternoon (synthetic).', 'Will call the shelter with the advocate on the line (synthetic).', 'Asked for a women-only shelter if possible (synthetic).']),
      acknowledgeWithinHours: 24 + index * 24, outcomeWithinDays: 14, linkValidDays: 7,
    });
    if (!sent.ok) ctx.log.warn({ code: sent.error.code }, 'a demo referral was not made');
  }
}
