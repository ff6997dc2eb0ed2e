import { sql } from 'kysely';
import type { Role } from '../../shared/roles.js';
import type { AppContext } from '../context.js';
import { getRuleSet } from '../permissions/repo.js';
import { compilePermissions } from '../permissions/engine.js';
import type { ActorContext } from '../queue/queue.service.js';
import { addNote, addPerson, createCase, updateCase } from '../cases/cases.service.js';
import { recordAssessment } from '../assessment/assessment.service.js';
import { syntheticPerson } from './people.js';
import type { Random } from './random.js';
import type { Culture } from './locales.js';

/**
 * Situations for the demo: invented answer sets for the default instrument (item ids from
 * src/server/assessment/default-instrument), each with the case title, types and Polaris type an advocate would record.
 * Every person and situation is synthetic.
 */
const SITUATIONS: {
  title: Record<Culture, string>;
  types: ('sex' | 'labour')[];
  typology: string | null;
  age: number;
  answers: Record<string, string>;
  note: Record<Culture, string>;
}[] = [
  {
    title: { en: 'Farm crew, passports held, recruitment debt', es: 'Cuadrilla agrícola, pasaportes retenidos, deuda de reclutamiento', fr: 'Équipe agricole, passeports retenus, dette de recrutement' },
    types: ['labour'], typology: '11', age: 34,
    answers: { ctx_nationality: 'foreign_national', ctx_setting: 'agriculture', act_recruited: 'yes', act_transported: 'yes', pur_labour: 'yes', ilo_documents_held: 'yes', ilo_debt: 'yes', ilo_debt_growing: 'yes', ilo_threat_of_deportation: 'yes', cond_living_conditions: 'yes' },
    note: { en: 'Caller fears retaliation; wants legal advice before any report.', es: 'La persona teme represalias; quiere asesoría legal antes de denunciar.', fr: 'La personne craint des représailles ; veut un avis juridique avant tout signalement.' },
  },
  {
    title: { en: 'Live-in domestic worker, unpaid, phone taken', es: 'Trabajadora doméstica interna sin salario, teléfono retenido', fr: 'Travailleuse domestique logée, non payée, téléphone confisqué' },
    types: ['labour'], typology: '5', age: 41,
    answers: { ctx_nationality: 'foreign_national', ctx_setting: 'domestic_work', act_housed_by_controller: 'yes', pur_labour: 'yes', ilo_documents_held: 'yes', ilo_isolated: 'yes', ilo_phone_controlled: 'yes', cond_excessive_hours: 'yes', ilo_wages_withheld: 'yes' },
    note: { en: 'Safe to call back on weekday mornings only.', es: 'Solo es seguro devolver la llamada entre semana por la mañana.', fr: 'Rappel possible seulement en semaine le matin.' },
  },
  {
    title: { en: 'Adult advertised online, earnings taken, nightly quota', es: 'Adulta anunciada en línea, le quitan sus ganancias, cuota nocturna', fr: 'Adulte annoncée en ligne, gains confisqués, quota chaque nuit' },
    types: ['sex'], typology: '1', age: 24,
    answers: { ctx_nationality: 'national', ctx_setting: 'escort_or_online_ads', pur_commercial_sex: 'yes', act_third_party_arranges: 'yes', act_advertised: 'yes', ilo_wages_withheld: 'yes', means_quota: 'yes', ilo_threats: 'yes', sign_branding: 'yes', pur_labour: 'no' },
    note: { en: 'Asked about shelter options outside the city.', es: 'Preguntó por albergues fuera de la ciudad.', fr: 'A demandé des options d’hébergement hors de la ville.' },
  },
  {
    title: { en: 'Restaurant kitchen, wages withheld', es: 'Cocina de restaurante, salarios retenidos', fr: 'Cuisine de restaurant, salaires retenus' },
    types: ['labour'], typology: '9', age: 29,
    answers: { ctx_setting: 'restaurant', pur_labour: 'yes', ilo_wages_withheld: 'yes', ilo_threats: 'no' },
    note: { en: 'Referred to labour rights clinic; no force or threats reported so far.', es: 'Derivado a clínica de derechos laborales; sin amenazas por ahora.', fr: 'Orienté vers une clinique en droit du travail ; pas de menaces signalées.' },
  },
  {
    title: { en: 'Factory overtime and false promises', es: 'Fábrica: horas extra y promesas falsas', fr: 'Usine : heures supplémentaires et fausses promesses' },
    types: ['labour'], typology: '13', age: 38,
    answers: { ctx_setting: 'factory', pur_labour: 'yes', ilo_deceived_about_work: 'yes', cond_excessive_hours: 'yes', cond_living_conditions: 'yes' },
    note: { en: 'Several co-workers in the same dormitory.', es: 'Varios compañeros en el mismo dormitorio.', fr: 'Plusieurs collègues dans le même dortoir.' },
  },
  {
    title: { en: 'Teenager picked up each night by older men', es: 'Adolescente recogida cada noche por hombres mayores', fr: 'Adolescente emmenée chaque soir par des hommes plus âgés' },
    types: ['sex'], typology: '4', age: 16,
    answers: { pur_commercial_sex: 'yes', min_adult_benefits: 'yes', act_third_party_arranges: 'yes' },
    note: { en: 'Minor: child protection informed per protocol.', es: 'Menor: se informó a protección infantil según el protocolo.', fr: 'Mineure : protection de l’enfance informée selon le protocole.' },
  },
  {
    title: { en: 'Information request about visas and work abroad', es: 'Consulta sobre visas y trabajo en el extranjero', fr: 'Demande d’information sur les visas et le travail à l’étranger' },
    types: [], typology: null, age: 27,
    answers: {},
    note: { en: 'General information given; no indicators.', es: 'Se dio información general; sin indicadores.', fr: 'Information générale donnée ; aucun indicateur.' },
  },
];

