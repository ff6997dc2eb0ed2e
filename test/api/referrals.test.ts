import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';
import { runDueReferralJobs } from '../../src/server/referrals/jobs.js';

const cli = { id: null, label: 'test' };
const ids = (n: number) => ({ org: `a1000000-0000-4000-8000-00000000000${n}`, svc: `b1000000-0000-4000-8000-00000000000${n}`, loc: `c1000000-0000-4000-8000-00000000000${n}`, sal: `d1000000-0000-4000-8000-00000000000${n}` });
const service = (n: number, name: string, extent: string, lat: number, lon: number) => ({
  id: ids(n).svc, name, status: 'active',
  organization: { id: ids(n).org, name: `${name} Society`, description: name },
  service_areas: [{ id: `e1000000-0000-4000-8000-00000000000${n}`, name: extent, extent }],
  languages: [{ id: `f1000000-0000-4000-8000-00000000000${n}`, code: 'es', name: 'Spanish' }],
  schedules: [{ id: `91000000-0000-4000-8000-00000000000${n}`, opens_at: '00:00', closes_at: '23:59' }],
  service_at_locations: [{ id: ids(n).sal, location: { id: ids(n).loc, location_type: 'physical', name, latitude: lat, longitude: lon } }],
});
const SHELTER = ids(1);
const LEGAL = ids(2);
const UNVETTED = ids(3);

let server: TestServer;
let number: string;
let advocate: ApiClient;
let colleague: ApiClient;
let supervisor: ApiClient;
let partnerUser: ApiClient;
let analyst: ApiClient;
let outsider: ApiClient;
let phone = 5550400;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  colleague = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  partnerUser = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'] }));
  analyst = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['analyst'] }));
  const other = await server.addHotline(`o${Date.now().toString(36)}`);
  outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor', 'advocate'] }));

  const report = await importDirectory(server.db, server.hotline.id, collectJson({ services: [service(1, 'Casa Segura Shelter', 'CA-ON', 43.65, -79.38), service(2, 'Ontario Legal Aid', 'CA-ON', 45.42, -75.69), service(3, 'New Shelter', 'CA-ON', 43.7, -79.4)] }), cli);
  expect(report.rejected).toEqual([]);
  await server.db.transaction().execute(async (tx) => {
    await tagServiceNeeds(tx, server.hotline.id, SHELTER.svc, ['shelter']);
    await tagServiceNeeds(tx, server.hotline.id, LEGAL.svc, ['legal']);
    await tagServiceNeeds(tx, server.hotline.id, UNVETTED.svc, ['shelter']);
  });
  await setPartnerProfile(server.db, server.hotline.id, SHELTER.org, { vettingStatus: 'vetted', reviewDueOn: '2027-06-01', accepts: { men: true, minors: false } }, cli);
  await setPartnerProfile(server.db, server.hotline.id, LEGAL.org, { vettingStatus: 'vetted' }, cli);
});
afterAll(() => server?.close());

/** An SMS contact claimed by the advocate, a case opened from it with a potential victim, and (optionally) a consent. */
async function caseWithPerson(consent: { disclosure?: string; recipients?: unknown } | null = {}) {
  const sms = await postSms(server.url, { MessageSid: messageSid(), From: `+1514${phone++}`, To: number, Body: 'necesito un lugar seguro' });
  expect(sms.status).toBe(200);
  const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocate.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
  const created = await advocate.post('/api/cases', { title: 'Trabajadora doméstica, Toronto', traffickingTypes: ['labour'], fromContactId: contactId });
  expect(created.status).toBe(201);
  const caseId = created.body.case.id as string;
  const person = await advocate.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'Marisol', familyNames: 'Quispe Huamán', phones: ['+1 416 555 0199'], emails: ['marisol@example.org'], languages: ['es'] }, ageRange: '25_34', gender: 'female' });
  const personId = person.body.case.people[0].id as string;
  let consentId = '';
  if (consent) {
    const recorded = await advocate.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: consent.disclosure ?? 'referral_to_services', recipients: consent.recipients ?? 'any_designated_agency', method: 'verbal', scopeNote: 'first name and phone for the shelter' });
    expect(recorded.status).toBe(201);
    consentId = recorded.body.consent.id;
  }
  return { contactId, caseId, personId, consentId };
}

