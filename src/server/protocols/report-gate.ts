import { levelRank, type LevelsByType } from '../../shared/assessment/vocabulary.js';
import type { ConsentRecord } from './consent.js';
import type { Agency, ConsentException, JurisdictionRules, ReportKind, ReportPolicy } from './jurisdiction.schema.js';

/**
 * Report gating: may this report go to this agency now? Nothing is disclosed without a valid consent or a legal
 * exception the jurisdiction recognises, and without the supervisor approval it requires (DOMAIN.md §2 step 6).
 * Checks run in a fixed order — agency, report fits facts, authority (consent or exception), approval — so the
 * refusal names the first thing to fix.
 */
export type ReportRefusalCode =
  | 'unknown_agency'
  | 'agency_does_not_receive_report'
  | 'report_does_not_fit_facts'
  | 'consent_required'
  | 'consent_not_for_reports'
  | 'consent_not_for_this_agency'
  | 'consent_from_wrong_person'
  | 'consent_not_yet_given'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'exception_not_recognised'
  | 'exception_facts_missing'
  | 'legal_duty_citation_required'
  | 'approval_required'
  | 'approval_not_by_supervisor'
  | 'approval_by_requester'
  | 'approval_for_other_report'
  | 'approval_after_report';

export interface ReportException {
  basis: ConsentException;
  /** The law or court order creating the duty; required for `legal_duty`. */
  citation?: string;
}

export interface ReportApproval {
  approvedBy: string;
  role: 'supervisor' | 'advocate';
  approvedAt: string;
  agencyId: string;
  report: ReportKind;
}

export interface ReportRequest {
  agencyId: string;
  report: ReportKind;
  victimIsMinor: boolean;
  imminentDanger: boolean;
  /** When the report would be made (ISO date-time): consent and approval must be in force then. */
  at: string;
  /** Staff member making the report: an approval must come from someone else. */
  requestedBy?: string;
  consent?: ConsentRecord;
  exception?: ReportException;
  approval?: ReportApproval;
}

export type ReportDecision =
  | { allowed: true; basis: 'consent' | 'exception' | 'consent_not_required'; exception?: ConsentException; approvedBy?: string }
  | { allowed: false; code: ReportRefusalCode; message: string };

const refuse = (code: ReportRefusalCode, message: string): ReportDecision => ({ allowed: false, code, message });

export function checkReportAllowed(rules: JurisdictionRules, request: ReportRequest): ReportDecision {
  const at = Date.parse(request.at);
  if (Number.isNaN(at)) throw new RangeError(`checkReportAllowed: "at" is not a date-time (${request.at})`);
  const agency = rules.agencies.find((candidate) => candidate.id === request.agencyId);
  if (!agency) return refuse('unknown_agency', `'${request.agencyId}' is not an agency of jurisdiction '${rules.id}'`);
  if (!agency.receives.includes(request.report)) {
    return refuse('agency_does_not_receive_report', `'${agency.id}' is not designated to receive '${request.report}' reports`);
  }
  if ((request.report === 'minor_trafficking' && !request.victimIsMinor) || (request.report === 'imminent_danger' && !request.imminentDanger)) {
    return refuse('report_does_not_fit_facts', `a '${request.report}' report needs the matching fact to be recorded`);
  }
  const policy = rules.policies.find((candidate) => candidate.agencyKind === agency.kind)!; // the schema guarantees one

  const authority = authorityFor(policy, agency, request, at);
  if (!authority.ok) return authority.refusal;

  const needsApproval = policy.supervisorApproval === 'always' || (policy.supervisorApproval === 'when_without_consent' && authority.basis !== 'consent');
  if (needsApproval) {
    const problem = approvalProblem(request, at);
    if (problem) return problem;
  }
  return {
    allowed: true,
    basis: authority.basis,
    ...(authority.exception ? { exception: authority.exception } : {}),
    ...(needsApproval ? { approvedBy: request.approval!.approvedBy } : {}),
  };
}

type Authority =
  | { ok: true; basis: 'consent' | 'exception' | 'consent_not_required'; exception?: ConsentException }
  | { ok: false; refusal: ReportDecision };

