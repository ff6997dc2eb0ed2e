import './schema.js';
import '../directory/directory.tables.js';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import { relayOf } from '../channels/email/email.outbound.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import type { ActorContext } from '../queue/queue.service.js';

type Locale = 'en' | 'es' | 'fr';
const LOCALES: readonly Locale[] = ['en', 'es', 'fr'];

/**
 * Links a directory organization (HSDS) to the account `organisation` its staff accounts belong to, so users with the
 * `partner` role see the referrals sent to it. Given an organisation id, that one is linked (it must be unlinked or
 * already linked here); otherwise the linked one is returned, or a new one named after the directory organization is
 * made. Optionally sets the partner's language for referral emails. Audited.
 */
export async function linkAccountOrganisation(ctx: AppContext, who: ActorContext, hsdsOrganizationId: string, input: { organisationId?: string; locale?: Locale }): Promise<Result<{ organisationId: string; created: boolean; locale: Locale | null }>> {
  return ctx.db.transaction().execute((tx) => linkInTransaction(tx, who, hsdsOrganizationId, input));
}

async function linkInTransaction(tx: DbOrTx, who: ActorContext, hsdsOrganizationId: string, input: { organisationId?: string; locale?: Locale }): Promise<Result<{ organisationId: string; created: boolean; locale: Locale | null }>> {
  const { hotlineId } = who.actor;
  const directory = await tx
    .selectFrom('hsds_organization as h')
    .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 'h.hotline_id').onRef('p.organization_id', '=', 'h.id'))
    .select(['h.name', 'p.locale'])
    .where('h.hotline_id', '=', hotlineId)
    .where('h.id', '=', hsdsOrganizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!directory) return fail('not_found', 'No such organization in this directory');
  const linked = await tx.selectFrom('organisation').select('id').where('hotline_id', '=', hotlineId).where('hsds_organization_id', '=', hsdsOrganizationId).executeTakeFirst();
  let organisationId = linked?.id ?? null;
  let created = false;
  if (input.organisationId && input.organisationId !== organisationId) {
    if (linked) return fail('conflict', 'This directory organization is already linked to another account organisation');
    const target = await tx.selectFrom('organisation').select(['id', 'hsds_organization_id']).where('hotline_id', '=', hotlineId).where('id', '=', input.organisationId).forUpdate().executeTakeFirst();
    if (!target) return fail('validation_failed', 'organisationId: no such organisation in this hotline');
    if (target.hsds_organization_id) return fail('conflict', 'That organisation is already linked to another directory organization');
    await tx.updateTable('organisation').set({ hsds_organization_id: hsdsOrganizationId }).where('hotline_id', '=', hotlineId).where('id', '=', target.id).execute();
    organisationId = target.id;
  } else if (!organisationId) {
    organisationId = (await tx.insertInto('organisation').values({ hotline_id: hotlineId, name: directory.name ?? 'Partner', kind: 'partner', hsds_organization_id: hsdsOrganizationId }).returning('id').executeTakeFirstOrThrow()).id;
    created = true;
  }
  if (input.locale) await tx.updateTable('directory_partner').set({ locale: input.locale }).where('hotline_id', '=', hotlineId).where('organization_id', '=', hsdsOrganizationId).execute();
  await appendAudit(tx, {
    hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'directory.partner.link_account', recordType: 'hsds_organization', recordId: hsdsOrganizationId, ip: who.ip,
    details: { organisationId, created, locale: input.locale ?? null },
  });
  return ok({ organisationId, created, locale: input.locale ?? directory.locale ?? null });
}

/**
 * An admin picks the directory organization a partner-role user works for: the user joins the account organisation
 * linked to it (made and linked if there is none yet). Audited (`user.partner_organization`, with the previous
 * organisation), in one transaction with the link; the user's cached sessions are dropped so the change applies now.
 */
