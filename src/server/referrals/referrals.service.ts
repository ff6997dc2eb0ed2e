import './schema.js';
import '../cases/schema.js';
import '../assessment/schema.js';
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { z } from 'zod';
import { FINAL_OUTCOMES, PERSON_FIELDS, type createReferralBody, type ReferralOutcome, type SendReportBody, type ShareableField } from '../../shared/api/referrals.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import { CASE_COLUMNS } from '../cases/cases.service.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { listNeeds } from '../directory/directory.service.js';
import { matchServices } from '../directory/match.js';
import type { ActorContext } from '../queue/queue.service.js';
import { attemptLinkEmail, queueLinkEmail } from './link-email.js';
import type { LinkEmailResult } from './partner-accounts.js';
import type { ReferralTable } from './schema.js';

/** What the audit log and the timeline call the holder of a partner link (no account, no name). */
export const PARTNER_LINK_LABEL = 'partner link';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();
const newToken = () => randomBytes(32).toString('base64url');
/** The partner page reads the token from the fragment, which browsers never send to a server or in a Referer. */
export const partnerLinkPath = (token: string) => `/partner/referral#${token}`;

type Row = Selectable<ReferralTable>;

export async function addCaseEvent(tx: DbOrTx, hotlineId: string, caseId: string, kind: string, data: Record<string, unknown>, actorId: string | null, at = new Date()) {
  await tx.insertInto('case_event').values({ hotline_id: hotlineId, case_id: caseId, kind, data: JSON.stringify(data), body: null, actor_id: actorId, at }).execute();
}

function casesFor(db: DbOrTx, who: ActorContext, action: 'case.read' | 'case.update') {
  return db.selectFrom('hotline_case as k').where('k.hotline_id', '=', who.actor.hotlineId).where(who.can.sqlFilter(action, CASE_COLUMNS) as Expression<SqlBool>);
}

/** A case the user may read (else not_found) and change (else forbidden). */
async function requireCaseUpdatable(ctx: AppContext, who: ActorContext, caseId: string): Promise<Result<{ number: number }>> {
  const visible = await casesFor(ctx.db, who, 'case.read').select(['k.id', 'k.number']).where('k.id', '=', caseId).executeTakeFirst();
  if (!visible) return fail('not_found', 'No such case');
  const allowed = await casesFor(ctx.db, who, 'case.update').select('k.id').where('k.id', '=', caseId).executeTakeFirst();
  return allowed ? ok({ number: Number(visible.number) }) : fail('forbidden', 'You may read this case but not change it');
}

/** A consent is usable for a referral when it covers this disclosure, this partner, and is neither withdrawn nor expired. */
export function consentCovers(consent: { disclosure: string; recipients: unknown; withdrawn_at: Date | null; expires_at: Date | null; given_at: Date }, organizationId: string, serviceId: string, now: Date) {
  if (consent.disclosure !== 'referral_to_services') return 'This consent is not for a referral to services';
  if (consent.withdrawn_at) return 'This consent was withdrawn';
  if (consent.expires_at && consent.expires_at.getTime() <= now.getTime()) return 'This consent has expired';
  if (consent.given_at.getTime() > now.getTime() + 60_000) return 'This consent is dated in the future';
  const recipients = consent.recipients;
  if (recipients === 'any_designated_agency') return null;
  if (Array.isArray(recipients) && (recipients.includes(organizationId) || recipients.includes(serviceId))) return null;
  return 'This consent does not name this partner';
}