const tokenOf = (link: string) => link.split('#')[1];
const partner = () => new ApiClient(server.app); // a browser with no session at all

async function refer(overrides: Record<string, unknown> = {}) {
  const c = await caseWithPerson();
  const response = await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [SHELTER.svc], needs: ['shelter'], consentId: c.consentId, personId: c.personId, fields: ['given_names', 'phone', 'languages', 'message'], message: 'Needs a bed tonight; call after 6 pm.', areaCode: 'CA-ON-TOR', ...overrides });
  expect(response.status).toBe(201);
  return { ...c, referral: response.body.referrals[0], token: tokenOf(response.body.referrals[0].link) };
}

describe('directory search for staff', () => {
  it('ranks vetted partners for a need with reasons, vetting status and review date, and counts unmet needs', async () => {
    const found = await advocate.get('/api/directory/search?needs=shelter&areaCode=CA-ON-TOR&language=es&men=true');
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: any) => i.serviceId)).toEqual([SHELTER.svc]);
    const codes = found.body.items[0].reasons.map((r: any) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['need', 'covers_area', 'open_now', 'speaks_language', 'accepts', 'vetted']));
    expect(found.body.items[0]).toMatchObject({ vettingStatus: 'vetted', reviewDueOn: '2027-06-01' });
    // Minors are refused by the shelter: no match, which counts as an unmet need in that area.
    expect((await advocate.get('/api/directory/search?needs=shelter&areaCode=CA-ON-TOR&minors=true')).body.items).toEqual([]);
    expect((await advocate.get('/api/directory/search?needs=shelter&includeUnvetted=true')).body.items.map((i: any) => i.serviceId)).toContain(UNVETTED.svc);
    const metrics = await supervisor.get('/api/referrals/metrics');
    expect(metrics.body.unmetNeeds).toEqual(expect.arrayContaining([expect.objectContaining({ need: 'shelter', areaCode: 'CA-ON-TOR', searches: 1 })]));
    expect(metrics.body.needsWithoutPartner).toContain('medical');
    expect(metrics.body.needsWithoutPartner).not.toContain('shelter');
  });

  it('shows a partner profile without staff contacts, and keeps other hotlines out', async () => {
    const profile = await advocate.get(`/api/directory/organizations/${SHELTER.org}`);
    expect(profile.status).toBe(200);
    expect(profile.body.partner).toMatchObject({ name: 'Casa Segura Shelter Society', vettingStatus: 'vetted', reviewDueOn: '2027-06-01', accepts: { men: true, minors: false } });
    expect(profile.body.partner.services[0]).toMatchObject({ id: SHELTER.svc, needs: ['shelter'] });
    expect((await outsider.get(`/api/directory/organizations/${SHELTER.org}`)).status).toBe(404);
    expect((await outsider.get('/api/directory/search?needs=shelter')).body.items).toEqual([]);
    expect((await partnerUser.get('/api/directory/search?needs=shelter')).status).toBe(403);
  });
});

