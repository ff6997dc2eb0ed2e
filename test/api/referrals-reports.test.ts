import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';

// Issue 6: "Reports to law enforcement are referrals to an agency that follow the jurisdiction rules of the assessment
// issue." The default rules (consent-first) name the agencies police_partner, child_protection, labour_inspectorate.

const cli = { id: null, label: 'test' };
const ids = (n: number) => ({ org: `a2000000-0000-4000-8000-00000000000${n}`, svc: `b2000000-0000-4000-8000-00000000000${n}` });
const service = (n: number, name: string, orgName: string) => ({
  id: ids(n).svc, name, status: 'active',
  organization: { id: ids(n).org, name: orgName, description: name },
  service_areas: [{ id: `e2000000-0000-4000-8000-00000000000${n}`, name: 'CA-ON', extent: 'CA-ON' }],
  schedules: [{ id: `92000000-0000-4000-8000-00000000000${n}`, opens_at: '00:00', closes_at: '23:59' }],
});
const POLICE = ids(1);
const OTHER_UNIT = ids(2);

let server: TestServer;
let number: string;
let admin: ApiClient;
let advocate: ApiClient;
let supervisor: ApiClient;
let phone = 5550600;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  const imported = await importDirectory(server.db, server.hotline.id, collectJson({ services: [service(1, 'Human Trafficking Unit', 'Provincial Police'), service(2, 'Vice Squad', 'City Police')] }), cli);
  expect(imported.rejected).toEqual([]);
  await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, POLICE.svc, ['law_enforcement']));
  await setPartnerProfile(server.db, server.hotline.id, POLICE.org, { vettingStatus: 'vetted' }, cli);
});
afterAll(() => server?.close());

/** An SMS contact claimed by the advocate, a case from it with a potential victim, and a consent of `disclosure`. */
async function caseWithPerson(disclosure: 'report_to_authorities' | 'referral_to_services' | null, onCase = true) {
  const sms = await postSms(server.url, { MessageSid: messageSid(), From: `+1514${phone++}`, To: number, Body: 'they took my passport' });
  expect(sms.status).toBe(200);
  const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocate.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
  let caseId = '';
  let personId = '';
  if (onCase) {
    const created = await advocate.post('/api/cases', { title: 'Farm workers, Leamington', traffickingTypes: ['labour'], fromContactId: contactId });
    expect(created.status).toBe(201);
    caseId = created.body.case.id;
    const person = await advocate.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'Rosa', familyNames: 'Mamani', phones: ['+1 519 555 0142'] }, ageRange: '25_34', gender: 'female' });
    personId = person.body.case.people[0].id;
  }
  let consentId = '';
  if (disclosure) {
    const recorded = await advocate.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure, recipients: disclosure === 'report_to_authorities' ? ['police_partner'] : 'any_designated_agency', method: 'verbal' });
    expect(recorded.status).toBe(201);
    consentId = recorded.body.consent.id;
  }
  return { contactId, caseId, personId, consentId };
}

describe('marking a directory organisation as a reporting agency', () => {
  it('is for admins, names an agency of the reporting rules, and one organisation per agency', async () => {
    expect((await advocate.patch(`/api/directory/organizations/${POLICE.org}`, { reportingAgencyId: 'police_partner' })).status).toBe(403);
    const unknown = await admin.patch(`/api/directory/organizations/${POLICE.org}`, { reportingAgencyId: 'interpol' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'validation_failed']);
    expect(unknown.body.error.message).toContain('interpol');
    const saved = await admin.patch(`/api/directory/organizations/${POLICE.org}`, { reportingAgencyId: 'police_partner', reviewDueOn: '2027-03-01' });
    expect(saved.status).toBe(200);
    expect(saved.body.partner).toMatchObject({ reportingAgencyId: 'police_partner', reviewDueOn: '2027-03-01', vettingStatus: 'vetted' });
    const twice = await admin.patch(`/api/directory/organizations/${OTHER_UNIT.org}`, { reportingAgencyId: 'police_partner' });
    expect(twice.status).toBe(409);
    const audit = await server.db.selectFrom('audit_log').select('details').where('action', '=', 'directory.partner.update').where('record_id', '=', POLICE.org).execute();
    expect(audit.map((a) => (a.details as { reportingAgencyId?: string }).reportingAgencyId)).toContain('police_partner');
  });
});