async function consentOfCase(db: DbOrTx, hotlineId: string, caseId: string, consentId: string) {
  return db
    .selectFrom('consent as c')
    .innerJoin('case_contact as cc', (j) => j.onRef('cc.contact_id', '=', 'c.contact_id').on('cc.case_id', '=', caseId))
    .select(['c.id', 'c.disclosure', 'c.recipients', 'c.withdrawn_at', 'c.expires_at', 'c.given_at'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', consentId)
    .executeTakeFirst();
}

/** The values of the chosen fields only; nothing else of the case ever goes into a referral. */
async function sharedValues(ctx: AppContext, hotlineId: string, caseId: string, input: Pick<z.infer<typeof createReferralBody>, 'fields' | 'personId' | 'message'>): Promise<Result<Partial<Record<ShareableField, string | null>>>> {
  const fields = [...new Set(input.fields)];
  const values: Partial<Record<ShareableField, string | null>> = {};
  if (fields.some((f) => PERSON_FIELDS.includes(f))) {
    const person = await ctx.db
      .selectFrom('case_person as cp')
      .innerJoin('person as p', 'p.id', 'cp.person_id')
      .select(['p.details', 'p.gender', 'p.age_range', 'p.nationality'])
      .where('cp.case_id', '=', caseId)
      .where('cp.hotline_id', '=', hotlineId)
      .where('p.hotline_id', '=', hotlineId)
      .where('p.id', '=', input.personId!)
      .executeTakeFirst();
    if (!person) return fail('validation_failed', 'personId: no such person on this case');
    const details = JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', person.details)) as { givenNames?: string; familyNames?: string; phones?: string[]; emails?: string[]; languages?: string[] };
    const from: Record<string, string | null> = {
      given_names: details.givenNames ?? null,
      family_names: details.familyNames ?? null,
      phone: details.phones?.[0] ?? null,
      email: details.emails?.[0] ?? null,
      languages: details.languages?.length ? details.languages.join(', ') : null,
      age_range: person.age_range,
      gender: person.gender,
      nationality: person.nationality,
    };
    for (const f of fields) if (PERSON_FIELDS.includes(f)) values[f] = from[f] ?? null;
  }
  if (fields.includes('message')) values.message = input.message ?? null;
  return ok(values);
}

export interface CreatedReferral {
  id: string;
  serviceId: string;
  serviceName: string;
  organizationName: string;
  /** The partner link, shown once: only its hash is stored. */
  link: string;
  linkExpiresAt: string;
  /** Whether the link was emailed to the partner; if not, why (the advocate then gives it by hand). */
  email: LinkEmailResult;
}

/**
 * Refers a case to one or several partner services. Refused without a consent to `referral_to_services` recorded on
 * a contact of this case that covers each partner. Shares only the fields chosen, encrypted; each referral gets its
 * own random link (stored hashed, expiring), reminder and escalation jobs, a timeline entry and an audit row.
 */
export async function createReferrals(ctx: AppContext, who: ActorContext, caseId: string, input: z.infer<typeof createReferralBody>, now = new Date()): Promise<Result<{ referrals: CreatedReferral[] }>> {
  const { hotlineId } = who.actor;
  const gate = await requireCaseUpdatable(ctx, who, caseId);
  if (!gate.ok) return gate;

  const consent = await consentOfCase(ctx.db, hotlineId, caseId, input.consentId);
  if (!consent) return fail('forbidden', 'A referral needs a consent to referral to services recorded on a contact of this case', { reason: 'consent_required' });

  const known = new Set((await listNeeds(ctx.db, hotlineId)).filter((n) => n.isActive).map((n) => n.key));
  const unknown = input.needs.filter((n) => !known.has(n));
  if (unknown.length) return fail('validation_failed', `needs: unknown need(s) ${unknown.join(', ')}`);

  const matches = new Map((await matchServices(ctx.db, hotlineId, { needs: input.needs, areaCode: input.areaCode, language: input.language, at: now, limit: 100_000 })).map((m) => [m.serviceId, m]));
  const chosen = [...new Set(input.serviceIds)].map((id) => matches.get(id));
  const missing = input.serviceIds.filter((id) => !matches.has(id));
  if (missing.length) return fail('validation_failed', `serviceIds: ${missing.join(', ')} is not a vetted partner service matching these needs and area`);
  // A reporting agency (police, child protection, labour inspection) is reached only by a report, under the
  // jurisdiction's rules: never by a referral that a consent to services would allow.
  const agencies = await reportingAgencyOrganizations(ctx.db, hotlineId, chosen.map((m) => m!.organizationId));
  const toAgency = chosen.find((m) => agencies.has(m!.organizationId));
  if (toAgency) return fail('forbidden', `${toAgency.organizationName} is a reporting agency: request a report to it from the contact; the jurisdiction's reporting rules decide`, { reason: 'report_required' });
  for (const match of chosen) {
    const refusal = consentCovers(consent as any, match!.organizationId, match!.serviceId, now);
    if (refusal) return fail('forbidden', `${refusal} (${match!.organizationName})`, { reason: 'consent_required' });
  }

  const values = await sharedValues(ctx, hotlineId, caseId, input);
  if (!values.ok) return values;
  const fields = [...new Set(input.fields)];
  const sharedData = JSON.stringify(values.value);

  const created = await ctx.db.transaction().execute(async (tx) => {
    const out: PendingReferral[] = [];
    for (const match of chosen as NonNullable<(typeof chosen)[number]>[]) {
      out.push(await insertReferral(tx, ctx, who, { caseId, consentId: consent.id, reportId: null, match, needs: input.needs, areaCode: input.areaCode ?? null, fields, sharedData, timing: input }, now));
    }
    return out;
  });
  return ok({ referrals: await sendLinkEmails(ctx, who, created, now) });
}

/** Directory organisations among `organizationIds` that are one of the jurisdiction's reporting agencies. */
export async function reportingAgencyOrganizations(db: DbOrTx, hotlineId: string, organizationIds: string[]) {
  if (organizationIds.length === 0) return new Set<string>();
  const rows = await db.selectFrom('directory_partner').select('organization_id').where('hotline_id', '=', hotlineId).where('organization_id', 'in', organizationIds).where('reporting_agency_id', 'is not', null).execute();
  return new Set(rows.map((r) => r.organization_id));
}

/** The directory organisation marked as the jurisdiction agency `agencyId` (reports to it become referrals), if any. */
export async function reportingAgencyOrganization(db: DbOrTx, hotlineId: string, agencyId: string): Promise<{ organizationId: string; organizationName: string } | null> {
  const row = await db
    .selectFrom('directory_partner as p')
    .innerJoin('hsds_organization as o', (j) => j.onRef('o.id', '=', 'p.organization_id').onRef('o.hotline_id', '=', 'p.hotline_id'))
    .select(['o.id', 'o.name'])
    .where('p.hotline_id', '=', hotlineId)
    .where('p.reporting_agency_id', '=', agencyId)
    .executeTakeFirst();
  return row ? { organizationId: row.id, organizationName: row.name } : null;
}

interface PendingReferral extends Omit<CreatedReferral, 'email'> {
  emailJobId: string;
}

/**
 * One referral row with its jobs, timeline entry, audit row and link email job, inside the caller's transaction.
 * Its basis is a consent to services, or a report (a referral to a reporting agency made by sending the report).
 */
async function insertReferral(
  tx: DbOrTx,
  ctx: AppContext,
  who: ActorContext,
  args: {
    caseId: string; consentId: string | null; reportId: string | null; needs: string[]; areaCode: string | null; fields: string[]; sharedData: string;
    match: { serviceId: string; organizationId: string; serviceName: string; organizationName: string; reasons: unknown[]; score: number | null };
    timing: { linkValidDays: number; acknowledgeWithinHours: number; outcomeWithinDays: number };
  },
  now: Date,
): Promise<PendingReferral> {
  const { hotlineId } = who.actor;
  const { caseId, match, timing } = args;
  const token = newToken();
  const expires = new Date(now.getTime() + timing.linkValidDays * DAY);
  const ackDue = new Date(now.getTime() + timing.acknowledgeWithinHours * HOUR);
  const row = await tx
    .insertInto('referral')
    .values({
      hotline_id: hotlineId, case_id: caseId, consent_id: args.consentId, report_id: args.reportId, service_id: match.serviceId, organization_id: match.organizationId,
      service_name: match.serviceName, organization_name: match.organizationName, needs: args.needs, reasons: JSON.stringify(match.reasons), score: match.score,
      area_code: args.areaCode, status: 'sent', shared_fields: args.fields, shared_data: await ctx.keys.encrypt(hotlineId, 'referral.shared_data', args.sharedData),
      token_hash: hashToken(token), token_expires_at: expires, ack_due_at: ackDue, outcome_within_days: timing.outcomeWithinDays, created_by: who.actor.id, created_at: now, updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('referral_job')
    .values([
      { hotline_id: hotlineId, referral_id: row.id, kind: 'ack_reminder', run_at: new Date(now.getTime() + (timing.acknowledgeWithinHours * HOUR) / 2) },
      { hotline_id: hotlineId, referral_id: row.id, kind: 'ack_escalation', run_at: ackDue },
    ])
    .execute();
  await addCaseEvent(tx, hotlineId, caseId, 'referral_sent', { referralId: row.id, organizationName: match.organizationName, serviceName: match.serviceName, needs: args.needs, fields: args.fields, ...(args.reportId ? { reportId: args.reportId } : {}) }, who.actor.id, now);
  await appendAudit(tx, {
    hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'referral.create', recordType: 'referral', recordId: row.id, ip: who.ip,
    details: { caseId, consentId: args.consentId, reportId: args.reportId, serviceId: match.serviceId, organizationId: match.organizationId, needs: args.needs, fields: args.fields },
  });
  // The email is a durable job from here: written with the referral, tried at once after commit, retried if it fails.
  const emailJobId = await queueLinkEmail(tx, ctx.keys, hotlineId, row.id, { link: partnerLinkPath(token), linkExpiresAt: expires.toISOString() }, now);
  return { id: row.id, serviceId: match.serviceId, serviceName: match.serviceName, organizationName: match.organizationName, link: partnerLinkPath(token), linkExpiresAt: expires.toISOString(), emailJobId };
}

/** Tries the link emails of referrals just committed (never before: no email for a referral that was not stored). */
export async function sendLinkEmails(ctx: AppContext, who: ActorContext, created: PendingReferral[], now: Date): Promise<CreatedReferral[]> {
  const referrals: CreatedReferral[] = [];
  for (const { emailJobId, ...r } of created) referrals.push({ ...r, email: await attemptLinkEmail(ctx, emailJobId, { actorId: who.actor.id, actorLabel: who.label, ip: who.ip }, now) });
  return referrals;
}

/** Why a sent report did not become a referral: its agency is not in the directory, or the contact is on no case. */
export type ReportReferralSkip = 'agency_not_in_directory' | 'agency_has_no_service' | 'contact_not_on_case';

/**
 * Inside `sendReport`'s transaction, after the jurisdiction's rules allowed the report: refers the contact's case to
 * the directory organisation marked as the report's agency, through the same closed loop as any referral (link,
 * acknowledgement, outcome, reminders, escalation). The report is the referral's basis; only the fields chosen are shared.
 */
export async function referReport(
  tx: DbOrTx,
  ctx: AppContext,
  who: ActorContext,
  report: { id: string; contactId: string; agencyId: string; kind: string },
  input: SendReportBody,
  now: Date,
): Promise<Result<PendingReferral | { skipped: ReportReferralSkip }>> {
  const { hotlineId } = who.actor;
  const agency = await reportingAgencyOrganization(tx, hotlineId, report.agencyId);
  if (!agency) return ok({ skipped: 'agency_not_in_directory' });
  const service = await tx.selectFrom('hsds_service').select(['id', 'name']).where('hotline_id', '=', hotlineId).where('organization_id', '=', agency.organizationId).where('status', 'not in', ['inactive', 'defunct']).orderBy('name').orderBy('id').limit(1).executeTakeFirst();
  if (!service) return ok({ skipped: 'agency_has_no_service' });
  let caseQuery = tx
    .selectFrom('case_contact as cc')
    .innerJoin('hotline_case as k', 'k.id', 'cc.case_id')
    .select('k.id')
    .where('cc.contact_id', '=', report.contactId)
    .where('k.hotline_id', '=', hotlineId)
    .where(who.can.sqlFilter('case.update', CASE_COLUMNS) as Expression<SqlBool>);
  if (input.caseId) caseQuery = caseQuery.where('k.id', '=', input.caseId);
  const kase = await caseQuery.orderBy('k.created_at', 'desc').limit(1).executeTakeFirst();
  if (!kase) {
    if (input.caseId) return fail('validation_failed', 'caseId: this contact is not on that case, or you may not change it');
    return ok({ skipped: 'contact_not_on_case' });
  }
  const values = await sharedValues(ctx, hotlineId, kase.id, { ...input, fields: input.fields });
  if (!values.ok) return values;
  const fields = [...new Set(input.fields)];
  const pending = await insertReferral(tx, ctx, who, {
    caseId: kase.id, consentId: null, reportId: report.id, needs: [], areaCode: null, fields, sharedData: JSON.stringify({ report: report.kind, ...values.value }),
    match: { serviceId: service.id, organizationId: agency.organizationId, serviceName: service.name, organizationName: agency.organizationName, reasons: [{ code: 'reporting_agency', agencyId: report.agencyId }], score: null },
    timing: input,
  }, now);
  return ok(pending);
}

const isOverdue = (r: Pick<Row, 'status' | 'ack_due_at' | 'outcome_due_at'>, now: Date) =>
  (r.status === 'sent' && r.ack_due_at.getTime() < now.getTime()) || (r.status === 'accepted' && !!r.outcome_due_at && r.outcome_due_at.getTime() < now.getTime());

function presentReferral(r: Row & { case_number?: number | string }, now: Date) {
  return {
    id: r.id,
    caseId: r.case_id,
    caseReference: r.case_number !== undefined ? `K-${r.case_number}` : null,
    serviceId: r.service_id,
    serviceName: r.service_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    needs: r.needs,
    /** Set when this referral is a report sent to a reporting agency (its basis is the report, not a consent to services). */
    reportId: r.report_id,
    reasons: r.reasons,
    status: r.status,
    outcome: r.outcome,
    overdue: isOverdue(r, now),
    sharedFields: r.shared_fields,
    createdAt: r.created_at.toISOString(),
    ackDueAt: r.ack_due_at.toISOString(),
    outcomeDueAt: r.outcome_due_at?.toISOString() ?? null,
    firstViewedAt: r.first_viewed_at?.toISOString() ?? null,
    respondedAt: r.responded_at?.toISOString() ?? null,
    outcomeAt: r.outcome_at?.toISOString() ?? null,
    remindedAt: r.reminded_at?.toISOString() ?? null,
    escalatedAt: r.escalated_at?.toISOString() ?? null,
    linkExpiresAt: r.token_expires_at.toISOString(),
    // Where the partner-link email stands: sending, retrying, sent, failed (give the link by hand), not_sent (no address or relay).
    linkEmail: r.link_email_status ? { status: r.link_email_status, at: r.link_email_at?.toISOString() ?? null } : null,
    warmTransfer: r.warm_transfer_started_at ? { startedAt: r.warm_transfer_started_at.toISOString(), endedAt: r.warm_transfer_ended_at?.toISOString() ?? null, by: r.warm_transfer_by } : null,
  };
}
export type ReferralView = ReturnType<typeof presentReferral>;

/** Referrals on the cases the user may read (no personal data in a list; the list is audited). */
export async function listReferrals(ctx: AppContext, who: ActorContext, filter: { status?: string; overdue?: 'true' | 'false'; caseId?: string; limit: number }, now = new Date()) {
  const { hotlineId } = who.actor;
  let query = ctx.db
    .selectFrom('referral as r')
    .innerJoin('hotline_case as k', (j) => j.onRef('k.id', '=', 'r.case_id').onRef('k.hotline_id', '=', 'r.hotline_id'))
    .selectAll('r')
    .select('k.number as case_number')
    .where('r.hotline_id', '=', hotlineId)
    .where(who.can.sqlFilter('case.read', CASE_COLUMNS) as Expression<SqlBool>);
  if (filter.status) query = query.where('r.status', '=', filter.status as Row['status']);
  if (filter.caseId) query = query.where('r.case_id', '=', filter.caseId);
  if (filter.overdue === 'true') query = query.where((eb) => eb.or([eb.and([eb('r.status', '=', 'sent'), eb('r.ack_due_at', '<', now)]), eb.and([eb('r.status', '=', 'accepted'), eb('r.outcome_due_at', '<', now)])]));
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const found = await query.orderBy('r.created_at', 'desc').limit(filter.limit).execute();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'referral.list', recordType: 'referral', ip: who.ip, details: { count: found.length, caseId: filter.caseId ?? null } });
    return found;
  });
  const items = rows.map((r) => presentReferral(r as unknown as Row & { case_number: number }, now));
  return filter.overdue === 'false' ? items.filter((i) => !i.overdue) : items;
}

