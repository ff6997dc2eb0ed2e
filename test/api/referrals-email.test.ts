import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';
import { LINK_EMAIL_BACKOFF_MS, LINK_EMAIL_MAX_ATTEMPTS, runDueLinkEmails } from '../../src/server/referrals/link-email.js';
import { emailReminders, runDueReferralJobs } from '../../src/server/referrals/jobs.js';

// The partner-link email as a durable job retried with backoff (docs/referrals.md, "The link by email"), against a
// real smtp-server receiver that refuses as told.
const cli = { id: null, label: 'test' };
const ORG = 'a3000000-0000-4000-8000-000000000001';
const SVC = 'b3000000-0000-4000-8000-000000000001';

interface Received { rcptTo: string[]; parsed: ParsedMail }
/** What the receiver answers to the next messages: 'accept', a temporary refusal (451) or a permanent one (550). */
let script: ('accept' | 451 | 550)[] = [];
let received: Received[] = [];
let smtp: SMTPServer;
let port: number;
let server: TestServer;
let advocate: ApiClient;
let number: string;
let phone = 5550900;

async function startRelay(onPort?: number) {
  smtp = new SMTPServer({
    logger: false, disabledCommands: ['STARTTLS', 'AUTH'], hideSTARTTLS: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const answer = script.shift() ?? 'accept';
        if (answer !== 'accept') {
          const error = Object.assign(new Error(answer === 451 ? 'Try again later' : 'Mailbox unavailable'), { responseCode: answer });
          return callback(error);
        }
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), parsed: await simpleParser(Buffer.concat(chunks)) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(onPort ?? 0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
}
const stopRelay = () => new Promise<void>((resolve) => smtp.close(() => resolve()));

beforeAll(async () => {
  await startRelay();
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  const report = await importDirectory(server.db, server.hotline.id, collectJson({ services: [{
    id: SVC, name: 'Casa Segura Shelter', status: 'active', email: 'intake@casasegura.example.org',
    organization: { id: ORG, name: 'Casa Segura Society', description: 'Shelter' },
    service_areas: [{ id: 'e3000000-0000-4000-8000-000000000001', name: 'CA-ON', extent: 'CA-ON' }],
    languages: [{ id: 'f3000000-0000-4000-8000-000000000001', code: 'en', name: 'English' }],
  }] }), cli);
  expect(report.rejected).toEqual([]);
  await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, SVC, ['shelter']));
  await setPartnerProfile(server.db, server.hotline.id, ORG, { vettingStatus: 'vetted' }, cli);
  server.ctx.config.smtpRelayUrl = `smtp://127.0.0.1:${port}`;
  server.ctx.config.publicUrl = 'https://hotline.example.org';
});
afterAll(async () => {
  await server?.close();
  await stopRelay();
});
beforeEach(() => {
  script = [];
  received = [];
});

async function refer() {
  // Webhook signatures are checked against the public URL when one is set: the test signs for its own address.
  const publicUrl = server.ctx.config.publicUrl;
  server.ctx.config.publicUrl = undefined;
  const sms = await postSms(server.url, { MessageSid: messageSid(), From: `+1514${phone++}`, To: number, Body: 'help' });
  server.ctx.config.publicUrl = publicUrl;
  expect(sms.status).toBe(200);
  const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocate.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
  const caseId = (await advocate.post('/api/cases', { title: 'Email retry', traffickingTypes: ['labour'], fromContactId: contactId })).body.case.id as string;
  const consent = await advocate.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal' });
  const sent = await advocate.post(`/api/cases/${caseId}/referrals`, { serviceIds: [SVC], needs: ['shelter'], consentId: consent.body.consent.id, fields: [], areaCode: 'CA-ON' });
  expect(sent.status).toBe(201);
  return { caseId, referral: sent.body.referrals[0] as { id: string; link: string; email: Record<string, unknown> } };
}

const job = (referralId: string) => server.db.selectFrom('referral_job').selectAll().where('referral_id', '=', referralId).where('kind', '=', 'email_link').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
const emailAudits = async (referralId: string) =>
  (await server.db.selectFrom('audit_log').select(['actor_label', 'details']).where('action', '=', 'referral.email_link').where('record_id', '=', referralId).orderBy('id').execute()).map((a) => a.details as Record<string, unknown>);