const AGE_RANGE = (age: number) => (age < 12 ? 'under_12' : age < 18 ? '12_17' : age < 25 ? '18_24' : age < 35 ? '25_34' : age < 50 ? '35_49' : '50_plus') as 'under_12' | '12_17' | '18_24' | '25_34' | '35_49' | '50_plus';

/**
 * Cases for the demo hotline, made through the same services staff use (so they are encrypted, indexed for search and
 * audited): about one in six documented crisis, tip, referral and high-risk contacts opens a case with a potential
 * victim (some with a suspected trafficker), an assessment and a note; older cases are closed. Times are then moved
 * back to the contact's, as if the work had happened then, and the protocol tasks of past contacts are marked done.
 */
export async function seedCases(ctx: AppContext, hotline: { id: string; country: string }, random: Random, onProgress?: () => void) {
  const { rules } = await getRuleSet(ctx.db, hotline.id);
  const staff = await ctx.db.selectFrom('app_user').select(['id', 'roles', 'organisation_id', 'display_name']).where('hotline_id', '=', hotline.id).execute();
  const whoFor = (userId: string): ActorContext => {
    const user = staff.find((s) => s.id === userId)!;
    const actor = { id: user.id, hotlineId: hotline.id, roles: user.roles as Role[], organisationId: user.organisation_id };
    return { actor, can: compilePermissions(rules, actor), label: 'seed', ip: null };
  };
  const contacts = await ctx.db
    .selectFrom('contact')
    .select(['id', 'received_at', 'ended_at', 'handled_by', 'language'])
    .where('hotline_id', '=', hotline.id)
    .where('status', '=', 'closed')
    .where('request_type', 'in', ['crisis', 'tip', 'referral_request', 'high_risk'])
    .where('handled_by', 'is not', null)
    .orderBy('received_at')
    .execute();
  let made = 0;
  for (const contact of contacts) {
    if (!random.chance(1 / 6)) continue;
    const who = whoFor(contact.handled_by!);
    const situation = random.pick(SITUATIONS);
    const culture = (['en', 'es', 'fr'] as const).includes(contact.language as Culture) ? (contact.language as Culture) : 'en';
    const victim = syntheticPerson(random, hotline.country, culture);
    const at = contact.ended_at ?? contact.received_at;

    const assessed = await recordAssessment(ctx, who, contact.id, { answers: situation.answers, person: { age: situation.age }, form: 'full' } as never, at);
    if (!assessed.ok) throw new Error(`demo assessment failed: ${assessed.error.message}`);
    const created = await createCase(ctx, who, { title: situation.title[culture], traffickingTypes: situation.types, typologyCode: situation.typology, sensitivity: random.chance(0.05) ? 'restricted' : 'normal', fromContactId: contact.id });
    if (!created.ok) throw new Error(`demo case failed: ${created.error.message}`);
    const caseId = created.value.id;
    const added = await addPerson(ctx, who, caseId, {
      role: 'potential_victim', gender: victim.sex, ageRange: AGE_RANGE(situation.age), nationality: situation.answers.ctx_nationality === 'foreign_national' ? random.pick(['MX', 'GT', 'PH', 'UA', 'NG']) : hotline.country,
      details: { givenNames: victim.givenName, familyNames: victim.familyName, aliases: [], phones: random.chance(0.7) ? [victim.phone] : [], emails: random.chance(0.3) ? [victim.email] : [], socialHandles: [], languages: [culture] },
    });
    if (!added.ok) throw new Error(`demo person failed: ${added.error.message}`);
    if (situation.types.length > 0 && random.chance(0.4)) {
      const suspect = syntheticPerson(random, hotline.country);
      await addPerson(ctx, who, caseId, { role: 'suspected_trafficker', gender: suspect.sex, ageRange: 'unknown', details: { givenNames: suspect.givenName, familyNames: suspect.familyName, aliases: [], phones: [suspect.phone], emails: [], socialHandles: [], languages: [] } });
    }
    await addNote(ctx, who, caseId, situation.note[culture]);
    const ageDays = (Date.now() - at.getTime()) / 86_400_000;
    if (ageDays > 21 && random.chance(0.7)) await updateCase(ctx, who, caseId, { version: 1, status: random.chance(0.5) ? 'closed_referred' : 'closed' });
    else if (random.chance(0.5)) await updateCase(ctx, who, caseId, { version: 1, status: 'active' });

    // History: the case was opened when the contact ended, its events followed within hours.
    await sql`update hotline_case set opened_at = ${at}, created_at = ${at}, updated_at = ${at},
                closed_at = case when status in ('closed', 'closed_referred') then ${new Date(at.getTime() + random.int(3, 20) * 86_400_000)}::timestamptz end
              where id = ${caseId}`.execute(ctx.db);
    await sql`update case_event set at = ${at}::timestamptz + (o.n * interval '7 minutes')
              from (select id as eid, row_number() over (order by at, id) as n from case_event where case_id = ${caseId}) o
              where case_event.id = o.eid`.execute(ctx.db);
    await sql`update case_contact set linked_at = ${at} where case_id = ${caseId}`.execute(ctx.db);
    await sql`update case_person set added_at = ${at} where case_id = ${caseId}`.execute(ctx.db);
    made++;
    onProgress?.();
  }
  // Protocol tasks of contacts older than three days were worked then; newer ones stay open for the console.
  await sql`update task set status = 'done', completed_at = due_at - interval '1 hour', completed_by = owner_id
            where hotline_id = ${hotline.id} and status = 'open' and due_at < now() - interval '3 days'`.execute(ctx.db);
  await sql`update task set due_at = now() + interval '1 day' where hotline_id = ${hotline.id} and status = 'open' and due_at < now()`.execute(ctx.db);
  return made;
}
