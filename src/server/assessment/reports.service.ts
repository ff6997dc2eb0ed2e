import { sql, type Expression, type SqlBool } from 'kysely';
import { CASE_COLUMNS } from '../cases/cases.service.js';
import './schema.js';
import type { z } from 'zod';
import type { listReportsQuery, recordConsentBody, refuseReportBody, requestReportBody } from '../../shared/api/assessment.js';
import { fail, ok, type Failure, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import type { ConsentRecord } from '../protocols/consent.js';
import type { ReportKind } from '../protocols/jurisdiction.schema.js';
import { checkReportAllowed, type ReportApproval, type ReportDecision, type ReportException, type ReportRefusalCode } from '../protocols/report-gate.js';
import { notifyLive } from '../queue/live.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import { contactForAction, factsOf, type ContactFacts } from './contact-access.js';
import { jurisdictionFor } from './hotline-config.js';
import { sendReportBody, type SendReportBody } from '../../shared/api/referrals.js';
import { referReport, reportingAgencyOrganization, sendLinkEmails, type CreatedReferral, type ReportReferralSkip } from '../referrals/referrals.service.js';

/**
 * Refusals that mean "you lack the authority" are 403 `forbidden`; the rest ("fix what you sent") are 400
 * `validation_failed`. Either way the stable refusal code of `checkReportAllowed` is in `error.reason`.
 */
const FORBIDDEN_REFUSALS: ReadonlySet<ReportRefusalCode> = new Set(['consent_required', 'approval_required', 'approval_not_by_supervisor', 'approval_by_requester']);
function refusalFailure(decision: Extract<ReportDecision, { allowed: false }>): Failure {
  return { code: FORBIDDEN_REFUSALS.has(decision.code) ? 'forbidden' : 'validation_failed', message: `${decision.code}: ${decision.message}`, extra: { reason: decision.code } };
}

// ---- consent ---------------------------------------------------------------------------------------------------

type ConsentRow = { id: string; contact_id: string; given_by: string; disclosure: string; recipients: 'any_designated_agency' | string[]; given_at: Date; method: string; scope_note: Buffer | null; expires_at: Date | null; withdrawn_at: Date | null; recorded_by: string; recorded_at: Date };
const CONSENT_SELECT = ['id', 'contact_id', 'given_by', 'disclosure', 'recipients', 'given_at', 'method', 'scope_note', 'expires_at', 'withdrawn_at', 'recorded_by', 'recorded_at'] as const;

function consentRecordOf(row: ConsentRow): ConsentRecord {
  return {
    id: row.id,
    givenBy: row.given_by as ConsentRecord['givenBy'],
    disclosure: row.disclosure as ConsentRecord['disclosure'],
    recipients: row.recipients,
    givenAt: row.given_at.toISOString(),
    method: row.method as ConsentRecord['method'],
    recordedBy: row.recorded_by,
    ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
    ...(row.withdrawn_at ? { withdrawnAt: row.withdrawn_at.toISOString() } : {}),
  };
}

async function presentConsent(ctx: AppContext, hotlineId: string, row: ConsentRow) {
  return { ...consentRecordOf(row), contactId: row.contact_id, scopeNote: await ctx.keys.decryptOptional(hotlineId, 'consent.scope_note', row.scope_note), recordedAt: row.recorded_at.toISOString(), withdrawnAt: row.withdrawn_at?.toISOString() ?? null, expiresAt: row.expires_at?.toISOString() ?? null };
}

export async function recordConsent(ctx: AppContext, who: ActorContext, contactId: string, input: z.infer<typeof recordConsentBody>, now = new Date()) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'consent.record');
  if (!contact.ok) return contact;
  const givenAt = input.givenAt ? new Date(input.givenAt) : now;
  if (givenAt.getTime() > now.getTime() + 60_000) return fail('validation_failed', 'givenAt: consent cannot be recorded as given in the future');
  if (input.expiresAt && Date.parse(input.expiresAt) <= givenAt.getTime()) return fail('validation_failed', 'expiresAt: must be after givenAt');
  const scopeNote = await ctx.keys.encryptOptional(hotlineId, 'consent.scope_note', input.scopeNote || null);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('consent')
      .values({
        hotline_id: hotlineId, contact_id: contactId, given_by: input.givenBy, disclosure: input.disclosure, recipients: JSON.stringify(input.recipients),
        given_at: givenAt, method: input.method, scope_note: scopeNote, expires_at: input.expiresAt ? new Date(input.expiresAt) : null, withdrawn_at: null,
        recorded_by: who.actor.id, recorded_at: now,
      })
      .returning(CONSENT_SELECT)
      .executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'consent.record', recordType: 'consent', recordId: inserted.id, ip: who.ip, details: { contactId, givenBy: input.givenBy, disclosure: input.disclosure, method: input.method } });
    return inserted;
  });
  return ok(await presentConsent(ctx, hotlineId, row));
}