describe('a report to the police is a referral that follows the reporting rules', () => {
  it('refuses an ordinary referral to the police unit, even with a consent to services', async () => {
    const c = await caseWithPerson('referral_to_services');
    const refused = await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [POLICE.svc], needs: ['law_enforcement'], consentId: c.consentId });
    expect([refused.status, refused.body.error.reason]).toEqual([403, 'report_required']);
    expect(await server.db.selectFrom('referral').select('id').where('case_id', '=', c.caseId).execute()).toEqual([]);
  });

  it('sends a consented report as a referral to the unit: link, only the chosen fields, acknowledgement and outcome on the case timeline', async () => {
    const c = await caseWithPerson('report_to_authorities');
    const requested = await advocate.post(`/api/contacts/${c.contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: c.consentId });
    expect(requested.body.report).toMatchObject({ status: 'approved', basis: 'consent' });
    const reportId = requested.body.report.id;

    const delivery = await advocate.get(`/api/reports/${reportId}/delivery`);
    expect(delivery.status).toBe(200);
    expect(delivery.body.agency).toEqual({ organizationId: POLICE.org, organizationName: 'Provincial Police' });
    expect(delivery.body.cases.map((k: { id: string }) => k.id)).toEqual([c.caseId]);

    const sent = await advocate.post(`/api/reports/${reportId}/send`, { personId: c.personId, fields: ['given_names', 'phone', 'message'], message: 'Workers housed at the farm on Road 3.' });
    expect(sent.status).toBe(200);
    expect(sent.body.report.status).toBe('sent');
    expect(sent.body.referralSkipped).toBeNull();
    expect(sent.body.referral).toMatchObject({ organizationName: 'Provincial Police', serviceName: 'Human Trafficking Unit' });
    const row = await server.db.selectFrom('referral').selectAll().where('id', '=', sent.body.referral.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_id: c.caseId, report_id: reportId, consent_id: null, status: 'sent', shared_fields: ['given_names', 'phone', 'message'] });
    expect(row.shared_data.toString('latin1')).not.toContain('Rosa');

    // The unit opens its link: a report (its kind), the chosen fields, nothing else.
    const token = sent.body.referral.link.split('#')[1];
    const unit = new ApiClient(server.app);
    const view = await unit.post('/api/partner/referral', { token });
    expect(view.status).toBe(200);
    expect(view.body.referral).toMatchObject({ isReport: true, consentActive: true, organizationName: 'Provincial Police' });
    expect(view.body.referral.shared).toEqual({ report: 'adult_trafficking', given_names: 'Rosa', phone: '+1 519 555 0142', message: 'Workers housed at the farm on Road 3.' });
    expect((await unit.post('/api/partner/referral/respond', { token, decision: 'accept' })).status).toBe(200);
    expect((await unit.post('/api/partner/referral/outcome', { token, outcome: 'contacted', note: 'Met her with an interpreter' })).status).toBe(200);

    const listed = await advocate.get(`/api/referrals?caseId=${c.caseId}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ reportId, status: 'accepted', outcome: 'contacted' })]);
    const timeline = await server.db.selectFrom('case_event').select(['kind', 'data']).where('case_id', '=', c.caseId).where('kind', 'like', 'referral%').orderBy('at').execute();
    expect(timeline.map((e) => e.kind)).toEqual(['referral_sent', 'referral_accepted', 'referral_outcome']);
    expect(timeline[0].data).toMatchObject({ reportId });
    const audit = await server.db.selectFrom('audit_log').select('details').where('action', '=', 'report.send').where('record_id', '=', reportId).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ referralId: sent.body.referral.id, basis: 'consent' });
  });

  it('stops showing the person once the consent behind the report is withdrawn, and refuses to accept it', async () => {
    const c = await caseWithPerson('report_to_authorities');
    const requested = await advocate.post(`/api/contacts/${c.contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: c.consentId });
    const sent = await advocate.post(`/api/reports/${requested.body.report.id}/send`, { personId: c.personId, fields: ['given_names'] });
    const token = sent.body.referral.link.split('#')[1];
    expect((await advocate.post(`/api/consents/${c.consentId}/withdraw`)).status).toBe(200);
    const view = await new ApiClient(server.app).post('/api/partner/referral', { token });
    expect(view.body.referral).toMatchObject({ consentActive: false, shared: null });
    expect((await new ApiClient(server.app).post('/api/partner/referral/respond', { token, decision: 'accept' })).status).toBe(409);
  });

  it('sends a report made on an exception (a minor) after approval, with no consent behind the referral', async () => {
    const c = await caseWithPerson(null);
    await server.db.updateTable('contact').set({ flags: JSON.stringify({ minor: true }) as never }).where('id', '=', c.contactId).execute();
    const requested = await advocate.post(`/api/contacts/${c.contactId}/reports`, { agencyId: 'police_partner', report: 'minor_trafficking', exception: { basis: 'minor' } });
    expect(requested.body.report).toMatchObject({ status: 'requested', basis: 'exception' });
    const early = await advocate.post(`/api/reports/${requested.body.report.id}/send`);
    expect([early.status, early.body.error.reason]).toEqual([403, 'approval_required']);
    expect(await server.db.selectFrom('referral').select('id').where('case_id', '=', c.caseId).execute()).toEqual([]);
    expect((await supervisor.post(`/api/reports/${requested.body.report.id}/approve`)).status).toBe(200);
    const sent = await advocate.post(`/api/reports/${requested.body.report.id}/send`);
    expect(sent.status).toBe(200);
    const view = await new ApiClient(server.app).post('/api/partner/referral', { token: sent.body.referral.link.split('#')[1] });
    expect(view.body.referral).toMatchObject({ isReport: true, consentActive: true, shared: { report: 'minor_trafficking' } });
  });

  it('records a report to an agency outside the directory as sent, and says why no referral was made', async () => {
    const c = await caseWithPerson(null);
    await server.db.updateTable('contact').set({ flags: JSON.stringify({ minor: true }) as never }).where('id', '=', c.contactId).execute();
    const requested = await advocate.post(`/api/contacts/${c.contactId}/reports`, { agencyId: 'child_protection', report: 'minor_trafficking' });
    expect(requested.status).toBe(201);
    expect((await supervisor.post(`/api/reports/${requested.body.report.id}/approve`)).status).toBe(200);
    expect((await advocate.get(`/api/reports/${requested.body.report.id}/delivery`)).body.agency).toBeNull();
    const sent = await advocate.post(`/api/reports/${requested.body.report.id}/send`);
    expect(sent.body).toMatchObject({ report: { status: 'sent' }, referral: null, referralSkipped: 'agency_not_in_directory' });
  });

  it('records a report on a contact that is on no case as sent, and stores nothing when the chosen case or person is wrong', async () => {
    const alone = await caseWithPerson('report_to_authorities', false);
    const report = await advocate.post(`/api/contacts/${alone.contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: alone.consentId });
    const other = await caseWithPerson('report_to_authorities');
    const wrongCase = await advocate.post(`/api/reports/${report.body.report.id}/send`, { caseId: other.caseId });
    expect([wrongCase.status, wrongCase.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await server.db.selectFrom('report').select('status').where('id', '=', report.body.report.id).executeTakeFirstOrThrow()).status).toBe('approved');
    const sent = await advocate.post(`/api/reports/${report.body.report.id}/send`);
    expect(sent.body).toMatchObject({ report: { status: 'sent' }, referral: null, referralSkipped: 'contact_not_on_case' });

    const onCase = await advocate.post(`/api/contacts/${other.contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: other.consentId });
    const strangerPerson = await advocate.post(`/api/reports/${onCase.body.report.id}/send`, { personId: alone.contactId, fields: ['given_names'] });
    expect([strangerPerson.status, strangerPerson.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await server.db.selectFrom('report').select('status').where('id', '=', onCase.body.report.id).executeTakeFirstOrThrow()).status).toBe('approved');
    expect(await server.db.selectFrom('referral').select('id').where('case_id', '=', other.caseId).execute()).toEqual([]);
    const badBody = await advocate.post(`/api/reports/${onCase.body.report.id}/send`, { fields: ['given_names'] });
    expect([badBody.status, badBody.body.error.code]).toEqual([400, 'validation_failed']);
  });
});
