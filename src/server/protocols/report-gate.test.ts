import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from './consent.js';
import { consentRecordSchema } from './consent.js';
import { defaultJurisdiction } from './defaults/jurisdictions.js';
import { jurisdictionRulesSchema } from './jurisdiction.schema.js';
import { checkReportAllowed, mandatoryReports, type ReportRequest } from './report-gate.js';

const consentFirst = defaultJurisdiction('consent-first')!;
const strict = defaultJurisdiction('mandatory-reporting')!;
const at = '2025-06-01T12:00:00Z';
const consent: ConsentRecord = {
  id: 'c1', givenBy: 'victim', disclosure: 'report_to_authorities', recipients: ['police_partner'], givenAt: '2025-06-01T11:00:00Z',
  method: 'verbal', recordedBy: 'advocate-3',
};
const approval = { approvedBy: 'supervisor-1', role: 'supervisor' as const, approvedAt: '2025-06-01T11:30:00Z', agencyId: 'police_partner', report: 'adult_trafficking' as const };
const adultReport: ReportRequest = { agencyId: 'police_partner', report: 'adult_trafficking', victimIsMinor: false, imminentDanger: false, at, requestedBy: 'advocate-3' };

describe('checkReportAllowed — consent-first pack', () => {
  it('refuses a report about an adult without consent or exception', () => {
    expect(checkReportAllowed(consentFirst, adultReport)).toMatchObject({ allowed: false, code: 'consent_required' });
  });
  it('allows it with the adult’s consent, without supervisor approval', () => {
    expect(checkReportAllowed(consentFirst, { ...adultReport, consent })).toEqual({ allowed: true, basis: 'consent' });
  });
  it('refuses consents that do not cover this report', () => {
    const cases: [Partial<ConsentRecord>, string][] = [
      [{ disclosure: 'referral_to_services' }, 'consent_not_for_reports'],
      [{ recipients: ['labour_inspectorate'] }, 'consent_not_for_this_agency'],
      [{ givenBy: 'signaler' }, 'consent_from_wrong_person'],
      [{ givenAt: '2025-06-01T13:00:00Z' }, 'consent_not_yet_given'],
      [{ withdrawnAt: '2025-06-01T11:59:00Z' }, 'consent_withdrawn'],
      [{ expiresAt: '2025-06-01T12:00:00Z' }, 'consent_expired'],
    ];
    for (const [change, code] of cases) {
      expect(checkReportAllowed(consentFirst, { ...adultReport, consent: { ...consent, ...change } }), code).toMatchObject({ allowed: false, code });
    }
    expect(checkReportAllowed(consentFirst, { ...adultReport, consent: { ...consent, recipients: 'any_designated_agency' } })).toMatchObject({ allowed: true });
  });
  it('allows the minor exception only for a minor, and then requires a supervisor’s approval', () => {
    const minorReport: ReportRequest = { ...adultReport, report: 'minor_trafficking', victimIsMinor: true, exception: { basis: 'minor' } };
    expect(checkReportAllowed(consentFirst, minorReport)).toMatchObject({ allowed: false, code: 'approval_required' });
    const approved = { ...minorReport, approval: { ...approval, report: 'minor_trafficking' as const } };
    expect(checkReportAllowed(consentFirst, approved)).toEqual({ allowed: true, basis: 'exception', exception: 'minor', approvedBy: 'supervisor-1' });
    expect(checkReportAllowed(consentFirst, { ...adultReport, exception: { basis: 'minor' } })).toMatchObject({ allowed: false, code: 'exception_facts_missing' });
  });
  it('refuses bad approvals', () => {
    const dangerReport: ReportRequest = { ...adultReport, imminentDanger: true, exception: { basis: 'imminent_danger' } };
    const cases: [Partial<typeof approval>, string][] = [
      [{ role: 'advocate' } as never, 'approval_not_by_supervisor'],
      [{ approvedBy: 'advocate-3' }, 'approval_by_requester'],
      [{ agencyId: 'child_protection' }, 'approval_for_other_report'],
      [{ approvedAt: '2025-06-01T12:30:00Z' }, 'approval_after_report'],
    ];
    for (const [change, code] of cases) {
      expect(checkReportAllowed(consentFirst, { ...dangerReport, approval: { ...approval, ...change } }), code).toMatchObject({ allowed: false, code });
    }
    expect(checkReportAllowed(consentFirst, { ...dangerReport, approval })).toMatchObject({ allowed: true, basis: 'exception' });
  });
  it('requires a citation for a legal-duty exception, and refuses exceptions the policy does not list', () => {
    expect(checkReportAllowed(consentFirst, { ...adultReport, exception: { basis: 'legal_duty' }, approval })).toMatchObject({ code: 'legal_duty_citation_required' });
    expect(checkReportAllowed(consentFirst, { ...adultReport, exception: { basis: 'legal_duty', citation: 'Court order 2025-114' }, approval })).toMatchObject({ allowed: true });
    const inspection = { ...adultReport, agencyId: 'labour_inspectorate', imminentDanger: true, exception: { basis: 'imminent_danger' as const } };
    expect(checkReportAllowed(consentFirst, inspection)).toMatchObject({ allowed: false, code: 'exception_not_recognised' });
  });
  it('refuses unknown agencies, undesignated reports, and reports that do not fit the facts', () => {
    expect(checkReportAllowed(consentFirst, { ...adultReport, agencyId: 'journalist', consent })).toMatchObject({ code: 'unknown_agency' });
    expect(checkReportAllowed(consentFirst, { ...adultReport, agencyId: 'child_protection', consent })).toMatchObject({ code: 'agency_does_not_receive_report' });
    expect(checkReportAllowed(consentFirst, { ...adultReport, report: 'minor_trafficking', consent })).toMatchObject({ code: 'report_does_not_fit_facts' });
  });
  it('never allows a police report about an adult without consent or a fitting exception (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.boolean(), fc.option(fc.constantFrom('minor', 'imminent_danger', 'legal_duty') as fc.Arbitrary<'minor' | 'imminent_danger' | 'legal_duty'>), fc.option(fc.string()), fc.boolean(),
        (victimIsMinor, imminentDanger, basis, citation, hasApproval) => {
          const request: ReportRequest = {
            ...adultReport, victimIsMinor, imminentDanger,
            report: imminentDanger ? 'imminent_danger' : victimIsMinor ? 'minor_trafficking' : 'adult_trafficking',
            exception: basis ? { basis, citation: citation ?? undefined } : undefined,
          };
          if (hasApproval) request.approval = { ...approval, report: request.report };
          const decision = checkReportAllowed(consentFirst, request);
          if (!decision.allowed) return;
          expect(decision.basis).toBe('exception');
          expect(hasApproval).toBe(true);
          const fits = (basis === 'minor' && victimIsMinor) || (basis === 'imminent_danger' && imminentDanger) || (basis === 'legal_duty' && !!citation?.trim());
          expect(fits).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('checkReportAllowed — mandatory-reporting pack', () => {
  it('sends adult trafficking to police without consent, but never without supervisor approval', () => {
    expect(checkReportAllowed(strict, adultReport)).toMatchObject({ allowed: false, code: 'approval_required' });
    expect(checkReportAllowed(strict, { ...adultReport, approval })).toEqual({ allowed: true, basis: 'consent_not_required', approvedBy: 'supervisor-1' });
    expect(checkReportAllowed(strict, { ...adultReport, consent, approval: undefined })).toMatchObject({ code: 'approval_required' });
  });
  it('still needs consent for the labour inspectorate', () => {
    expect(checkReportAllowed(strict, { ...adultReport, agencyId: 'labour_inspectorate', approval: { ...approval, agencyId: 'labour_inspectorate' } })).toMatchObject({ code: 'consent_required' });
  });
});

describe('mandatory reports and schemas', () => {
  it('lists the duties that apply to the facts', () => {
    const levels = { sex: 'none' as const, labour: 'high' as const };
    expect(mandatoryReports(consentFirst, { victimIsMinor: true, imminentDanger: false, levels })).toEqual([
      { dutyId: 'minor_to_child_protection', report: 'minor_trafficking', agencyIds: ['child_protection'], withinHours: 24 },
    ]);
    expect(mandatoryReports(consentFirst, { victimIsMinor: false, imminentDanger: true, levels })).toEqual([]);
    expect(mandatoryReports(strict, { victimIsMinor: false, imminentDanger: true, levels }).map((r) => r.dutyId)).toEqual(['danger_to_police', 'likely_trafficking_to_police']);
  });
  it('refuses a consent withdrawn before it was given, and a jurisdiction with an agency kind without policy', () => {
    expect(consentRecordSchema.safeParse({ ...consent, withdrawnAt: '2025-06-01T10:00:00Z' }).success).toBe(false);
    const broken = { ...consentFirst, policies: consentFirst.policies.filter((p) => p.agencyKind !== 'labour_inspection') };
    const parsed = jurisdictionRulesSchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain("no reporting policy for agencies of kind 'labour_inspection'");
  });
});