/** Withdrawing consent never deletes it: the record shows it was given, and when it stopped. */
export async function withdrawConsent(ctx: AppContext, who: ActorContext, consentId: string, now = new Date()) {
  const { hotlineId } = who.actor;
  const consent = await ctx.db.selectFrom('consent').select(['contact_id', 'withdrawn_at']).where('hotline_id', '=', hotlineId).where('id', '=', consentId).executeTakeFirst();
  if (!consent) return fail('not_found', 'No such consent');
  const contact = await contactForAction(ctx.db, who, consent.contact_id, 'consent.record');
  if (!contact.ok) return contact.error.code === 'not_found' ? fail('not_found', 'No such consent') : contact;
  if (consent.withdrawn_at) return fail('conflict', 'This consent was already withdrawn');
  const row = await ctx.db.transaction().execute(async (tx) => {
    const updated = await tx.updateTable('consent').set({ withdrawn_at: now }).where('hotline_id', '=', hotlineId).where('id', '=', consentId).returning(CONSENT_SELECT).executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'consent.withdraw', recordType: 'consent', recordId: consentId, ip: who.ip, details: { contactId: consent.contact_id } });
    return updated;
  });
  return ok(await presentConsent(ctx, hotlineId, row));
}

export async function listConsents(ctx: AppContext, who: ActorContext, contactId: string) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'contact.read');
  if (!contact.ok) return contact;
  const rows = await ctx.db.transaction().execute(async (tx) => {
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'consent.list', recordType: 'contact', recordId: contactId, ip: who.ip });
    return tx.selectFrom('consent').select(CONSENT_SELECT).where('hotline_id', '=', hotlineId).where('contact_id', '=', contactId).orderBy('given_at').limit(200).execute();
  });
  return ok(await Promise.all(rows.map((row) => presentConsent(ctx, hotlineId, row))));
}

// ---- reports ---------------------------------------------------------------------------------------------------

type ReportRow = {
  id: string; contact_id: string; agency_id: string; report_kind: string; status: string; basis: string; consent_id: string | null; exception: string | null;
  exception_citation: string | null; exception_note: Buffer | null; needs_approval: boolean; jurisdiction_id: string; jurisdiction_version: number;
  requested_by: string; requested_at: Date; approved_by: string | null; approved_at: Date | null; refused_by: string | null; refused_at: Date | null;
  refusal_reason: Buffer | null; sent_by: string | null; sent_at: Date | null;
};
const REPORT_SELECT = [
  'r.id', 'r.contact_id', 'r.agency_id', 'r.report_kind', 'r.status', 'r.basis', 'r.consent_id', 'r.exception', 'r.exception_citation', 'r.exception_note',
  'r.needs_approval', 'r.jurisdiction_id', 'r.jurisdiction_version', 'r.requested_by', 'r.requested_at', 'r.approved_by', 'r.approved_at', 'r.refused_by',
  'r.refused_at', 'r.refusal_reason', 'r.sent_by', 'r.sent_at',
] as const;

