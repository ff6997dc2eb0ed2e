import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';

// Partner staff signed in (role `partner`), the partner link by email, and suppressed metrics (docs/referrals.md).
const cli = { id: null, label: 'test' };
const ids = (n: number) => ({ org: `a2000000-0000-4000-8000-00000000000${n}`, svc: `b2000000-0000-4000-8000-00000000000${n}` });
const service = (n: number, name: string, extra: Record<string, unknown>, language: string) => ({
  id: ids(n).svc, name, status: 'active', ...extra,
  organization: { id: ids(n).org, name: `${name} Society`, description: name },
  service_areas: [{ id: `e2000000-0000-4000-8000-00000000000${n}`, name: 'CA-ON', extent: 'CA-ON' }],
  languages: [{ id: `f2000000-0000-4000-8000-00000000000${n}`, code: language, name: language }],
});
const SHELTER = ids(1); // has an email, speaks Spanish
const LEGAL = ids(2); // no email

interface Received { rcptTo: string[]; parsed: ParsedMail }
let relay: { port: number; received: Received[]; close(): Promise<void> };
let server: TestServer;
let number: string;
let advocate: ApiClient;
let admin: ApiClient;
let analyst: ApiClient;
let supervisor: ApiClient;
let shelterStaff: ApiClient;
let legalStaff: ApiClient;
let unlinkedPartner: ApiClient;
let phone = 5550600;