async function visibleReferral(ctx: AppContext, who: ActorContext, id: string, action: 'case.read' | 'case.update' = 'case.read') {
  return ctx.db
    .selectFrom('referral as r')
    .innerJoin('hotline_case as k', (j) => j.onRef('k.id', '=', 'r.case_id').onRef('k.hotline_id', '=', 'r.hotline_id'))
    .selectAll('r')
    .select('k.number as case_number')
    .where('r.hotline_id', '=', who.actor.hotlineId)
    .where('r.id', '=', id)
    .where(who.can.sqlFilter(action, CASE_COLUMNS) as Expression<SqlBool>)
    .executeTakeFirst() as Promise<(Row & { case_number: number }) | undefined>;
}

/** One referral with what was shared and the partner's notes, decrypted; an audited read. */
export async function readReferral(ctx: AppContext, who: ActorContext, id: string, now = new Date()) {
  const { hotlineId } = who.actor;
  const row = await visibleReferral(ctx, who, id);
  if (!row) return fail('not_found', 'No such referral');
  await appendAudit(ctx.db, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'referral.read', recordType: 'referral', recordId: id, ip: who.ip });
  return ok({
    ...presentReferral(row, now),
    shared: JSON.parse(await ctx.keys.decrypt(hotlineId, 'referral.shared_data', row.shared_data)) as Record<string, string | null>,
    responseNote: await ctx.keys.decryptOptional(hotlineId, 'referral.response_note', row.response_note),
    outcomeNote: await ctx.keys.decryptOptional(hotlineId, 'referral.outcome_note', row.outcome_note),
  });
}