async function presentReport(ctx: AppContext, hotlineId: string, row: ReportRow) {
  const decrypt = (field: string, value: Buffer | null) => ctx.keys.decryptOptional(hotlineId, field, value);
  return {
    id: row.id,
    contactId: row.contact_id,
    agencyId: row.agency_id,
    report: row.report_kind,
    status: row.status,
    basis: row.basis,
    consentId: row.consent_id,
    exception: row.exception ? { basis: row.exception, citation: row.exception_citation, note: await decrypt('report.exception_note', row.exception_note) } : null,
    needsApproval: row.needs_approval,
    jurisdiction: { id: row.jurisdiction_id, version: row.jurisdiction_version },
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at?.toISOString() ?? null,
    refusedBy: row.refused_by,
    refusedAt: row.refused_at?.toISOString() ?? null,
    refusalReason: await decrypt('report.refusal_reason', row.refusal_reason),
    sentBy: row.sent_by,
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}
export type ReportView = Awaited<ReturnType<typeof presentReport>>;

/** The facts a report must fit: a minor (contact flag, or the latest assessment found a minor) and imminent danger. */
async function reportFacts(db: DbOrTx, hotlineId: string, contact: ContactFacts) {
  const latest = await db.selectFrom('assessment').select('age_group').where('hotline_id', '=', hotlineId).where('contact_id', '=', contact.id).orderBy('assessed_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return { victimIsMinor: contact.flags.includes('minor') || latest?.age_group === 'minor', imminentDanger: contact.flags.includes('imminent_danger') };
}

async function consentFor(db: DbOrTx, hotlineId: string, contactId: string, consentId: string | null): Promise<Result<ConsentRecord | undefined>> {
  if (!consentId) return ok(undefined);
  const row = await db.selectFrom('consent').select(CONSENT_SELECT).where('hotline_id', '=', hotlineId).where('contact_id', '=', contactId).where('id', '=', consentId).executeTakeFirst();
  return row ? ok(consentRecordOf(row)) : fail('validation_failed', 'consentId: no such consent on this contact');
}

/**
 * Asks to report a contact to an agency. Refused (nothing stored, the refusal audited) unless the jurisdiction's
 * rules are met by a consent, a recognised exception, or no consent being required. When the rules also need a
 * supervisor's approval, the report is stored as `requested`; otherwise it is `approved` and can be sent.
 */
export async function requestReport(ctx: AppContext, who: ActorContext, contactId: string, input: z.infer<typeof requestReportBody>, now = new Date()): Promise<Result<ReportView>> {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'report.request');
  if (!contact.ok) return contact;
  const [jurisdiction, facts, consent] = await Promise.all([jurisdictionFor(ctx.db, hotlineId), reportFacts(ctx.db, hotlineId, contact.value), consentFor(ctx.db, hotlineId, contactId, input.consentId ?? null)]);
  if (!consent.ok) return consent;
  const exception: ReportException | undefined = input.exception ? { basis: input.exception.basis, ...(input.exception.citation ? { citation: input.exception.citation } : {}) } : undefined;
  const request = { agencyId: input.agencyId, report: input.report as ReportKind, ...facts, at: now.toISOString(), requestedBy: who.actor.id, consent: consent.value, exception };
  let decision = checkReportAllowed(jurisdiction.rules, request);
  let needsApproval = false;
  if (!decision.allowed && decision.code === 'approval_required') {
    // Everything but the approval holds: check the rest with a stand-in approval to learn the basis; a supervisor approves later.
    const pending: ReportApproval = { approvedBy: '(pending)', role: 'supervisor', approvedAt: now.toISOString(), agencyId: input.agencyId, report: input.report as ReportKind };
    decision = checkReportAllowed(jurisdiction.rules, { ...request, approval: pending });
    needsApproval = true;
  }
  if (!decision.allowed) {
    await appendAudit(ctx.db, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.refused', recordType: 'contact', recordId: contactId, ip: who.ip, details: { agencyId: input.agencyId, report: input.report, reason: decision.code } });
    return { ok: false, error: refusalFailure(decision) };
  }
  const basis = decision.basis;
  const note = await ctx.keys.encryptOptional(hotlineId, 'report.exception_note', input.exception?.note || null);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('report')
      .values({
        hotline_id: hotlineId, contact_id: contactId, agency_id: input.agencyId, report_kind: input.report, status: needsApproval ? 'requested' : 'approved', basis,
        consent_id: basis === 'consent' ? input.consentId! : null, exception: basis === 'exception' ? input.exception!.basis : null,
        exception_citation: basis === 'exception' ? input.exception!.citation ?? null : null, exception_note: basis === 'exception' ? note : null,
        needs_approval: needsApproval, jurisdiction_id: jurisdiction.rules.id, jurisdiction_version: jurisdiction.version, requested_by: who.actor.id, requested_at: now,
        approved_by: null, approved_at: null, refused_by: null, refused_at: null, refusal_reason: null, sent_by: null, sent_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.request', recordType: 'report', recordId: inserted.id, ip: who.ip, details: { contactId, agencyId: input.agencyId, report: input.report, basis, needsApproval } });
    await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: contactId });
    return tx.selectFrom('report as r').select(REPORT_SELECT).where('r.id', '=', inserted.id).executeTakeFirstOrThrow();
  });
  return ok(await presentReport(ctx, hotlineId, row));
}