async function startRelay() {
  const received: Received[] = [];
  const smtp = new SMTPServer({
    logger: false, disabledCommands: ['STARTTLS', 'AUTH'], hideSTARTTLS: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), parsed: await simpleParser(Buffer.concat(chunks)) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return { port: (smtp.server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

beforeAll(async () => {
  relay = await startRelay();
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  analyst = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['analyst'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  unlinkedPartner = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'] }));

  const report = await importDirectory(server.db, server.hotline.id, collectJson({ services: [
    service(1, 'Casa Segura Shelter', { email: 'intake@casasegura.example.org' }, 'es'),
    service(2, 'Ontario Legal Aid', {}, 'en'),
  ] }), cli);
  expect(report.rejected).toEqual([]);
  await server.db.transaction().execute(async (tx) => {
    await tagServiceNeeds(tx, server.hotline.id, SHELTER.svc, ['shelter']);
    await tagServiceNeeds(tx, server.hotline.id, LEGAL.svc, ['legal']);
  });
  await setPartnerProfile(server.db, server.hotline.id, SHELTER.org, { vettingStatus: 'vetted' }, cli);
  await setPartnerProfile(server.db, server.hotline.id, LEGAL.org, { vettingStatus: 'vetted' }, cli);

  // Admin links each directory organization to an account organisation; partner staff accounts belong to those.
  const shelterLink = await admin.post(`/api/directory/organizations/${SHELTER.org}/account`, {});
  expect(shelterLink.status).toBe(200);
  expect(shelterLink.body).toMatchObject({ created: true });
  const legalLink = await admin.post(`/api/directory/organizations/${LEGAL.org}/account`, {});
  shelterStaff = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'], organisationId: shelterLink.body.organisationId }));
  legalStaff = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'], organisationId: legalLink.body.organisationId }));
});
afterAll(async () => {
  await server?.close();
  await relay?.close();
});

async function refer(serviceId: string, need: string) {
  return (await prepareCase()).send(serviceId, need);
}

/** A claimed contact, its case with a person and a consent; `send` then refers it (SMS intake is done by then). */
async function prepareCase() {
  const sms = await postSms(server.url, { MessageSid: messageSid(), From: `+1514${phone++}`, To: number, Body: 'ayuda' });
  expect(sms.status).toBe(200);
  const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocate.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
  const caseId = (await advocate.post('/api/cases', { title: 'Referral test', traffickingTypes: ['labour'], fromContactId: contactId })).body.case.id as string;
  const person = await advocate.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'Amaru', familyNames: 'Condori', phones: ['+1 416 555 0142'] }, ageRange: '25_34' });
  const consent = await advocate.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal' });
  const send = async (serviceId: string, need: string) => {
    const sent = await advocate.post(`/api/cases/${caseId}/referrals`, { serviceIds: [serviceId], needs: [need], consentId: consent.body.consent.id, personId: person.body.case.people[0].id, fields: ['given_names', 'phone'], areaCode: 'CA-ON' });
    expect(sent.status).toBe(201);
    return { caseId, referral: sent.body.referrals[0] };
  };
  return { send };
}

describe('partner staff signed in', () => {
  it('shows a partner only the referrals sent to its own organisation, and lets it accept and report outcomes', async () => {
    const { caseId, referral } = await refer(SHELTER.svc, 'shelter');
    const other = await refer(LEGAL.svc, 'legal');

    const list = await shelterStaff.get('/api/partner/referrals');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => i.id)).toEqual([referral.id]);
    // The list has no personal data; the shared fields come one referral at a time.
    expect(JSON.stringify(list.body)).not.toContain('Amaru');
    const view = await shelterStaff.get(`/api/partner/referrals/${referral.id}`);
    expect(view.status).toBe(200);
    expect(view.body.referral).toMatchObject({ id: referral.id, serviceName: 'Casa Segura Shelter', status: 'sent', shared: { given_names: 'Amaru', phone: '+1 416 555 0142' } });
    expect(Object.keys(view.body.referral.shared).sort()).toEqual(['given_names', 'phone']);

    // Another partner, an unlinked partner and a wrong id all get the same 404.
    expect((await legalStaff.get(`/api/partner/referrals/${referral.id}`)).status).toBe(404);
    expect((await legalStaff.post(`/api/partner/referrals/${referral.id}/respond`, { decision: 'accept' })).status).toBe(404);
    expect((await shelterStaff.get(`/api/partner/referrals/${other.referral.id}`)).status).toBe(404);
    expect((await unlinkedPartner.get('/api/partner/referrals')).body.items).toEqual([]);
    expect((await unlinkedPartner.get(`/api/partner/referrals/${referral.id}`)).status).toBe(404);
    expect((await legalStaff.get('/api/partner/referrals')).body.items.map((i: any) => i.id)).toEqual([other.referral.id]);

    expect((await shelterStaff.post(`/api/partner/referrals/${referral.id}/outcome`, { outcome: 'contacted' })).status).toBe(409);
    const accepted = await shelterStaff.post(`/api/partner/referrals/${referral.id}/respond`, { decision: 'accept', note: 'Bed held' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.referral.status).toBe('accepted');
    expect((await shelterStaff.post(`/api/partner/referrals/${referral.id}/respond`, { decision: 'decline' })).status).toBe(409);
    const closed = await shelterStaff.post(`/api/partner/referrals/${referral.id}/outcome`, { outcome: 'services_provided' });
    expect(closed.body.referral).toMatchObject({ status: 'closed', outcome: 'services_provided' });
    expect((await shelterStaff.get(`/api/partner/referrals/${referral.id}`)).status).toBe(404);
    expect((await shelterStaff.get('/api/partner/referrals')).body.items[0]).toMatchObject({ id: referral.id, status: 'closed' });

    // The advocate sees the partner's answer; the audit names the partner user, and the timeline has the steps.
    expect((await advocate.get(`/api/referrals/${referral.id}`)).body.referral).toMatchObject({ status: 'closed', responseNote: 'Bed held' });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('record_id', '=', referral.id).execute();
    const accept = audit.find((a) => a.action === 'referral.accept')!;
    expect(accept.actor_id).not.toBeNull();
    expect(accept.details).toMatchObject({ via: 'account' });
    const timeline = (await advocate.get(`/api/cases/${caseId}`)).body.case.timeline.map((e: any) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['referral_accepted', 'referral_outcome']));
  });

  it('keeps partner staff out of queue, contacts, cases and staff referral routes, and staff out of partner routes', async () => {
    for (const path of ['/api/queue', '/api/referrals', '/api/directory/search?needs=shelter', '/api/referrals/metrics']) {
      expect({ path, status: (await shelterStaff.get(path)).status }).toEqual({ path, status: 403 });
    }
    // Cases are open to the people named on them (rule isNamed): a partner is named on none.
    expect((await shelterStaff.get('/api/cases')).body.items).toEqual([]);
    for (const client of [advocate, supervisor, admin, analyst]) expect((await client.get('/api/partner/referrals')).status).toBe(403);
    const session = await shelterStaff.get('/api/auth/session');
    expect(session.body.permissions).toContain('referral.partner');
    for (const action of ['queue.read', 'contact.read', 'directory.read', 'referral.read']) expect(session.body.permissions).not.toContain(action);
  });

  it('links a directory organization once, to an existing organisation or a new one; admins only', async () => {
    expect((await advocate.post(`/api/directory/organizations/${SHELTER.org}/account`, {})).status).toBe(403);
    const again = await admin.post(`/api/directory/organizations/${SHELTER.org}/account`, {});
    expect(again.body).toMatchObject({ created: false });
    const spare = await server.db.insertInto('organisation').values({ hotline_id: server.hotline.id, name: 'Spare' }).returning('id').executeTakeFirstOrThrow();
    expect((await admin.post(`/api/directory/organizations/${SHELTER.org}/account`, { organisationId: spare.id })).status).toBe(409);
    expect((await admin.post('/api/directory/organizations/a2000000-0000-4000-8000-000000000009/account', {})).status).toBe(404);
  });
});