async function changeable(ctx: AppContext, who: ActorContext, id: string): Promise<Result<Row & { case_number: number }>> {
  const visible = await visibleReferral(ctx, who, id);
  if (!visible) return fail('not_found', 'No such referral');
  const allowed = await visibleReferral(ctx, who, id, 'case.update');
  return allowed ? ok(allowed) : fail('forbidden', 'You may read this case but not change it');
}

/** A warm transfer (the advocate stays on the line while the person meets the partner), with its times. */
export async function recordWarmTransfer(ctx: AppContext, who: ActorContext, id: string, times: { startedAt: string; endedAt: string }, now = new Date()) {
  const found = await changeable(ctx, who, id);
  if (!found.ok) return found;
  const r = found.value;
  if (r.status === 'cancelled' || r.status === 'declined') return fail('conflict', `This referral is ${r.status}`);
  if (Date.parse(times.startedAt) > now.getTime() + 60_000) return fail('validation_failed', 'startedAt: a transfer cannot start in the future');
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('referral').set({ warm_transfer_started_at: times.startedAt, warm_transfer_ended_at: times.endedAt, warm_transfer_by: who.actor.id, updated_at: now }).where('hotline_id', '=', r.hotline_id).where('id', '=', id).execute();
    await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_warm_transfer', { referralId: id, organizationName: r.organization_name, startedAt: times.startedAt, endedAt: times.endedAt }, who.actor.id, now);
    await appendAudit(tx, { hotlineId: r.hotline_id, actorId: who.actor.id, actorLabel: who.label, action: 'referral.warm_transfer', recordType: 'referral', recordId: id, ip: who.ip, details: { caseId: r.case_id, ...times } });
  });
  return readReferral(ctx, who, id, now);
}