/** A report and its contact, if the actor may read the contact and do `action` on it (404 / 403 otherwise). */
async function reportForAction(ctx: AppContext, who: ActorContext, reportId: string, action: 'report.approve' | 'report.request') {
  const row = await ctx.db
    .selectFrom('report as r')
    .innerJoin('contact as c', 'c.id', 'r.contact_id')
    .select(REPORT_SELECT)
    .select(['c.assigned_to', 'c.request_type', 'c.flags'])
    .select(sql<boolean>`${who.can.sqlFilter(action, CONTACT_COLUMNS)}`.as('allowed'))
    .where('r.hotline_id', '=', who.actor.hotlineId)
    .where('r.id', '=', reportId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!row) return fail('not_found', 'No such report');
  if (!row.allowed) return fail('forbidden', 'You may not do this on this report');
  return ok({ row, contact: factsOf({ id: row.contact_id, assigned_to: row.assigned_to, request_type: row.request_type, flags: row.flags }) });
}

/** The decision for a stored report at `now`, with its stored approval if any: consent or facts may have changed since. */
async function recheck(ctx: AppContext, hotlineId: string, row: ReportRow, contact: ContactFacts, now: Date, approval?: ReportApproval) {
  const [jurisdiction, facts, consent] = await Promise.all([jurisdictionFor(ctx.db, hotlineId), reportFacts(ctx.db, hotlineId, contact), consentFor(ctx.db, hotlineId, row.contact_id, row.consent_id)]);
  const exception: ReportException | undefined = row.exception ? { basis: row.exception as ReportException['basis'], ...(row.exception_citation ? { citation: row.exception_citation } : {}) } : undefined;
  return checkReportAllowed(jurisdiction.rules, {
    agencyId: row.agency_id, report: row.report_kind as ReportKind, ...facts, at: now.toISOString(), requestedBy: row.requested_by,
    consent: consent.ok ? consent.value : undefined, exception, approval,
  });
}

async function approvalOf(ctx: AppContext, hotlineId: string, row: ReportRow): Promise<ReportApproval | undefined> {
  if (!row.approved_by || !row.approved_at) return undefined;
  const approver = await ctx.db.selectFrom('app_user').select('roles').where('hotline_id', '=', hotlineId).where('id', '=', row.approved_by).executeTakeFirst();
  return { approvedBy: row.approved_by, role: approver?.roles.includes('supervisor') ? 'supervisor' : 'advocate', approvedAt: row.approved_at.toISOString(), agencyId: row.agency_id, report: row.report_kind as ReportKind };
}

export async function approveReport(ctx: AppContext, who: ActorContext, reportId: string, now = new Date()): Promise<Result<ReportView>> {
  const { hotlineId } = who.actor;
  const found = await reportForAction(ctx, who, reportId, 'report.approve');
  if (!found.ok) return found;
  const { row, contact } = found.value;
  if (row.status !== 'requested') return fail('conflict', `This report is ${row.status}; only a requested report can be approved`);
  const approval: ReportApproval = { approvedBy: who.actor.id, role: who.actor.roles.includes('supervisor') ? 'supervisor' : 'advocate', approvedAt: now.toISOString(), agencyId: row.agency_id, report: row.report_kind as ReportKind };
  const decision = await recheck(ctx, hotlineId, row, contact, now, approval);
  if (!decision.allowed) return { ok: false, error: refusalFailure(decision) };
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const changed = await tx.updateTable('report as r').set({ status: 'approved', approved_by: who.actor.id, approved_at: now }).where('r.hotline_id', '=', hotlineId).where('r.id', '=', reportId).where('r.status', '=', 'requested').returning(REPORT_SELECT).executeTakeFirst();
    if (changed) await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.approve', recordType: 'report', recordId: reportId, ip: who.ip, details: { contactId: row.contact_id, agencyId: row.agency_id, report: row.report_kind } });
    if (changed) await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: row.contact_id });
    return changed;
  });
  return updated ? ok(await presentReport(ctx, hotlineId, updated)) : fail('conflict', 'This report changed meanwhile; reload it');
}

