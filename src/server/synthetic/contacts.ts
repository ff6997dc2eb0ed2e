import { sql } from 'kysely';
import { REQUEST_TYPES, SIGNALER_TYPES, HEARD_ABOUT, type Channel } from '../../shared/intake.js';
import type { AppContext } from '../context.js';
import { recordInboundSignal } from '../intake/intake.service.js';
import { createAccessPoint } from '../channels/access-points.js';
import { syntheticPerson } from './people.js';
import type { Random } from './random.js';
import type { Culture } from './locales.js';

// Short synthetic messages in the three languages, in the style people write to hotlines. Invented, not real tips.
const MESSAGES: Record<Culture, string[]> = {
  en: [
    'My cousin works at a restaurant and they took her passport. She says she owes them money for the trip.',
    'I think the girls at the nail salon on my street live upstairs and never leave alone.',
    'A man offered me a job abroad but now he says I must pay back 5000 before I can go home.',
    'Is this the number for help? I am not safe to talk long.',
    'Our farm crew is paid nothing for three months and the boss keeps our IDs.',
    'Looking for information about shelters for a friend.',
  ],
  es: [
    'Mi hermana trabaja en una casa y no le pagan, no la dejan salir ni llamar.',
    'Me prometieron trabajo de mesera pero me obligan a otras cosas. Ayuda por favor.',
    'En el campo nos quitaron los documentos y dicen que debemos el viaje.',
    'Hay menores trabajando de noche en un bar cerca de la central de autobuses.',
    'Necesito información sobre un albergue para mí y mis hijos.',
    '¿Puedo hablar en español? No es seguro llamar ahora.',
  ],
  fr: [
    'Mon amie travaille dans un salon de massage et elle ne peut pas partir, ils gardent son passeport.',
    'On nous fait travailler 16 heures par jour à l’entrepôt et on ne nous paie pas.',
    'Une adolescente de mon quartier est emmenée chaque soir par des hommes en voiture.',
    'Je cherche de l’aide juridique pour une personne victime d’exploitation.',
    'Est-ce que je peux écrire ici en français ? J’ai peur.',
  ],
};

const CHANNEL_WEIGHTS: [Channel, number][] = [['phone', 0.55], ['sms', 0.15], ['chat', 0.1], ['webform', 0.1], ['email', 0.07], ['whatsapp', 0.03]];

function pickWeighted<T>(random: Random, weighted: [T, number][]): T {
  let r = random.float();
  for (const [value, weight] of weighted) if ((r -= weight) < 0) return value;
  return weighted[weighted.length - 1][0];
}

/** The demo hotline's access points, so every channel can be tried from the first start. */
export async function seedAccessPoints(ctx: AppContext, hotlineId: string, slug: string, random: Random) {
  const number = `+1555${random.digits(7)}`;
  await createAccessPoint(ctx.db, ctx, hotlineId, { channel: 'sms', name: 'SMS line', address: number, settings: { languages: ['en', 'fr', 'es'] }, secret: `demo-${random.digits(16)}` });
  await createAccessPoint(ctx.db, ctx, hotlineId, { channel: 'phone', name: 'National number', address: number, settings: { languages: ['en', 'fr', 'es'], greetings: { en: 'You have reached the national hotline. You are not alone.', es: 'Se ha comunicado con la línea nacional. No está solo.', fr: 'Vous avez joint la ligne nationale. Vous n’êtes pas seul.' } } });
  await createAccessPoint(ctx.db, ctx, hotlineId, { channel: 'webform', name: 'Web tip form', address: slug, settings: {} });
  await createAccessPoint(ctx.db, ctx, hotlineId, { channel: 'chat', name: 'Web chat', address: slug, settings: { allowedOrigins: ['http://localhost:8080'] } });
  await createAccessPoint(ctx.db, ctx, hotlineId, { channel: 'email', name: 'Tips by email', address: `tips@${slug}.example.org`, settings: {} });
}

/**
 * Synthetic contacts over the last 60 days through the one intake door, then documented and closed as advocates
 * would; the newest few are left waiting so the queue is not empty.
 */
export async function seedContacts(ctx: AppContext, hotline: { id: string; country: string }, count: number, random: Random, onProgress?: () => void) {
  const advocates = await ctx.db.selectFrom('app_user').select('id').where('hotline_id', '=', hotline.id).where(sql<boolean>`'advocate' = any(roles)`).execute();
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const person = syntheticPerson(random, hotline.country);
    const channel = pickWeighted(random, CHANNEL_WEIGHTS);
    const isWaiting = i >= count - Math.min(6, Math.ceil(count / 50));
    const receivedAt = new Date(isWaiting ? now - random.int(10, 900) * 1000 : now - random.int(3600, 60 * 86400) * 1000);
    const correspondent = channel === 'email' ? { kind: 'email' as const, value: person.email } : channel === 'webform' || channel === 'chat' ? null : { kind: 'phone' as const, value: person.phone };
    const recorded = await recordInboundSignal(ctx, {
      hotlineId: hotline.id, channel, correspondent, threadKey: correspondent ? null : `demo-${i}`, body: channel === 'phone' ? null : random.pick(MESSAGES[person.culture]),
      receivedAt, language: person.culture, source: 'seed',
    });
    if (!isWaiting) {
      const requestType = random.chance(0.25) ? random.pick(['hang_up', 'silent', 'wrong_number', 'test'] as const) : random.pick(REQUEST_TYPES.slice(0, 6));
      const answeredAt = new Date(receivedAt.getTime() + random.int(5, 240) * 1000);
      const handledBy = advocates.length ? random.pick(advocates).id : null;
      await ctx.db
        .updateTable('contact')
        .set({
          status: 'closed', request_type: requestType, signaler_type: random.pick(SIGNALER_TYPES), heard_about: random.pick(HEARD_ABOUT),
          area_code: random.chance(0.9) ? person.areaCode : null, answered_at: answeredAt, ended_at: new Date(answeredAt.getTime() + random.int(60, 2400) * 1000),
          handled_by: handledBy, assigned_to: handledBy, flags: JSON.stringify(random.chance(0.08) ? { minor: true } : {}),
        })
        .where('id', '=', recorded.contactId)
        .execute();
    }
    onProgress?.();
  }
}