/** A new link for the partner (the old one stops working at once): a lost or expired link, a new contact person. */
export async function reissueLink(ctx: AppContext, who: ActorContext, id: string, linkValidDays: number, now = new Date()): Promise<Result<{ link: string; linkExpiresAt: string; email: LinkEmailResult }>> {
  const found = await changeable(ctx, who, id);
  if (!found.ok) return found;
  const r = found.value;
  if (r.status !== 'sent' && r.status !== 'accepted') return fail('conflict', `This referral is ${r.status}; its link cannot be renewed`);
  const token = newToken();
  const expires = new Date(now.getTime() + linkValidDays * DAY);
  const emailJobId = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('referral').set({ token_hash: hashToken(token), token_expires_at: expires, updated_at: now }).where('hotline_id', '=', r.hotline_id).where('id', '=', id).execute();
    await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_link_reissued', { referralId: id, organizationName: r.organization_name, expiresAt: expires.toISOString() }, who.actor.id, now);
    await appendAudit(tx, { hotlineId: r.hotline_id, actorId: who.actor.id, actorLabel: who.label, action: 'referral.reissue_link', recordType: 'referral', recordId: id, ip: who.ip, details: { caseId: r.case_id } });
    return queueLinkEmail(tx, ctx.keys, r.hotline_id, id, { link: partnerLinkPath(token), linkExpiresAt: expires.toISOString() }, now);
  });
  const link = partnerLinkPath(token);
  const email = await attemptLinkEmail(ctx, emailJobId, { actorId: who.actor.id, actorLabel: who.label, ip: who.ip }, now);
  return ok({ link, linkExpiresAt: expires.toISOString(), email });
}