describe('closed-loop referral', () => {
  it('refers a case, the partner accepts and reports an outcome through the link, and every step is on the timeline and in the audit', async () => {
    const { caseId, referral, token } = await refer();
    expect(referral.link).toMatch(/^\/partner\/referral#[A-Za-z0-9_-]{43}$/);

    // The partner's page: only the chosen fields, no session needed.
    const view = await partner().post('/api/partner/referral', { token });
    expect(view.status).toBe(200);
    expect(view.headers['cache-control']).toBe('no-store');
    expect(view.body.referral).toMatchObject({ status: 'sent', serviceName: 'Casa Segura Shelter', needs: ['shelter'], consentActive: true, shared: { given_names: 'Marisol', phone: '+1 416 555 0199', languages: 'es', message: 'Needs a bed tonight; call after 6 pm.' } });
    expect(Object.keys(view.body.referral.shared).sort()).toEqual(['given_names', 'languages', 'message', 'phone']);
    const text = JSON.stringify(view.body);
    for (const secret of ['Quispe', 'marisol@example.org', 'Trabajadora', '25_34', 'female']) expect(text).not.toContain(secret);

    const accepted = await partner().post('/api/partner/referral/respond', { token, decision: 'accept', note: 'Bed reserved' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.referral.status).toBe('accepted');
    // Answering twice is refused.
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'decline' })).status).toBe(409);

    expect((await partner().post('/api/partner/referral/outcome', { token, outcome: 'contacted' })).body.referral.status).toBe('accepted');
    const closed = await partner().post('/api/partner/referral/outcome', { token, outcome: 'services_provided', note: 'Staying with us' });
    expect(closed.status).toBe(200);
    expect(closed.body.referral).toMatchObject({ status: 'closed', outcome: 'services_provided' });
    // A closed loop spends the link.
    expect((await partner().post('/api/partner/referral', { token })).status).toBe(404);

    const read = await advocate.get(`/api/referrals/${referral.id}`);
    expect(read.body.referral).toMatchObject({ status: 'closed', outcome: 'services_provided', responseNote: 'Bed reserved', outcomeNote: 'Staying with us', shared: { given_names: 'Marisol' } });
    const list = await advocate.get(`/api/referrals?caseId=${caseId}`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ status: 'closed', overdue: false, caseReference: expect.stringMatching(/^K-\d+$/) });

    const timeline = (await advocate.get(`/api/cases/${caseId}`)).body.case.timeline.map((e: any) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['referral_sent', 'referral_accepted', 'referral_outcome']));
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label']).where('record_id', '=', referral.id).orderBy('at').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['referral.create', 'referral.partner_view', 'referral.accept', 'referral.outcome', 'referral.read']));
    expect(audit.find((a) => a.action === 'referral.accept')!.actor_label).toBe('partner link');

    // Encrypted at rest; only the token's hash is stored.
    const raw = await server.db.selectFrom('referral').select(['shared_data', 'token_hash', 'outcome_note']).where('id', '=', referral.id).executeTakeFirstOrThrow();
    expect(raw.shared_data.toString('latin1')).not.toContain('Marisol');
    expect(raw.outcome_note!.toString('latin1')).not.toContain('Staying');
    expect(raw.token_hash.toString('latin1')).not.toContain(token);
    expect(raw.token_hash).toHaveLength(32);
  });

  it('refuses a referral without a consent to referral to services covering the partner', async () => {
    const none = await caseWithPerson(null);
    const body = { serviceIds: [SHELTER.svc], needs: ['shelter'], fields: [] };
    const refused = await advocate.post(`/api/cases/${none.caseId}/referrals`, { ...body, consentId: '00000000-0000-4000-8000-000000000000' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toBe('consent_required');

    const police = await caseWithPerson({ disclosure: 'report_to_authorities' });
    expect((await advocate.post(`/api/cases/${police.caseId}/referrals`, { ...body, consentId: police.consentId })).status).toBe(403);

    const legalOnly = await caseWithPerson({ recipients: [LEGAL.org] });
    expect((await advocate.post(`/api/cases/${legalOnly.caseId}/referrals`, { ...body, consentId: legalOnly.consentId })).body.error.reason).toBe('consent_required');
    expect((await advocate.post(`/api/cases/${legalOnly.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['legal'], fields: [], consentId: legalOnly.consentId })).status).toBe(201);

    // A consent on another case's contact does not open this case.
    const other = await caseWithPerson();
    expect((await advocate.post(`/api/cases/${none.caseId}/referrals`, { ...body, consentId: other.consentId })).status).toBe(403);

    const withdrawn = await caseWithPerson();
    expect((await advocate.post(`/api/consents/${withdrawn.consentId}/withdraw`)).status).toBe(200);
    expect((await advocate.post(`/api/cases/${withdrawn.caseId}/referrals`, { ...body, consentId: withdrawn.consentId })).status).toBe(403);
    expect(await server.db.selectFrom('referral').select('id').where('case_id', 'in', [none.caseId, police.caseId, withdrawn.caseId]).execute()).toEqual([]);
  });

  it('hides what was shared once consent is withdrawn, and then refuses acceptance', async () => {
    const { consentId, token } = await refer();
    expect((await advocate.post(`/api/consents/${consentId}/withdraw`)).status).toBe(200);
    const view = await partner().post('/api/partner/referral', { token });
    expect(view.body.referral).toMatchObject({ consentActive: false, shared: null });
    expect(JSON.stringify(view.body)).not.toContain('Marisol');
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'accept' })).status).toBe(409);
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'decline' })).status).toBe(200);
  });

  it('shares only the chosen fields, and asks for the person and message it needs', async () => {
    const c = await caseWithPerson();
    const nothing = await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['legal'], consentId: c.consentId, fields: [] });
    expect(nothing.status).toBe(201);
    const view = await partner().post('/api/partner/referral', { token: tokenOf(nothing.body.referrals[0].link) });
    expect(view.body.referral.shared).toEqual({});
    expect((await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['legal'], consentId: c.consentId, fields: ['phone'] })).status).toBe(400);
    expect((await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['legal'], consentId: c.consentId, fields: ['message'] })).status).toBe(400);
    expect((await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['legal'], consentId: c.consentId, fields: ['case_title'] })).status).toBe(400);
    // Not a vetted partner matching the need: refused.
    expect((await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [UNVETTED.svc], needs: ['shelter'], consentId: c.consentId, fields: [] })).status).toBe(400);
    expect((await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [LEGAL.svc], needs: ['shelter'], consentId: c.consentId, fields: [] })).status).toBe(400);
  });

  it('refers to several partners at once, each with its own link', async () => {
    const c = await caseWithPerson();
    const both = await advocate.post(`/api/cases/${c.caseId}/referrals`, { serviceIds: [SHELTER.svc, LEGAL.svc], needs: ['shelter', 'legal'], consentId: c.consentId, fields: [] });
    expect(both.status).toBe(201);
    expect(both.body.referrals).toHaveLength(2);
    const [a, b] = both.body.referrals.map((r: any) => tokenOf(r.link));
    expect(a).not.toBe(b);
    expect((await partner().post('/api/partner/referral', { token: a })).body.referral.serviceName).toBe('Casa Segura Shelter');
    expect((await partner().post('/api/partner/referral', { token: b })).body.referral.serviceName).toBe('Ontario Legal Aid');
  });
});

describe('partner links', () => {
  it('refuses an expired link, a replaced link, a guessed link and a cancelled referral', async () => {
    const { referral, token } = await refer();
    await server.db.updateTable('referral').set({ token_expires_at: new Date(Date.now() - 1000) }).where('id', '=', referral.id).execute();
    expect((await partner().post('/api/partner/referral', { token })).status).toBe(404);
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'accept' })).status).toBe(404);

    const renewed = await advocate.post(`/api/referrals/${referral.id}/link`, {});
    expect(renewed.status).toBe(200);
    const fresh = tokenOf(renewed.body.link);
    expect((await partner().post('/api/partner/referral', { token: fresh })).status).toBe(200);
    const again = await advocate.post(`/api/referrals/${referral.id}/link`, { linkValidDays: 3 });
    expect((await partner().post('/api/partner/referral', { token: fresh })).status).toBe(404); // replaced: the old link is dead
    const latest = tokenOf(again.body.link);
    expect((await partner().post('/api/partner/referral', { token: latest.slice(0, -2) + (latest.endsWith('AA') ? 'BB' : 'AA') })).status).toBe(404);

    expect((await advocate.post(`/api/referrals/${referral.id}/cancel`)).body.referral.status).toBe('cancelled');
    expect((await partner().post('/api/partner/referral', { token: latest })).status).toBe(404);
    const kinds = (await advocate.get(`/api/cases/${referral.caseId ?? (await server.db.selectFrom('referral').select('case_id').where('id', '=', referral.id).executeTakeFirstOrThrow()).case_id}`)).body.case.timeline.map((e: any) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['referral_link_reissued', 'referral_cancelled']));
  });

  it('refuses an outcome before acceptance, and a decline spends the link', async () => {
    const { token } = await refer();
    expect((await partner().post('/api/partner/referral/outcome', { token, outcome: 'services_provided' })).status).toBe(409);
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'decline', note: 'Full this week' })).body.referral.status).toBe('declined');
    expect((await partner().post('/api/partner/referral', { token })).status).toBe(404);
  });
});

describe('reminders, escalation and warm transfer', () => {
  it('reminds, then escalates a referral the partner has not answered, once, from job rows', async () => {
    const { caseId, referral, token } = await refer({ acknowledgeWithinHours: 4 });
    const soon = new Date(Date.now() + 2 * 3_600_000 + 60_000);
    const first = (await runDueReferralJobs(server.db, soon)).filter((j) => j.referralId === referral.id);
    expect(first).toEqual([expect.objectContaining({ kind: 'ack_reminder', result: 'reminded' })]);
    expect((await runDueReferralJobs(server.db, soon)).filter((j) => j.referralId === referral.id)).toEqual([]);
    const late = new Date(Date.now() + 4 * 3_600_000 + 60_000);
    expect((await runDueReferralJobs(server.db, late)).filter((j) => j.referralId === referral.id)).toEqual([expect.objectContaining({ kind: 'ack_escalation', result: 'escalated' })]);
    const overdue = await advocate.get('/api/referrals?overdue=true');
    expect(overdue.body.items.map((r: any) => r.id)).not.toContain(referral.id); // overdue is by the real clock: not yet
    await server.db.updateTable('referral').set({ ack_due_at: new Date(Date.now() - 1000) }).where('id', '=', referral.id).execute();
    const nowOverdue = await advocate.get('/api/referrals?overdue=true');
    expect(nowOverdue.body.items.find((r: any) => r.id === referral.id)).toMatchObject({ overdue: true, escalatedAt: late.toISOString() });
    const kinds = (await advocate.get(`/api/cases/${caseId}`)).body.case.timeline.map((e: any) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['referral_reminder', 'referral_escalated']));
    expect((await server.db.selectFrom('audit_log').select('action').where('record_id', '=', referral.id).where('action', '=', 'referral.escalate').execute())).toHaveLength(1);

    // Answered now: the outcome reminder is scheduled, and acknowledgement jobs would have been no-ops.
    expect((await partner().post('/api/partner/referral/respond', { token, decision: 'accept' })).status).toBe(200);
    // (The link email is a job of its own, link-email.ts, tested in referrals-email.test.ts.)
    const jobs = await server.db.selectFrom('referral_job').select(['kind', 'done_at']).where('referral_id', '=', referral.id).where('kind', '<>', 'email_link').orderBy('run_at').execute();
    expect(jobs.map((j) => [j.kind, j.done_at !== null])).toEqual([['ack_reminder', true], ['ack_escalation', true], ['outcome_reminder', false]]);
  });

  it('closes a job as not needed when the partner answered in time', async () => {
    const { referral, token } = await refer({ acknowledgeWithinHours: 2 });
    await partner().post('/api/partner/referral/respond', { token, decision: 'accept' });
    const ran = (await runDueReferralJobs(server.db, new Date(Date.now() + 3 * 3_600_000))).filter((j) => j.referralId === referral.id);
    expect(ran.map((j) => j.result)).toEqual(['not_needed', 'not_needed']);
    const row = await server.db.selectFrom('referral').select(['escalated_at', 'reminded_at']).where('id', '=', referral.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ escalated_at: null, reminded_at: null });
  });

  it('records a warm transfer with its times on the referral and the timeline', async () => {
    const { caseId, referral } = await refer();
    const startedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const endedAt = new Date(Date.now() - 2 * 60_000).toISOString();
    const recorded = await advocate.post(`/api/referrals/${referral.id}/warm-transfer`, { startedAt, endedAt });
    expect(recorded.status).toBe(200);
    expect(recorded.body.referral.warmTransfer).toMatchObject({ startedAt, endedAt });
    expect((await advocate.post(`/api/referrals/${referral.id}/warm-transfer`, { startedAt: endedAt, endedAt: startedAt })).status).toBe(400);
    const event = (await advocate.get(`/api/cases/${caseId}`)).body.case.timeline.find((e: any) => e.kind === 'referral_warm_transfer');
    expect(event.data).toMatchObject({ referralId: referral.id, startedAt, endedAt });
  });
});

describe('metrics', () => {
  it('counts referrals per partner and need, acceptance, time to acknowledge and outcomes', async () => {
    const metrics = await supervisor.get('/api/referrals/metrics');
    expect(metrics.status).toBe(200);
    const shelter = metrics.body.byPartnerAndNeed.find((m: any) => m.organizationId === SHELTER.org && m.need === 'shelter');
    expect(shelter.made).toBeGreaterThanOrEqual(8);
    expect(shelter.accepted).toBeGreaterThanOrEqual(3);
    expect(shelter.declined).toBeGreaterThanOrEqual(2);
    expect(shelter.acceptanceRate).toBeCloseTo(shelter.accepted / (shelter.accepted + shelter.declined), 3);
    expect(shelter.medianHoursToAcknowledge).toBeGreaterThanOrEqual(0);
    expect(shelter.outcomes.services_provided).toBe(1);
    expect((await analyst.get('/api/referrals/metrics')).status).toBe(200);
    expect((await advocate.get('/api/referrals/metrics')).status).toBe(403);
    expect((await outsider.get('/api/referrals/metrics')).body.byPartnerAndNeed).toEqual([]);
  });
});

describe('permissions and tenant isolation', () => {
  it('keeps referrals to people who may read the case, and changes to people who may change it', async () => {
    const { referral } = await refer();
    expect((await supervisor.get(`/api/referrals/${referral.id}`)).status).toBe(200);
    expect((await colleague.get(`/api/referrals/${referral.id}`)).status).toBe(200); // a normal case: advocates read it
    expect((await colleague.post(`/api/referrals/${referral.id}/cancel`)).status).toBe(403);
    expect((await outsider.get(`/api/referrals/${referral.id}`)).status).toBe(404);
    expect((await outsider.post(`/api/referrals/${referral.id}/cancel`)).status).toBe(404);
    expect((await outsider.get('/api/referrals')).body.items).toEqual([]);
    expect((await partnerUser.get('/api/referrals')).status).toBe(403);
    expect((await new ApiClient(server.app).get('/api/referrals')).status).toBe(401);
  });

  it('refuses referrals from a case the user may not change or see', async () => {
    const c = await caseWithPerson();
    const body = { serviceIds: [SHELTER.svc], needs: ['shelter'], consentId: c.consentId, fields: [] };
    expect((await colleague.post(`/api/cases/${c.caseId}/referrals`, body)).status).toBe(403);
    expect((await outsider.post(`/api/cases/${c.caseId}/referrals`, body)).status).toBe(404);
    // A restricted case: another advocate does not even see its referrals.
    expect((await advocate.patch(`/api/cases/${c.caseId}`, { version: 1, sensitivity: 'restricted' })).status).toBe(200);
    const made = await advocate.post(`/api/cases/${c.caseId}/referrals`, body);
    expect(made.status).toBe(201);
    expect((await colleague.get(`/api/referrals/${made.body.referrals[0].id}`)).status).toBe(404);
    expect((await colleague.get('/api/referrals')).body.items.map((r: any) => r.id)).not.toContain(made.body.referrals[0].id);
  });
});