describe('retrying the partner-link email', () => {
  it('retries a temporarily refused email after the backoff and delivers it once, then forgets the stored link', async () => {
    script = [451];
    const before = Date.now();
    const { referral } = await refer();
    expect(referral.email).toMatchObject({ emailed: false, reason: 'send_failed' });
    const retryAt = Date.parse(referral.email.retryAt as string);
    expect(retryAt - before).toBeGreaterThanOrEqual(LINK_EMAIL_BACKOFF_MS[0] - 1000);
    expect(received).toHaveLength(0);
    const read = await advocate.get(`/api/referrals/${referral.id}`);
    expect(read.body.referral.linkEmail).toMatchObject({ status: 'retrying' });
    // The stored link is encrypted, never the token in clear.
    const pending = await job(referral.id);
    expect(pending.payload).not.toBeNull();
    expect(pending.payload!.toString('latin1')).not.toContain(referral.link.split('#')[1]);

    // Not due yet: nothing is sent.
    expect(await runDueLinkEmails(server.ctx, new Date(retryAt - 5_000))).toEqual([]);
    const ran = await runDueLinkEmails(server.ctx, new Date(retryAt + 1_000));
    expect(ran.map((r) => r.result)).toEqual([{ emailed: true, locale: 'en' }]);
    expect(received).toHaveLength(1);
    expect(received[0].rcptTo).toEqual(['intake@casasegura.example.org']);
    expect(received[0].parsed.text).toContain(`https://hotline.example.org${referral.link}`);
    const done = await job(referral.id);
    expect(done).toMatchObject({ result: 'sent', attempts: 2, payload: null });
    expect((await advocate.get(`/api/referrals/${referral.id}`)).body.referral.linkEmail).toMatchObject({ status: 'sent' });
    // A second run finds nothing: the email goes once.
    expect(await runDueLinkEmails(server.ctx, new Date(retryAt + 3_600_000))).toEqual([]);
    expect(received).toHaveLength(1);
    const audits = await emailAudits(referral.id);
    expect(audits).toEqual([expect.objectContaining({ attempt: 1, emailed: false, error: '451' }), expect.objectContaining({ attempt: 2, emailed: true })]);
    expect(JSON.stringify(audits)).not.toContain('casasegura');
  });

  it('retries a refused connection when the relay comes back', async () => {
    await stopRelay();
    const { referral } = await refer();
    expect(referral.email).toMatchObject({ emailed: false, reason: 'send_failed' });
    await startRelay(port);
    const ran = await runDueLinkEmails(server.ctx, new Date(Date.parse(referral.email.retryAt as string) + 1_000));
    expect(ran.find((r) => r.referralId === referral.id)?.result).toEqual({ emailed: true, locale: 'en' });
    expect(received).toHaveLength(1);
  });

  it('gives up after the last attempt, tells the advocate on the referral and the case timeline, and erases the link', async () => {
    script = Array(LINK_EMAIL_MAX_ATTEMPTS + 2).fill(451);
    const { caseId, referral } = await refer();
    let at = Date.parse(referral.email.retryAt as string);
    for (let attempt = 2; attempt <= LINK_EMAIL_MAX_ATTEMPTS; attempt++) {
      const [ran] = await runDueLinkEmails(server.ctx, new Date(at + 1_000));
      expect(ran.referralId).toBe(referral.id);
      if (attempt < LINK_EMAIL_MAX_ATTEMPTS) {
        expect(ran.result).toMatchObject({ emailed: false, reason: 'send_failed' });
        const next = Date.parse((ran.result as { retryAt: string }).retryAt);
        // Backoff grows: each wait is the schedule's.
        expect(next - (at + 1_000)).toBe(LINK_EMAIL_BACKOFF_MS[attempt - 1]);
        at = next;
      } else {
        expect(ran.result).toEqual({ emailed: false, reason: 'send_failed', retryAt: null });
      }
    }
    expect(received).toHaveLength(0);
    expect(await job(referral.id)).toMatchObject({ result: 'failed', attempts: LINK_EMAIL_MAX_ATTEMPTS, payload: null, last_error: '451' });
    expect((await advocate.get(`/api/referrals/${referral.id}`)).body.referral.linkEmail).toMatchObject({ status: 'failed' });
    const list = await advocate.get(`/api/referrals?caseId=${caseId}`);
    expect(list.body.items[0].linkEmail.status).toBe('failed');
    const timeline = (await advocate.get(`/api/cases/${caseId}`)).body.case.timeline;
    expect(timeline.map((e: any) => e.kind)).toContain('referral_email_failed');
    const audits = await emailAudits(referral.id);
    expect(audits).toHaveLength(LINK_EMAIL_MAX_ATTEMPTS);
    expect(audits.at(-1)).toMatchObject({ final: true });
    expect(await runDueLinkEmails(server.ctx, new Date(at + 86_400_000))).toEqual([]);
  });

  it('does not retry a permanent refusal (5xx)', async () => {
    script = [550];
    const { referral } = await refer();
    expect(referral.email).toEqual({ emailed: false, reason: 'send_failed', retryAt: null });
    expect(await job(referral.id)).toMatchObject({ result: 'failed', attempts: 1, payload: null, last_error: '550' });
    expect((await advocate.get(`/api/referrals/${referral.id}`)).body.referral.linkEmail).toMatchObject({ status: 'failed' });
  });

  it('drops a pending retry when the referral is cancelled, and a new link supersedes the old email', async () => {
    script = [451];
    const first = await refer();
    expect((await advocate.post(`/api/referrals/${first.referral.id}/cancel`)).status).toBe(200);
    expect(await job(first.referral.id)).toMatchObject({ result: 'not_needed', payload: null });

    script = [451];
    const second = await refer();
    const reissued = await advocate.post(`/api/referrals/${second.referral.id}/link`, {});
    expect(reissued.status).toBe(200);
    expect(reissued.body.email).toEqual({ emailed: true, locale: 'en' });
    const jobs = await server.db.selectFrom('referral_job').select(['result', 'payload']).where('referral_id', '=', second.referral.id).where('kind', '=', 'email_link').orderBy('created_at').execute();
    expect(jobs).toEqual([{ result: 'superseded', payload: null }, { result: 'sent', payload: null }]);
    expect(received).toHaveLength(1);
    expect(received[0].parsed.text).toContain(reissued.body.link);
    expect(await runDueLinkEmails(server.ctx, new Date(Date.now() + 86_400_000))).toEqual([]);
  });

  it('picks up an email whose first attempt never ran (a server stopped between storing and sending)', async () => {
    const { referral } = await refer();
    expect(referral.email).toEqual({ emailed: true, locale: 'en' });
    // Simulate the crash: a job left queued (as written in the referral's transaction, before any attempt).
    const { queueLinkEmail } = await import('../../src/server/referrals/link-email.js');
    await queueLinkEmail(server.db, server.ctx.keys, server.hotline.id, referral.id, { link: referral.link, linkExpiresAt: new Date(Date.now() + 86_400_000).toISOString() }, new Date());
    expect(await runDueLinkEmails(server.ctx, new Date(Date.now() + 30_000))).toEqual([]); // leased to the request that wrote it
    const ran = await runDueLinkEmails(server.ctx, new Date(Date.now() + 3 * 60_000));
    expect(ran.map((r) => r.result)).toEqual([{ emailed: true, locale: 'en' }]);
    expect(received).toHaveLength(2);
  });
});