export async function cancelReferral(ctx: AppContext, who: ActorContext, id: string, now = new Date()) {
  const found = await changeable(ctx, who, id);
  if (!found.ok) return found;
  const r = found.value;
  if (r.status !== 'sent' && r.status !== 'accepted') return fail('conflict', `This referral is already ${r.status}`);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('referral').set({ status: 'cancelled', updated_at: now }).where('hotline_id', '=', r.hotline_id).where('id', '=', id).execute();
    await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_cancelled', { referralId: id, organizationName: r.organization_name }, who.actor.id, now);
    // A link email not yet sent is not needed any more; the stored link is erased.
    await tx.updateTable('referral_job').set({ done_at: now, result: 'not_needed', payload: null }).where('hotline_id', '=', r.hotline_id).where('referral_id', '=', id).where('kind', '=', 'email_link').where('done_at', 'is', null).execute();
    await appendAudit(tx, { hotlineId: r.hotline_id, actorId: who.actor.id, actorLabel: who.label, action: 'referral.cancel', recordType: 'referral', recordId: id, ip: who.ip, details: { caseId: r.case_id } });
  });
  return readReferral(ctx, who, id, now);
}

// ---- the partner side: a link (no account), or a signed-in partner staff member ---------------------------------

/**
 * Who acts for the partner: the holder of a link (the token is the only credential), or a signed-in user with the
 * `partner` role, who reaches only the referrals sent to the directory organization their own organisation is linked
 * to (rule `referral.partner`). Both go through the same functions below.
 */
export type PartnerAccess = { kind: 'link'; token: string; ip: string | null } | { kind: 'account'; who: ActorContext; referralId: string };

/** The referral row joined to the account organisation linked to its directory organization (alias `o`). */
export const PARTNER_ACCOUNT_COLUMNS = { organisationId: 'o.id' } as const;

/** The one referral a link or a partner account opens, if genuine (unexpired link, own organisation) and still open. */
async function referralForPartner(db: DbOrTx, access: PartnerAccess, now: Date, forUpdate = false) {
  if (access.kind === 'link') {
    let query = db.selectFrom('referral').selectAll().where('token_hash', '=', hashToken(access.token)).where('token_expires_at', '>', now).where('status', 'in', ['sent', 'accepted']);
    if (forUpdate) query = query.forUpdate();
    return (await query.executeTakeFirst()) as Row | undefined;
  }
  const { who } = access;
  let query = db
    .selectFrom('referral as r')
    .innerJoin('organisation as o', (j) => j.onRef('o.hotline_id', '=', 'r.hotline_id').onRef('o.hsds_organization_id', '=', 'r.organization_id'))
    .selectAll('r')
    .where('r.hotline_id', '=', who.actor.hotlineId)
    .where('r.id', '=', access.referralId)
    .where('r.status', 'in', ['sent', 'accepted'])
    .where(who.can.sqlFilter('referral.partner', PARTNER_ACCOUNT_COLUMNS) as Expression<SqlBool>);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as Row | undefined;
}
const LINK_INVALID = 'This link is not valid: it may have expired, been replaced, or the referral may be closed. Please contact the hotline.';
const notFoundFor = (access: PartnerAccess) => fail('not_found', access.kind === 'link' ? LINK_INVALID : 'No such open referral for your organisation');
/** How the audit names the partner side: the link holder has no account; a partner user is named by their sign-in. */
const partnerActor = (access: PartnerAccess) => (access.kind === 'link' ? { actorId: null, actorLabel: PARTNER_LINK_LABEL, ip: access.ip } : { actorId: access.who.actor.id, actorLabel: access.who.label, ip: access.who.ip });