export async function setPartnerOrganization(ctx: AppContext, who: ActorContext, userId: string, hsdsOrganizationId: string): Promise<Result<{ userId: string; organisationId: string; hsdsOrganizationId: string; created: boolean }>> {
  const { hotlineId } = who.actor;
  const result = await ctx.db.transaction().execute(async (tx): Promise<Result<{ userId: string; organisationId: string; hsdsOrganizationId: string; created: boolean }>> => {
    const user = await tx.selectFrom('app_user').select(['id', 'roles', 'organisation_id']).where('hotline_id', '=', hotlineId).where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) return fail('not_found', 'No such user');
    if (!(user.roles as string[]).includes('partner')) return fail('validation_failed', 'userId: only a partner-role user works for a directory organization');
    const link = await linkInTransaction(tx, who, hsdsOrganizationId, {});
    if (!link.ok) return link;
    await tx.updateTable('app_user').set({ organisation_id: link.value.organisationId }).where('hotline_id', '=', hotlineId).where('id', '=', userId).execute();
    await appendAudit(tx, {
      hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'user.partner_organization', recordType: 'app_user', recordId: userId, ip: who.ip,
      details: { hsdsOrganizationId, organisationId: link.value.organisationId, previousOrganisationId: user.organisation_id, createdOrganisation: link.value.created },
    });
    return ok({ userId, organisationId: link.value.organisationId, hsdsOrganizationId, created: link.value.created });
  });
  if (result.ok) ctx.sessions.evictUser(userId);
  return result;
}

/** For the admin screen: directory organizations with their linked account organisation, and partner-role users with theirs. */
export async function listPartnerAccounts(ctx: AppContext, hotlineId: string) {
  const [organizations, users] = await Promise.all([
    ctx.db
      .selectFrom('hsds_organization as h')
      .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 'h.hotline_id').onRef('p.organization_id', '=', 'h.id'))
      .leftJoin('organisation as o', (j) => j.onRef('o.hotline_id', '=', 'h.hotline_id').onRef('o.hsds_organization_id', '=', 'h.id'))
      .select(['h.id', 'h.name', 'p.vetting_status', 'p.locale', 'o.id as organisation_id'])
      .where('h.hotline_id', '=', hotlineId)
      .orderBy('h.name')
      .execute(),
    ctx.db
      .selectFrom('app_user as u')
      .leftJoin('organisation as o', (j) => j.onRef('o.hotline_id', '=', 'u.hotline_id').onRef('o.id', '=', 'u.organisation_id'))
      .select(['u.id', 'u.email', 'u.display_name', 'u.is_active', 'u.organisation_id', 'o.name as organisation_name', 'o.hsds_organization_id'])
      .where('u.hotline_id', '=', hotlineId)
      .where(sql<boolean>`'partner' = any(u.roles)`)
      .orderBy('u.display_name')
      .execute(),
  ]);
  return {
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, vettingStatus: o.vetting_status, locale: o.locale, organisationId: o.organisation_id, users: users.filter((u) => u.hsds_organization_id === o.id).length })),
    users: users.map((u) => ({ id: u.id, email: u.email, displayName: u.display_name, isActive: u.is_active, organisationId: u.organisation_id, organisationName: u.organisation_name, hsdsOrganizationId: u.hsds_organization_id })),
  };
}

// ---- the partner link by email ------------------------------------------------------------------------------------

const MESSAGES: Record<Locale, { subject: (h: string) => string; body: (v: { hotline: string; service: string; url: string; until: string }) => string; dateLocale: string }> = {
  en: {
    subject: (h) => `New referral from ${h}`,
    body: (v) => `${v.hotline} has referred a person to ${v.service}.\n\nOpen this link to see what the person agreed to share, and to accept or decline the referral:\n${v.url}\n\nThe link works until ${v.until}. Please do not forward this email: anyone with the link can open the referral.\nIf you did not expect it, contact the hotline.\n`,
    dateLocale: 'en-GB',
  },
  es: {
    subject: (h) => `Nueva derivación de ${h}`,
    body: (v) => `${v.hotline} ha derivado a una persona a ${v.service}.\n\nAbra este enlace para ver lo que la persona aceptó compartir y para aceptar o rechazar la derivación:\n${v.url}\n\nEl enlace funciona hasta el ${v.until}. Por favor, no reenvíe este correo: cualquier persona con el enlace puede abrir la derivación.\nSi no lo esperaba, comuníquese con la línea de ayuda.\n`,
    dateLocale: 'es-ES',
  },
  fr: {
    subject: (h) => `Nouvelle orientation de ${h}`,
    body: (v) => `${v.hotline} a orienté une personne vers ${v.service}.\n\nOuvrez ce lien pour voir ce que la personne a accepté de partager, et pour accepter ou refuser l’orientation :\n${v.url}\n\nLe lien fonctionne jusqu’au ${v.until}. Merci de ne pas transférer ce courriel : toute personne qui a le lien peut ouvrir l’orientation.\nSi vous ne l’attendiez pas, contactez la ligne d’écoute.\n`,
    dateLocale: 'fr-FR',
  },
};