/** A valid consent wins; else a recognised exception; else the refusal for what was offered (exception first). */
function authorityFor(policy: ReportPolicy, agency: Agency, request: ReportRequest, at: number): Authority {
  if (!policy.requiresConsent) return { ok: true, basis: 'consent_not_required' };
  const consentProblem = request.consent ? consentProblemFor(request.consent, policy, agency, at) : undefined;
  if (request.consent && !consentProblem) return { ok: true, basis: 'consent' };
  if (request.exception) {
    const exceptionProblem = exceptionProblemFor(request.exception, policy, request);
    if (!exceptionProblem) return { ok: true, basis: 'exception', exception: request.exception.basis };
    return { ok: false, refusal: exceptionProblem };
  }
  return { ok: false, refusal: consentProblem ?? refuse('consent_required', `a report to '${agency.id}' needs the person's consent or a recognised exception`) };
}

function consentProblemFor(consent: ConsentRecord, policy: ReportPolicy, agency: Agency, at: number): ReportDecision | undefined {
  if (consent.disclosure !== 'report_to_authorities') return refuse('consent_not_for_reports', `consent '${consent.id}' covers '${consent.disclosure}', not a report to authorities`);
  if (consent.recipients !== 'any_designated_agency' && !consent.recipients.includes(agency.id)) {
    return refuse('consent_not_for_this_agency', `consent '${consent.id}' does not cover '${agency.id}'`);
  }
  if (!policy.acceptedConsentGivers.includes(consent.givenBy)) {
    return refuse('consent_from_wrong_person', `consent given by '${consent.givenBy}' is not accepted for reports to ${agency.kind}`);
  }
  if (Date.parse(consent.givenAt) > at) return refuse('consent_not_yet_given', `consent '${consent.id}' was given after the time of the report`);
  if (consent.withdrawnAt && Date.parse(consent.withdrawnAt) <= at) return refuse('consent_withdrawn', `consent '${consent.id}' was withdrawn`);
  if (consent.expiresAt && Date.parse(consent.expiresAt) <= at) return refuse('consent_expired', `consent '${consent.id}' has expired`);
  return undefined;
}

function exceptionProblemFor(exception: ReportException, policy: ReportPolicy, request: ReportRequest): ReportDecision | undefined {
  if (!policy.consentExceptions.includes(exception.basis)) {
    return refuse('exception_not_recognised', `this jurisdiction does not allow reports to ${policy.agencyKind} without consent on the basis '${exception.basis}'`);
  }
  if ((exception.basis === 'minor' && !request.victimIsMinor) || (exception.basis === 'imminent_danger' && !request.imminentDanger)) {
    return refuse('exception_facts_missing', `the '${exception.basis}' exception needs that fact to be recorded on the contact`);
  }
  if (exception.basis === 'legal_duty' && !exception.citation?.trim()) {
    return refuse('legal_duty_citation_required', 'a legal-duty exception must cite the law or order that creates the duty');
  }
  return undefined;
}

function approvalProblem(request: ReportRequest, at: number): ReportDecision | undefined {
  const approval = request.approval;
  if (!approval) return refuse('approval_required', 'this report needs a supervisor’s approval');
  if (approval.role !== 'supervisor') return refuse('approval_not_by_supervisor', 'the approval must come from a supervisor');
  if (request.requestedBy !== undefined && approval.approvedBy === request.requestedBy) {
    return refuse('approval_by_requester', 'the person making the report cannot approve it');
  }
  if (approval.agencyId !== request.agencyId || approval.report !== request.report) {
    return refuse('approval_for_other_report', 'the approval was given for another agency or report');
  }
  if (Date.parse(approval.approvedAt) > at) return refuse('approval_after_report', 'the approval is dated after the report');
  return undefined;
}

export interface RequiredReport {
  dutyId: string;
  report: ReportKind;
  agencyIds: string[];
  withinHours: number;
}

/** Reports the law requires for these facts (e.g. every minor to child protection within 24 hours). */
export function mandatoryReports(rules: JurisdictionRules, facts: { victimIsMinor: boolean; imminentDanger: boolean; levels: LevelsByType }): RequiredReport[] {
  const highLevel = levelRank(facts.levels.sex) >= levelRank('high') || levelRank(facts.levels.labour) >= levelRank('high');
  return rules.mandatoryReports
    .filter((duty) => (duty.when === 'victim_is_minor' && facts.victimIsMinor) || (duty.when === 'imminent_danger' && facts.imminentDanger) || (duty.when === 'trafficking_level_high' && highLevel))
    .map((duty) => ({
      dutyId: duty.id,
      report: duty.report,
      agencyIds: rules.agencies.filter((agency) => agency.kind === duty.agencyKind && agency.receives.includes(duty.report)).map((agency) => agency.id),
      withinHours: duty.withinHours,
    }));
}