export async function refuseReport(ctx: AppContext, who: ActorContext, reportId: string, input: z.infer<typeof refuseReportBody>, now = new Date()): Promise<Result<ReportView>> {
  const { hotlineId } = who.actor;
  const found = await reportForAction(ctx, who, reportId, 'report.approve');
  if (!found.ok) return found;
  if (!['requested', 'approved'].includes(found.value.row.status)) return fail('conflict', `This report is ${found.value.row.status}; it can no longer be refused`);
  const reason = await ctx.keys.encrypt(hotlineId, 'report.refusal_reason', input.reason);
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const changed = await tx.updateTable('report as r').set({ status: 'refused', refused_by: who.actor.id, refused_at: now, refusal_reason: reason }).where('r.hotline_id', '=', hotlineId).where('r.id', '=', reportId).where('r.status', 'in', ['requested', 'approved']).returning(REPORT_SELECT).executeTakeFirst();
    if (changed) await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.refuse', recordType: 'report', recordId: reportId, ip: who.ip, details: { contactId: found.value.row.contact_id } });
    if (changed) await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: found.value.row.contact_id });
    return changed;
  });
  return updated ? ok(await presentReport(ctx, hotlineId, updated)) : fail('conflict', 'This report changed meanwhile; reload it');
}

/**
 * Marks a report sent, after checking the rules again at the time of sending (a consent withdrawn since the request
 * stops it). When the report's agency is in the directory (an organisation marked as that agency) and the contact is on
 * a case, the case is referred to the agency in the same transaction: the agency gets a link to acknowledge the report
 * and report the outcome, with reminders and escalation like any referral (issue 6). Otherwise the report is recorded
 * as sent, and the answer says why no referral was made (the advocate sends it by the agency's usual channel).
 */
export async function sendReport(ctx: AppContext, who: ActorContext, reportId: string, input: SendReportBody = sendReportBody.parse({}), now = new Date()): Promise<Result<SentReport>> {
  const { hotlineId } = who.actor;
  const found = await reportForAction(ctx, who, reportId, 'report.request');
  if (!found.ok) return found;
  const { row, contact } = found.value;
  if (row.status === 'sent' || row.status === 'refused') return fail('conflict', `This report is ${row.status}`);
  const decision = await recheck(ctx, hotlineId, row, contact, now, await approvalOf(ctx, hotlineId, row));
  if (!decision.allowed) {
    await appendAudit(ctx.db, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.send_refused', recordType: 'report', recordId: reportId, ip: who.ip, details: { reason: decision.code } });
    return { ok: false, error: refusalFailure(decision) };
  }
  type Outcome = { row: ReportRow; referral: Awaited<ReturnType<typeof referReport>> } | null;
  const updated = await ctx.db.transaction().execute(async (tx): Promise<Outcome | Failure> => {
    const changed = await tx.updateTable('report as r').set({ status: 'sent', sent_by: who.actor.id, sent_at: now }).where('r.hotline_id', '=', hotlineId).where('r.id', '=', reportId).where('r.status', 'in', ['requested', 'approved']).returning(REPORT_SELECT).executeTakeFirst();
    if (!changed) return null;
    const referral = await referReport(tx, ctx, who, { id: row.id, contactId: row.contact_id, agencyId: row.agency_id, kind: row.report_kind }, input, now);
    // A bad choice (a case the contact is not on, a person not on the case) stores nothing: the report stays approved.
    if (!referral.ok) throw new SendRefused(referral.error);
    const referralId = 'id' in referral.value ? referral.value.id : null;
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.send', recordType: 'report', recordId: reportId, ip: who.ip, details: { contactId: row.contact_id, agencyId: row.agency_id, report: row.report_kind, basis: decision.basis, referralId, referralSkipped: 'skipped' in referral.value ? referral.value.skipped : null } });
    await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: row.contact_id });
    return { row: changed, referral };
  }).catch((error: unknown) => {
    if (error instanceof SendRefused) return error.failure;
    throw error;
  });
  if (updated === null) return fail('conflict', 'This report changed meanwhile; reload it');
  if ('code' in updated) return { ok: false, error: updated };
  const referral = updated.referral.ok ? updated.referral.value : null;
  return ok({
    report: await presentReport(ctx, hotlineId, updated.row),
    referral: referral && 'id' in referral ? (await sendLinkEmails(ctx, who, [referral], now))[0] : null,
    referralSkipped: referral && 'skipped' in referral ? referral.skipped : null,
  });
}