/** The reminder a partner gets when its answer (or outcome) is due soon: no link (only its hash is kept), no person data. */
const REMINDERS: Record<Locale, { subject: (h: string) => string; body: (v: { hotline: string; service: string; sent: string; due: string; outcome: boolean; url: string }) => string }> = {
  en: {
    subject: (h) => `Reminder: a referral from ${h} is waiting for you`,
    body: (v) => `${v.hotline} referred a person to ${v.service} on ${v.sent}. ${v.outcome ? 'Please tell the hotline what happened' : 'Please accept or decline the referral'} by ${v.due}.\n\nOpen it with the link in the first email, or sign in at ${v.url} if your organisation has an account. If you no longer have the link, call the hotline: it can send a new one.\n`,
  },
  es: {
    subject: (h) => `Recordatorio: una derivación de ${h} le espera`,
    body: (v) => `${v.hotline} derivó a una persona a ${v.service} el ${v.sent}. ${v.outcome ? 'Indique a la línea qué ocurrió' : 'Acepte o rechace la derivación'} antes del ${v.due}.\n\nÁbrala con el enlace del primer correo, o inicie sesión en ${v.url} si su organización tiene una cuenta. Si ya no tiene el enlace, llame a la línea: puede enviarle uno nuevo.\n`,
  },
  fr: {
    subject: (h) => `Rappel : une orientation de ${h} vous attend`,
    body: (v) => `${v.hotline} a orienté une personne vers ${v.service} le ${v.sent}. ${v.outcome ? 'Merci d’indiquer à la ligne ce qui s’est passé' : 'Merci d’accepter ou de refuser l’orientation'} avant le ${v.due}.\n\nOuvrez-la avec le lien du premier courriel, ou connectez-vous sur ${v.url} si votre organisation a un compte. Si vous n’avez plus le lien, appelez la ligne : elle peut vous en envoyer un nouveau.\n`,
  },
};

/**
 * Reminds a partner by email that a referral waits for its answer or its outcome (the reminder job of jobs.ts; the
 * hotline's timeline shows the reminder either way). Best effort, one attempt: a failure is audited, not retried.
 */
export async function sendPartnerReminderEmail(ctx: AppContext, hotlineId: string, referral: { id: string; serviceId: string; organizationId: string; serviceName: string; sentAt: Date; dueAt: Date; outcome: boolean }): Promise<LinkSendAttempt> {
  return sendPartnerMail(ctx, hotlineId, referral, 'referral reminder email not sent', ({ hotline, base, locale }) => {
    const when = (d: Date) => d.toLocaleString(MESSAGES[locale].dateLocale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
    const m = REMINDERS[locale];
    return { subject: m.subject(hotline), text: m.body({ hotline, service: referral.serviceName, sent: when(referral.sentAt), due: when(referral.dueAt), outcome: referral.outcome, url: new URL('/partner-referrals', base).toString() }) };
  });
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Where and in which language a partner service gets its referral emails: the service's HSDS email, else its organization's. */
export async function partnerEmailTarget(ctx: AppContext, hotlineId: string, serviceId: string, organizationId: string): Promise<{ email: string | null; locale: Locale }> {
  const row = await ctx.db
    .selectFrom('hsds_service as s')
    .innerJoin('hsds_organization as o', (j) => j.onRef('o.hotline_id', '=', 's.hotline_id').onRef('o.id', '=', 's.organization_id'))
    .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 'o.hotline_id').onRef('p.organization_id', '=', 'o.id'))
    .innerJoin('hotline as k', 'k.id', 's.hotline_id')
    .select([sql<string | null>`s.data->>'email'`.as('service_email'), sql<string | null>`o.data->>'email'`.as('organization_email'), 'p.locale', 'k.default_locale'])
    .where('s.hotline_id', '=', hotlineId)
    .where('s.id', '=', serviceId)
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!row) return { email: null, locale: 'en' };
  const email = [row.service_email, row.organization_email].map((e) => e?.trim() ?? '').find((e) => EMAIL_RE.test(e)) ?? null;
  let locale: Locale | null = row.locale;
  if (!locale) {
    // No language set for the partner: the first of en/es/fr the service speaks, else the hotline's language.
    const spoken = await ctx.db.selectFrom('hsds_language').select('code').where('hotline_id', '=', hotlineId).where('service_id', '=', serviceId).execute();
    locale = spoken.map((l) => (l.code ?? '').slice(0, 2).toLowerCase() as Locale).find((c) => LOCALES.includes(c)) ?? null;
  }
  if (!locale) locale = LOCALES.includes(row.default_locale as Locale) ? (row.default_locale as Locale) : 'en';
  return { email, locale };
}