/**
 * Whether the referral's basis still holds: its consent to services (not withdrawn or expired), or, for a report to
 * an agency, the report's consent (an exception — a minor, imminent danger, a legal duty — does not lapse).
 */
async function consentStillActive(db: DbOrTx, r: Row, now: Date) {
  if (r.report_id) {
    const report = await db
      .selectFrom('report as p')
      .leftJoin('consent as c', 'c.id', 'p.consent_id')
      .select(['p.basis', 'c.withdrawn_at', 'c.expires_at'])
      .where('p.hotline_id', '=', r.hotline_id)
      .where('p.id', '=', r.report_id)
      .executeTakeFirst();
    if (!report) return false;
    if (report.basis !== 'consent') return true;
    return !report.withdrawn_at && !(report.expires_at && report.expires_at.getTime() <= now.getTime());
  }
  if (!r.consent_id) return false;
  const consent = await db.selectFrom('consent').select(['disclosure', 'recipients', 'withdrawn_at', 'expires_at', 'given_at']).where('hotline_id', '=', r.hotline_id).where('id', '=', r.consent_id).executeTakeFirst();
  return !!consent && consentCovers(consent as any, r.organization_id, r.service_id, now) === null;
}

async function presentForPartner(ctx: AppContext, r: Row, now: Date, access: PartnerAccess) {
  const hotline = await ctx.db.selectFrom('hotline').select(['name']).where('id', '=', r.hotline_id).executeTakeFirst();
  const consentActive = await consentStillActive(ctx.db, r, now);
  return {
    // A partner account lists several referrals and needs their ids; a link opens one and needs none.
    ...(access.kind === 'account' ? { id: r.id } : {}),
    hotlineName: hotline?.name ?? '',
    organizationName: r.organization_name,
    serviceName: r.service_name,
    needs: r.needs,
    /** A report to this agency under the jurisdiction's rules (its kind is in `shared.report`), not a service referral. */
    isReport: r.report_id !== null,
    status: r.status,
    outcome: r.outcome,
    sentAt: r.created_at.toISOString(),
    respondBy: r.ack_due_at.toISOString(),
    linkExpiresAt: r.token_expires_at.toISOString(),
    consentActive,
    // A consent withdrawn since the referral was sent: the partner no longer sees what was shared.
    shared: consentActive ? (JSON.parse(await ctx.keys.decrypt(r.hotline_id, 'referral.shared_data', r.shared_data)) as Record<string, string | null>) : null,
  };
}

export async function partnerView(ctx: AppContext, access: PartnerAccess, now = new Date()) {
  const r = await referralForPartner(ctx.db, access, now);
  if (!r) return notFoundFor(access);
  await ctx.db.transaction().execute(async (tx) => {
    if (!r.first_viewed_at) await tx.updateTable('referral').set({ first_viewed_at: now }).where('id', '=', r.id).where('first_viewed_at', 'is', null).execute();
    await appendAudit(tx, { hotlineId: r.hotline_id, ...partnerActor(access), action: 'referral.partner_view', recordType: 'referral', recordId: r.id, details: { organizationId: r.organization_id, via: access.kind } });
  });
  return ok(await presentForPartner(ctx, r, now, access));
}