/**
 * What sending a report will do, so the console can say it before the advocate sends: the directory organisation that
 * is the report's agency (or none), and the cases of the contact the advocate may change (the referral hangs off one).
 */
export async function reportDelivery(ctx: AppContext, who: ActorContext, reportId: string) {
  const { hotlineId } = who.actor;
  const found = await reportForAction(ctx, who, reportId, 'report.request');
  if (!found.ok) return found;
  const { row } = found.value;
  const [agency, cases] = await Promise.all([
    reportingAgencyOrganization(ctx.db, hotlineId, row.agency_id),
    ctx.db
      .selectFrom('case_contact as cc')
      .innerJoin('hotline_case as k', 'k.id', 'cc.case_id')
      .select(['k.id', 'k.number'])
      .where('cc.contact_id', '=', row.contact_id)
      .where('k.hotline_id', '=', hotlineId)
      .where(who.can.sqlFilter('case.update', CASE_COLUMNS) as Expression<SqlBool>)
      .orderBy('k.created_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return ok({ agency, cases: cases.map((k) => ({ id: k.id, reference: `K-${k.number}` })) });
}

class SendRefused extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export interface SentReport {
  report: ReportView;
  /** The referral to the agency (its link is shown once), when the agency is in the directory and the contact on a case. */
  referral: CreatedReferral | null;
  referralSkipped: ReportReferralSkip | null;
}

export async function listReports(ctx: AppContext, who: ActorContext, contactId: string) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'contact.read');
  if (!contact.ok) return contact;
  const rows = await ctx.db.transaction().execute(async (tx) => {
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.list', recordType: 'contact', recordId: contactId, ip: who.ip });
    return tx.selectFrom('report as r').select(REPORT_SELECT).where('r.hotline_id', '=', hotlineId).where('r.contact_id', '=', contactId).orderBy('r.requested_at').limit(200).execute();
  });
  return ok(await Promise.all(rows.map((row) => presentReport(ctx, hotlineId, row))));
}

/**
 * Reports across the contacts the actor may act on with `report.approve` (the supervisors' approval list), oldest
 * first, each with its contact's reference. One audit row names the reports read.
 */
export async function listReportsAcross(ctx: AppContext, who: ActorContext, filter: z.infer<typeof listReportsQuery>) {
  const { hotlineId } = who.actor;
  const rows = await ctx.db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom('report as r')
      .innerJoin('contact as c', 'c.id', 'r.contact_id')
      .select(REPORT_SELECT)
      .select('c.number as contact_number')
      .where('r.hotline_id', '=', hotlineId)
      .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
      .where(who.can.sqlFilter('report.approve', CONTACT_COLUMNS));
    if (filter.status) query = query.where('r.status', '=', filter.status);
    const found = await query.orderBy('r.requested_at').limit(filter.limit).execute();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'report.list', recordType: 'report', recordId: null, ip: who.ip, details: { status: filter.status ?? null, reports: found.map((row) => row.id) } });
    return found;
  });
  return Promise.all(rows.map(async (row) => ({ ...(await presentReport(ctx, hotlineId, row)), contactReference: `C-${row.contact_number}` })));
}

/** The jurisdiction's agencies and reporting rules (configuration, not personal data), so the console can explain a report before asking. */
export async function reportingRules(ctx: AppContext, who: ActorContext) {
  const { rules, version } = await jurisdictionFor(ctx.db, who.actor.hotlineId);
  return { id: rules.id, version, title: rules.title, summary: rules.summary, agencies: rules.agencies, policies: rules.policies, mandatoryReports: rules.mandatoryReports };
}