describe('reminding the partner by email', () => {
  it('emails the partner when its answer is due soon, without the link or anything about the person, and audits it', async () => {
    // The referrals of earlier tests have their own jobs: run them out first (without emails).
    await runDueReferralJobs(server.db, new Date(Date.now() + 100 * 86_400_000), 10_000);
    const { referral } = await refer();
    expect(received).toHaveLength(1); // the link
    received = [];
    // Half the answer window (24 h by default) later, the reminder job is due; the escalation is not yet.
    const later = new Date(Date.now() + 13 * 3_600_000);
    const ran = await runDueReferralJobs(server.db, later);
    expect(ran.filter((j) => j.referralId === referral.id).map((j) => j.result)).toEqual(['reminded']);
    const emailed = await emailReminders(server.ctx, ran, later);
    expect(emailed.find((e) => e.referralId === referral.id)).toEqual({ referralId: referral.id, emailed: true });
    expect(received).toHaveLength(1);
    expect(received[0].rcptTo).toEqual(['intake@casasegura.example.org']);
    expect(received[0].parsed.subject).toMatch(/^Reminder: a referral from .* is waiting for you$/);
    expect(received[0].parsed.text).toContain('Please accept or decline the referral by');
    expect(received[0].parsed.text).toContain('https://hotline.example.org/partner-referrals');
    expect(received[0].parsed.text).not.toContain(referral.link.split('#')[1]);
    const audit = await server.db.selectFrom('audit_log').select('details').where('action', '=', 'referral.remind_email').where('record_id', '=', referral.id).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ job: 'ack_reminder', emailed: true, locale: 'en' });
  });

  it('says why a reminder could not be emailed, and the reminder still reaches the case timeline', async () => {
    const { caseId, referral } = await refer();
    received = [];
    const relay = server.ctx.config.smtpRelayUrl;
    server.ctx.config.smtpRelayUrl = undefined;
    try {
      const later = new Date(Date.now() + 13 * 3_600_000);
      const emailed = await emailReminders(server.ctx, await runDueReferralJobs(server.db, later), later);
      expect(emailed.find((e) => e.referralId === referral.id)).toEqual({ referralId: referral.id, emailed: false, reason: 'no_relay' });
    } finally {
      server.ctx.config.smtpRelayUrl = relay;
    }
    expect(received).toHaveLength(0);
    const events = await server.db.selectFrom('case_event').select('kind').where('case_id', '=', caseId).execute();
    expect(events.map((e) => e.kind)).toContain('referral_reminder');
  });
});