export async function partnerRespond(ctx: AppContext, access: PartnerAccess, decision: 'accept' | 'decline', note: string | undefined, now = new Date()) {
  const actor = partnerActor(access);
  const result = await ctx.db.transaction().execute(async (tx): Promise<Result<Row>> => {
    const r = await referralForPartner(tx, access, now, true);
    if (!r) return notFoundFor(access);
    if (r.status !== 'sent') return fail('conflict', 'This referral was already answered');
    if (decision === 'accept' && !(await consentStillActive(tx, r, now))) return fail('conflict', 'The person withdrew their consent: this referral can no longer be accepted. Please contact the hotline.');
    const outcomeDue = new Date(now.getTime() + r.outcome_within_days * DAY);
    const updated = (await tx
      .updateTable('referral')
      .set({ status: decision === 'accept' ? 'accepted' : 'declined', responded_at: now, response_note: await ctx.keys.encryptOptional(r.hotline_id, 'referral.response_note', note || null), outcome_due_at: decision === 'accept' ? outcomeDue : null, updated_at: now })
      .where('id', '=', r.id)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row;
    if (decision === 'accept') await tx.insertInto('referral_job').values({ hotline_id: r.hotline_id, referral_id: r.id, kind: 'outcome_reminder', run_at: outcomeDue }).execute();
    await addCaseEvent(tx, r.hotline_id, r.case_id, decision === 'accept' ? 'referral_accepted' : 'referral_declined', { referralId: r.id, organizationName: r.organization_name, hoursToRespond: Math.round(((now.getTime() - r.created_at.getTime()) / HOUR) * 10) / 10 }, actor.actorId, now);
    await appendAudit(tx, { hotlineId: r.hotline_id, ...actor, action: decision === 'accept' ? 'referral.accept' : 'referral.decline', recordType: 'referral', recordId: r.id, details: { organizationId: r.organization_id, withNote: !!note, via: access.kind } });
    return ok(updated);
  });
  if (!result.ok) return result;
  return ok(await presentForPartner(ctx, result.value, now, access));
}

export async function partnerOutcome(ctx: AppContext, access: PartnerAccess, outcome: ReferralOutcome, note: string | undefined, now = new Date()) {
  const actor = partnerActor(access);
  const result = await ctx.db.transaction().execute(async (tx): Promise<Result<Row>> => {
    const r = await referralForPartner(tx, access, now, true);
    if (!r) return notFoundFor(access);
    if (r.status !== 'accepted') return fail('conflict', 'Accept the referral before reporting an outcome');
    const isFinal = FINAL_OUTCOMES.includes(outcome);
    const updated = (await tx
      .updateTable('referral')
      .set({ outcome, outcome_at: now, outcome_note: await ctx.keys.encryptOptional(r.hotline_id, 'referral.outcome_note', note || null), ...(isFinal ? { status: 'closed' as const } : {}), updated_at: now })
      .where('id', '=', r.id)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row;
    await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_outcome', { referralId: r.id, organizationName: r.organization_name, outcome, final: isFinal }, actor.actorId, now);
    await appendAudit(tx, { hotlineId: r.hotline_id, ...actor, action: 'referral.outcome', recordType: 'referral', recordId: r.id, details: { organizationId: r.organization_id, outcome, withNote: !!note, via: access.kind } });
    return ok(updated);
  });
  if (!result.ok) return result;
  return ok(await presentForPartner(ctx, result.value, now, access));
}

/**
 * The referrals sent to a partner user's own organisation, newest first, without personal data (the shared fields
 * are shown one referral at a time, audited). Cancelled ones are left out: the partner has nothing to do with them.
 */
export async function listForPartner(ctx: AppContext, who: ActorContext, now = new Date()) {
  const rows = await ctx.db
    .selectFrom('referral as r')
    .innerJoin('organisation as o', (j) => j.onRef('o.hotline_id', '=', 'r.hotline_id').onRef('o.hsds_organization_id', '=', 'r.organization_id'))
    .select(['r.id', 'r.service_name', 'r.organization_name', 'r.needs', 'r.status', 'r.outcome', 'r.created_at', 'r.ack_due_at', 'r.outcome_due_at', 'r.responded_at'])
    .where('r.hotline_id', '=', who.actor.hotlineId)
    .where('r.status', '<>', 'cancelled')
    .where(who.can.sqlFilter('referral.partner', PARTNER_ACCOUNT_COLUMNS) as Expression<SqlBool>)
    .orderBy('r.created_at', 'desc')
    .limit(200)
    .execute();
  await appendAudit(ctx.db, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'referral.partner_list', recordType: 'referral', ip: who.ip, details: { count: rows.length } });
  return rows.map((r) => ({
    id: r.id,
    serviceName: r.service_name,
    organizationName: r.organization_name,
    needs: r.needs,
    status: r.status,
    outcome: r.outcome,
    sentAt: r.created_at.toISOString(),
    respondBy: r.ack_due_at.toISOString(),
    outcomeDueAt: r.outcome_due_at?.toISOString() ?? null,
    respondedAt: r.responded_at?.toISOString() ?? null,
    overdue: isOverdue({ status: r.status, ack_due_at: r.ack_due_at, outcome_due_at: r.outcome_due_at }, now),
  }));
}

/** For tests and the CLI: a referral's row count by status. */
export async function countReferrals(db: DbOrTx, hotlineId: string) {
  const rows = await db.selectFrom('referral').select(['status', sql<string>`count(*)`.as('n')]).where('hotline_id', '=', hotlineId).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