/** What the advocate is told about a partner-link email: sent, not sendable (and why), or failed (retried until `retryAt`; null when given up). */
export type LinkEmailResult =
  | { emailed: true; locale: Locale }
  | { emailed: false; reason: 'no_partner_email' | 'no_relay' | 'no_public_url' }
  | { emailed: false; reason: 'send_failed'; retryAt: string | null };

/** One attempt to send: sent, not sendable here (a setting is missing), or failed (permanent: the relay said 5xx). */
export type LinkSendAttempt =
  | { emailed: true; locale: Locale }
  | { emailed: false; reason: 'no_partner_email' | 'no_relay' | 'no_public_url' }
  | { emailed: false; reason: 'send_failed'; permanent: boolean; error: string };

/**
 * Sends a partner its link once (only the hotline name, the service name and the link: no personal data, which stays
 * behind the link), in the partner's language, through CATALYST_SMTP_RELAY_URL. Retries and the audit are the job's
 * (link-email.ts). The error kept is a code (`451`, `ECONNREFUSED`), never the address.
 */
export async function sendPartnerLinkEmail(ctx: AppContext, hotlineId: string, referral: { id: string; serviceId: string; organizationId: string; serviceName: string; link: string; linkExpiresAt: string }): Promise<LinkSendAttempt> {
  return sendPartnerMail(ctx, hotlineId, referral, 'referral link email not sent', ({ hotline, base, locale }) => {
    const m = MESSAGES[locale];
    const until = new Date(referral.linkExpiresAt).toLocaleString(m.dateLocale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
    return { subject: m.subject(hotline), text: m.body({ hotline, service: referral.serviceName, url: new URL(referral.link, base).toString(), until }) };
  });
}

/**
 * The one way a partner gets mail (the link, a reminder): its address and language (partnerEmailTarget), the relay
 * (TLS required off this machine), one attempt. A missing setting is a reason, not an error; the error kept is a
 * code (`451`, `ECONNREFUSED`), never the address.
 */
async function sendPartnerMail(
  ctx: AppContext,
  hotlineId: string,
  referral: { id: string; serviceId: string; organizationId: string },
  failureLog: string,
  compose: (v: { hotline: string; base: URL; locale: Locale }) => { subject: string; text: string },
): Promise<LinkSendAttempt> {
  const target = await partnerEmailTarget(ctx, hotlineId, referral.serviceId, referral.organizationId);
  if (!target.email) return { emailed: false, reason: 'no_partner_email' };
  const relay = relayOf({}, null, ctx.config.smtpRelayUrl);
  if (!relay) return { emailed: false, reason: 'no_relay' };
  if (!ctx.config.publicUrl) return { emailed: false, reason: 'no_public_url' };
  const hotline = await ctx.db.selectFrom('hotline').select('name').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  const base = new URL(ctx.config.publicUrl);
  const transport = nodemailer.createTransport({
    host: relay.host, port: relay.port, secure: relay.secure,
    // The link opens personal data: TLS is required to any relay that is not on this machine.
    requireTLS: !relay.secure && !isLoopback(relay.host),
    auth: relay.user ? { user: relay.user, pass: relay.password ?? '' } : undefined,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000, logger: false, debug: false,
  });
  try {
    const { subject, text } = compose({ hotline: hotline.name, base, locale: target.locale });
    await transport.sendMail({
      from: `"${hotline.name.replace(/["\\\r\n]/g, '')}" <no-reply@${base.hostname}>`,
      to: target.email,
      subject,
      text,
      headers: { 'Content-Language': target.locale, 'Auto-Submitted': 'auto-generated' },
    });
    return { emailed: true, locale: target.locale };
  } catch (error) {
    const responseCode = (error as { responseCode?: number }).responseCode;
    const code = responseCode ?? (error as { code?: string }).code ?? 'unknown';
    ctx.log.warn({ referralId: referral.id, code }, failureLog);
    // A 5xx answer is the relay's final word (no such mailbox, refused); timeouts, 4xx and dropped connections pass.
    return { emailed: false, reason: 'send_failed', permanent: typeof responseCode === 'number' && responseCode >= 500, error: String(code).slice(0, 40) };
  } finally {
    transport.close();
  }
}