describe('the partner link by email', () => {
  it('says the link was not emailed when no relay is configured', async () => {
    const { referral } = await refer(SHELTER.svc, 'shelter');
    expect(referral.email).toEqual({ emailed: false, reason: 'no_relay' });
    expect(relay.received).toHaveLength(0);
  });

  it('emails the link to a partner with an email, in its language, with no personal data; not to a partner without one', async () => {
    // Cases first: a public URL also changes how SMS webhook signatures are checked.
    const [shelterCase, legalCase] = [await prepareCase(), await prepareCase()];
    server.ctx.config.smtpRelayUrl = `smtp://127.0.0.1:${relay.port}`;
    server.ctx.config.publicUrl = 'https://hotline.example.org';
    try {
      const { referral } = await shelterCase.send(SHELTER.svc, 'shelter');
      expect(referral.email).toEqual({ emailed: true, locale: 'es' });
      expect(relay.received).toHaveLength(1);
      const mail = relay.received[0];
      expect(mail.rcptTo).toEqual(['intake@casasegura.example.org']);
      expect(mail.parsed.subject).toContain('Nueva derivación');
      expect(mail.parsed.text).toContain(`https://hotline.example.org${referral.link}`);
      expect(mail.parsed.text).toContain('Casa Segura Shelter');
      for (const secret of ['Amaru', 'Condori', '0142']) expect(mail.parsed.text).not.toContain(secret);
      const audit = await server.db.selectFrom('audit_log').select(['details']).where('record_id', '=', referral.id).where('action', '=', 'referral.email_link').executeTakeFirstOrThrow();
      expect(JSON.stringify(audit.details)).not.toContain('casasegura');

      // The partner's language set by the admin wins over the languages its service speaks.
      expect((await admin.post(`/api/directory/organizations/${SHELTER.org}/account`, { locale: 'fr' })).status).toBe(200);
      const reissued = await advocate.post(`/api/referrals/${referral.id}/link`, {});
      expect(reissued.body.email).toEqual({ emailed: true, locale: 'fr' });
      expect(relay.received[1].parsed.subject).toContain('Nouvelle orientation');
      expect(relay.received[1].parsed.text).toContain(reissued.body.link);

      const legal = await legalCase.send(LEGAL.svc, 'legal');
      expect(legal.referral.email).toEqual({ emailed: false, reason: 'no_partner_email' });
      expect(relay.received).toHaveLength(2);
    } finally {
      server.ctx.config.smtpRelayUrl = undefined;
      server.ctx.config.publicUrl = undefined;
    }
  });
});

describe('metrics for roles without case access', () => {
  it('shows counts of 1 and 2 as "<3" to analysts, with per-partner and per-need totals; exact to supervisors', async () => {
    for (let i = 0; i < 3; i++) await refer(SHELTER.svc, 'shelter');
    const exact = await supervisor.get('/api/referrals/metrics');
    expect(exact.body.suppressed).toBe(false);
    const legalExact = exact.body.byPartner.find((p: any) => p.organizationId === LEGAL.org);
    expect(legalExact.made).toBeGreaterThanOrEqual(1);
    expect(legalExact.made).toBeLessThan(3);
    expect(exact.body.byNeed.find((n: any) => n.need === 'shelter').made).toBeGreaterThanOrEqual(3);

    const safe = await analyst.get('/api/referrals/metrics');
    expect(safe.status).toBe(200);
    expect(safe.body.suppressed).toBe(true);
    expect(safe.body.byPartner.find((p: any) => p.organizationId === LEGAL.org).made).toBe('<3');
    const legalCell = safe.body.byPartnerAndNeed.find((p: any) => p.organizationId === LEGAL.org);
    expect(legalCell.made).toBe('<3');
    expect(legalCell.medianHoursToAcknowledge).toBeNull();
    const shelterNeed = safe.body.byNeed.find((n: any) => n.need === 'shelter');
    expect(shelterNeed.made).toBe(exact.body.byNeed.find((n: any) => n.need === 'shelter').made);
    // No count from 1 to 2 anywhere in what an analyst receives.
    const numbers: number[] = [];
    JSON.stringify(safe.body, (key, value) => {
      if (typeof value === 'number' && !['acceptanceRate', 'medianHoursToAcknowledge', 'meanHoursToAcknowledge'].includes(key)) numbers.push(value);
      return value;
    });
    expect(numbers.filter((n) => n === 1 || n === 2)).toEqual([]);
  });
});
