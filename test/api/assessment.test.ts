import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdueTasks, startEscalationPoller } from '../../src/server/assessment/escalation.js';
import { createDb } from '../../src/server/db/db.js';
import type { LiveEvent } from '../../src/server/queue/live.js';
import { scenarios } from '../fixtures/assessment/scenarios.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

let server: TestServer;
let number: string;
let advocate: TestUser;
let supervisor: TestUser;
let advocateClient: ApiClient;
let colleagueClient: ApiClient;
let supervisorClient: ApiClient;
let partnerClient: ApiClient;
let outsiderClient: ApiClient;

const scenario = (id: string) => {
  const found = scenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};
const MINOR = scenario('minor_commercial_sex_without_means');
const ADULT = scenario('adult_escort_controlled_by_pimp');

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocate = await server.createUser({ roles: ['advocate'] });
  supervisor = await server.createUser({ roles: ['supervisor'] });
  advocateClient = await new ApiClient(server.app).signIn(advocate);
  colleagueClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisorClient = await new ApiClient(server.app).signIn(supervisor);
  partnerClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'] }));
  const other = await server.addHotline(`o${Date.now().toString(36)}`);
  outsiderClient = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor', 'advocate'] }));
});
afterAll(() => server?.close());

let phone = 5550300;
/** A contact arriving by signed SMS, claimed by the advocate (who then handles it), with a request type. */
async function newContact(requestType = 'tip') {
  const response = await postSms(server.url, { MessageSid: messageSid(), AccountSid: 'AC' + '0'.repeat(32), From: `+1514${phone++}`, To: number, Body: 'necesito ayuda', NumMedia: '0' });
  expect(response.status).toBe(200);
  const { id } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocateClient.post(`/api/queue/${id}/claim`)).status).toBe(200);
  await server.db.updateTable('contact').set({ request_type: requestType }).where('id', '=', id).execute();
  return id;
}

const assess = (client: ApiClient, contactId: string, s: { answers: Record<string, string>; person: Record<string, unknown> }) =>
  client.post(`/api/contacts/${contactId}/assessment`, { answers: s.answers, person: s.person });

const auditRows = (action: string, recordId?: string) => {
  let query = server.db.selectFrom('audit_log').select(['action', 'record_id', 'reason', 'details', 'actor_id', 'actor_label']).where('action', '=', action);
  if (recordId) query = query.where('record_id', '=', recordId);
  return query.orderBy('at').orderBy('id').execute();
};

describe('a minor in commercial sex', () => {
  let contactId: string;

  it('stores a high sex level with its explanation, encrypted, with the instrument version', async () => {
    contactId = await newContact();
    const response = await assess(advocateClient, contactId, MINOR);
    expect(response.status).toBe(201);
    const { assessment } = response.body;
    expect(assessment.levels).toEqual(MINOR.expected.levels);
    expect(assessment.instrument).toEqual({ id: 'catalyst-default', version: 1 });
    expect(assessment.ageGroup).toBe('minor');
    expect(assessment.explanation.find((e: { ruleId: string }) => e.ruleId === 'minor_in_commercial_sex')).toMatchObject({ type: 'sex', level: 'high', decisive: true });
    expect(response.body.protocols.map((p: { id: string }) => p.id)).toEqual(MINOR.expected.protocols);

    const stored = await server.db.selectFrom('assessment').selectAll().where('contact_id', '=', contactId).execute();
    expect(stored).toHaveLength(1);
    expect([stored[0].sex_level, stored[0].instrument_id, stored[0].instrument_version]).toEqual(['high', 'catalyst-default', 1]);
    expect(stored[0].answers.toString('latin1')).not.toContain('pur_commercial_sex');
    expect(stored[0].result.toString('latin1')).not.toContain('minor_in_commercial_sex');

    const read = await advocateClient.get(`/api/contacts/${contactId}/assessment`);
    expect(read.status).toBe(200);
    expect(read.body.latest.answers).toEqual(MINOR.answers);
    expect(read.body.latest.explanation.length).toBeGreaterThan(0);
    expect(read.body.history).toHaveLength(1);
    expect(await auditRows('assessment.record', contactId)).toHaveLength(1);
    expect(await auditRows('assessment.read', contactId)).toHaveLength(1);
  });

  it('creates the minors and likely-trafficking tasks with owners and due times', async () => {
    const response = await advocateClient.get(`/api/contacts/${contactId}/tasks`);
    expect(response.status).toBe(200);
    const tasks = response.body.items as { taskKey: string; ownerRole: string; ownerId: string | null; dueAt: string; createdAt: string; protocolId: string; title: { en: string; es: string; fr: string }; escalatedAt: string | null }[];
    const described = tasks.map((t) => `${t.taskKey}:${t.ownerRole}@${Math.round((Date.parse(t.dueAt) - Date.parse(t.createdAt)) / 60_000)}`);
    expect(new Set(described)).toEqual(new Set(MINOR.expected.tasks));
    for (const task of tasks) {
      expect(task.ownerId).toBe(task.ownerRole === 'advocate' ? advocate.id : null);
      expect(task.title.es.length).toBeGreaterThan(0);
    }
    expect(tasks.find((t) => t.taskKey === 'supervisor_minor_review')!.protocolId).toBe('minor');
  });

  it('escalates the "supervisor alert now" task immediately, with an audit row and a live event', async () => {
    const tasks = (await supervisorClient.get(`/api/contacts/${contactId}/tasks`)).body.items as { id: string; taskKey: string; escalatedAt: string | null }[];
    const alert = tasks.find((t) => t.taskKey === 'supervisor_alert')!;
    expect(alert.escalatedAt).not.toBeNull();
    expect(tasks.filter((t) => t.escalatedAt !== null).map((t) => t.taskKey)).toEqual(['supervisor_alert']);
    const audit = await auditRows('task.escalate', alert.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_label).toBe('system:escalation');
    const escalated = await supervisorClient.get('/api/tasks?escalated=true&status=open');
    expect(escalated.body.items.map((t: { id: string }) => t.id)).toContain(alert.id);
  });

  it('does not create tasks twice when protocols run again', async () => {
    const before = await server.db.selectFrom('task').select('id').where('contact_id', '=', contactId).execute();
    const run = await advocateClient.post(`/api/contacts/${contactId}/protocols/run`);
    expect(run.status).toBe(200);
    expect(run.body.createdTaskIds).toEqual([]);
    const after = await server.db.selectFrom('task').select('id').where('contact_id', '=', contactId).execute();
    expect(after).toHaveLength(before.length);
  });

  it('holds a child-protection report until a supervisor approves it, then sends it', async () => {
    const requested = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'child_protection', report: 'minor_trafficking' });
    expect(requested.status).toBe(201);
    expect(requested.body.report).toMatchObject({ status: 'requested', needsApproval: true, basis: 'consent_not_required', jurisdiction: { id: 'consent-first', version: 1 } });
    const reportId = requested.body.report.id;

    const early = await advocateClient.post(`/api/reports/${reportId}/send`);
    expect(early.status).toBe(403);
    expect(early.body.error.reason).toBe('approval_required');
    expect((await advocateClient.post(`/api/reports/${reportId}/approve`)).status).toBe(403);

    const approved = await supervisorClient.post(`/api/reports/${reportId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.report).toMatchObject({ status: 'approved', approvedBy: supervisor.id });
    expect((await supervisorClient.post(`/api/reports/${reportId}/approve`)).status).toBe(409);

    const sent = await advocateClient.post(`/api/reports/${reportId}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body.report.status).toBe('sent');
    expect((await auditRows('report.send', reportId))).toHaveLength(1);
    expect((await auditRows('report.approve', reportId))).toHaveLength(1);
  });

  it('lets police receive a minor report on the minor exception, and nobody approves their own report', async () => {
    const requested = await supervisorClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'minor_trafficking', exception: { basis: 'minor', note: 'age 16 disclosed' } });
    expect(requested.status).toBe(201);
    expect(requested.body.report).toMatchObject({ status: 'requested', basis: 'exception', exception: { basis: 'minor', note: 'age 16 disclosed' } });
    const own = await supervisorClient.post(`/api/reports/${requested.body.report.id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error.reason).toBe('approval_by_requester');
    const stored = await server.db.selectFrom('report').select('exception_note').where('id', '=', requested.body.report.id).executeTakeFirstOrThrow();
    expect(stored.exception_note!.toString('latin1')).not.toContain('age 16');
  });
});

describe('an adult and consent', () => {
  let contactId: string;

  it('refuses a police report without consent, naming the reason, and audits the refusal', async () => {
    contactId = await newContact();
    expect((await assess(advocateClient, contactId, ADULT)).status).toBe(201);
    const refused = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect(refused.body.error.reason).toBe('consent_required');
    const minorException = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', exception: { basis: 'minor' } });
    expect([minorException.status, minorException.body.error.reason]).toEqual([400, 'exception_facts_missing']);
    expect(await server.db.selectFrom('report').select('id').where('contact_id', '=', contactId).execute()).toHaveLength(0);
    expect((await auditRows('report.refused', contactId)).map((r) => (r.details as { reason: string }).reason)).toEqual(['consent_required', 'exception_facts_missing']);
  });

  it('refuses a consent to another disclosure, allows one to reports, and stops sending once it is withdrawn', async () => {
    const referralOnly = await advocateClient.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal' });
    expect(referralOnly.status).toBe(201);
    const wrong = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: referralOnly.body.consent.id });
    expect([wrong.status, wrong.body.error.reason]).toEqual([400, 'consent_not_for_reports']);

    const consent = await advocateClient.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'report_to_authorities', recipients: ['police_partner'], method: 'written', scopeNote: 'may share the address of the house' });
    expect(consent.status).toBe(201);
    const consentId = consent.body.consent.id;
    const stored = await server.db.selectFrom('consent').select('scope_note').where('id', '=', consentId).executeTakeFirstOrThrow();
    expect(stored.scope_note!.toString('latin1')).not.toContain('address');

    const allowed = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId });
    expect(allowed.status).toBe(201);
    expect(allowed.body.report).toMatchObject({ status: 'approved', basis: 'consent', needsApproval: false, consentId });
    const second = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId });
    expect((await advocateClient.post(`/api/reports/${allowed.body.report.id}/send`)).body.report.status).toBe('sent');

    expect((await advocateClient.post(`/api/consents/${consentId}/withdraw`)).status).toBe(200);
    const afterWithdrawal = await advocateClient.post(`/api/reports/${second.body.report.id}/send`);
    expect([afterWithdrawal.status, afterWithdrawal.body.error.reason]).toEqual([400, 'consent_withdrawn']);
    const consents = await advocateClient.get(`/api/contacts/${contactId}/consents`);
    expect(consents.body.items.find((c: { id: string }) => c.id === consentId).withdrawnAt).not.toBeNull();
    const reports = await advocateClient.get(`/api/contacts/${contactId}/reports`);
    expect(reports.body.items.map((r: { status: string }) => r.status)).toEqual(['sent', 'approved']);
  });

  it('records an override beside the computed level, audited with its reason, and runs protocols on the final level', async () => {
    const tooLow = await advocateClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'labour', level: 'moderate', reason: 'She describes unpaid cleaning shifts at the same place' });
    expect(tooLow.status).toBe(201);
    expect(tooLow.body.assessment.levels.labour).toBe('none');
    expect(tooLow.body.assessment.finalLevels.labour).toBe('moderate');
    expect(tooLow.body.protocols.map((p: { id: string }) => p.id)).toContain('labour_exploitation');
    expect(tooLow.body.createdTaskIds.length).toBe(3);

    const audit = await auditRows('assessment.override', contactId);
    expect(audit).toHaveLength(1);
    expect(audit[0].reason).toBe('She describes unpaid cleaning shifts at the same place');
    expect(audit[0].details).toMatchObject({ type: 'labour', computedLevel: 'none', previousLevel: 'none', level: 'moderate', direction: 'raised' });

    expect((await advocateClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'labour', level: 'moderate', reason: 'again' })).status).toBe(409);
    expect((await advocateClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'labour', level: 'low', reason: '  ' })).status).toBe(400);
    const read = await advocateClient.get(`/api/contacts/${contactId}/assessment`);
    expect(read.body.latest.overrides).toMatchObject([{ type: 'labour', level: 'moderate', reason: 'She describes unpaid cleaning shifts at the same place', overriddenBy: advocate.id }]);
  });

  it('keeps past results when the contact is assessed again', async () => {
    const again = await assess(advocateClient, contactId, { answers: { pur_labour: 'yes', ilo_debt: 'yes' }, person: { age: 30 } });
    expect(again.status).toBe(201);
    const read = await advocateClient.get(`/api/contacts/${contactId}/assessment`);
    expect(read.body.history).toHaveLength(2);
    expect(read.body.latest.id).toBe(again.body.assessment.id);
    expect(read.body.latest.overrides).toEqual([]);
    expect(read.body.history[1].levels).toEqual(ADULT.expected.levels);
    expect(read.body.history[1].overrides).toHaveLength(1);
  });

  it('marks tasks done or skipped (a skip needs a reason, stored encrypted)', async () => {
    const tasks = (await advocateClient.get(`/api/contacts/${contactId}/tasks`)).body.items as { id: string; taskKey: string }[];
    const [first, second] = tasks;
    expect((await advocateClient.patch(`/api/tasks/${first.id}`, { status: 'skipped' })).status).toBe(400);
    const skipped = await advocateClient.patch(`/api/tasks/${first.id}`, { status: 'skipped', skipReason: 'Person declined; safe with a friend tonight' });
    expect(skipped.status).toBe(200);
    expect(skipped.body.task).toMatchObject({ status: 'skipped', skipReason: 'Person declined; safe with a friend tonight', completedBy: advocate.id });
    const stored = await server.db.selectFrom('task').select('skip_reason').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(stored.skip_reason!.toString('latin1')).not.toContain('friend');
    expect((await advocateClient.patch(`/api/tasks/${second.id}`, { status: 'done' })).body.task.status).toBe('done');
    expect((await auditRows('task.update', first.id))).toHaveLength(1);
  });
});

describe('the live panel preview', () => {
  it('evaluates and plans without storing anything', async () => {
    const before = await server.db.selectFrom('assessment').select('id').execute();
    const response = await advocateClient.post('/api/assessment/preview', { answers: MINOR.answers, person: MINOR.person, requestType: 'tip' });
    expect(response.status).toBe(200);
    expect(response.body.result.levels).toEqual(MINOR.expected.levels);
    expect(response.body.protocols.map((p: { id: string }) => p.id)).toEqual(MINOR.expected.protocols);
    expect(response.body.tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual(expect.arrayContaining(['supervisor_alert', 'child_protection_report']));
    expect(response.body.requiredReports).toMatchObject([{ dutyId: 'minor_to_child_protection', agencyIds: ['child_protection'] }]);
    expect(await server.db.selectFrom('assessment').select('id').execute()).toHaveLength(before.length);
    const instrument = await advocateClient.get('/api/assessment/instrument');
    expect([instrument.status, instrument.body.instrument.id]).toEqual([200, 'catalyst-default']);
  });
});

describe('who may act', () => {
  let contactId: string;
  beforeAll(async () => {
    contactId = await newContact();
    expect((await assess(advocateClient, contactId, ADULT)).status).toBe(201);
  });

  it('refuses a colleague who is not handling the contact (403), but lets them read it', async () => {
    expect((await assess(colleagueClient, contactId, ADULT)).status).toBe(403);
    expect((await colleagueClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'sex', level: 'low', reason: 'not mine' })).status).toBe(403);
    expect((await colleagueClient.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'report_to_authorities', recipients: 'any_designated_agency', method: 'verbal' })).status).toBe(403);
    expect((await colleagueClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking' })).status).toBe(403);
    const task = (await colleagueClient.get(`/api/contacts/${contactId}/tasks`)).body.items[0];
    expect((await colleagueClient.patch(`/api/tasks/${task.id}`, { status: 'done' })).status).toBe(403);
    expect((await colleagueClient.get(`/api/contacts/${contactId}/assessment`)).status).toBe(200);
  });

  it('lets a supervisor act on any contact', async () => {
    const response = await supervisorClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'sex', level: 'moderate', reason: 'Supervisor review: details unclear' });
    expect(response.status).toBe(201);
  });

  it('gives a partner nothing', async () => {
    expect((await assess(partnerClient, contactId, ADULT)).status).toBe(403);
    expect((await partnerClient.get(`/api/contacts/${contactId}/assessment`)).status).toBe(403);
    expect((await partnerClient.get(`/api/contacts/${contactId}/tasks`)).status).toBe(403);
    expect((await partnerClient.post('/api/assessment/preview', { answers: {} })).status).toBe(403);
  });

  it('answers 404 to another hotline, as for a missing contact', async () => {
    expect((await assess(outsiderClient, contactId, ADULT)).status).toBe(404);
    expect((await outsiderClient.get(`/api/contacts/${contactId}/assessment`)).status).toBe(404);
    expect((await outsiderClient.get(`/api/contacts/${contactId}/tasks`)).status).toBe(404);
    const task = (await advocateClient.get(`/api/contacts/${contactId}/tasks`)).body.items[0];
    expect((await outsiderClient.patch(`/api/tasks/${task.id}`, { status: 'done' })).status).toBe(404);
    expect((await outsiderClient.get('/api/tasks')).body.items).toEqual([]);
    const report = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'child_protection', report: 'minor_trafficking' });
    expect(report.body.error.reason).toBe('report_does_not_fit_facts');
  });
});

describe('bad input', () => {
  let contactId: string;
  beforeAll(async () => {
    contactId = await newContact();
  });

  it('refuses unknown items, invalid answers and contradictory ages with a 400 naming the key', async () => {
    const unknown = await assess(advocateClient, contactId, { answers: { ilo_dept: 'yes' }, person: {} });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'validation_failed']);
    expect(unknown.body.error.message).toContain('answers.ilo_dept');
    const invalid = await assess(advocateClient, contactId, { answers: { pur_labour: 'maybe' }, person: {} });
    expect(invalid.body.error.message).toContain('answers.pur_labour');
    const ages = await assess(advocateClient, contactId, { answers: {}, person: { age: 12, ageGroup: 'adult' } });
    expect([ages.status, ages.body.error.message]).toEqual([400, expect.stringContaining('person')]);
    expect((await advocateClient.post(`/api/contacts/${contactId}/assessment`, { answers: 'yes' })).status).toBe(400);
    expect((await advocateClient.post(`/api/contacts/${contactId}/assessment`, { answers: {}, extra: 1 })).status).toBe(400);
    expect((await advocateClient.post('/api/contacts/not-a-uuid/assessment', { answers: {} })).status).toBe(400);
    expect(await server.db.selectFrom('assessment').select('id').where('contact_id', '=', contactId).execute()).toHaveLength(0);
  });

  it('refuses an override before any assessment, unknown agencies and a legal duty without citation', async () => {
    expect((await advocateClient.post(`/api/contacts/${contactId}/assessment/override`, { type: 'sex', level: 'high', reason: 'clear signs' })).status).toBe(409);
    const agency = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'fbi', report: 'adult_trafficking' });
    expect([agency.status, agency.body.error.reason]).toEqual([400, 'unknown_agency']);
    const duty = await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', exception: { basis: 'legal_duty' } });
    expect([duty.status, duty.body.error.reason]).toEqual([400, 'legal_duty_citation_required']);
    const future = await advocateClient.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'report_to_authorities', recipients: 'any_designated_agency', method: 'verbal', givenAt: '2999-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect((await advocateClient.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
  });
});

describe('escalation of overdue tasks', () => {
  async function overdueTask() {
    const contactId = await newContact('crisis');
    expect((await assess(advocateClient, contactId, ADULT)).status).toBe(201);
    const task = await server.db.selectFrom('task').select(['id']).where('contact_id', '=', contactId).where('task_key', '=', 'crisis_response').executeTakeFirstOrThrow();
    await server.db.updateTable('task').set({ due_at: new Date(Date.now() - 60_000) }).where('id', '=', task.id).execute();
    return { contactId, taskId: task.id };
  }

  it('escalates an overdue task once, audited, with a live event for the consoles', async () => {
    const { contactId, taskId } = await overdueTask();
    const events: LiveEvent[] = [];
    const heard = new Promise<void>((resolve) => {
      const stop = server.ctx.live!.subscribe(server.hotline.id, (event) => {
        events.push(event);
        if (event.kind === 'task.escalated' && event.contactId === contactId) {
          stop();
          resolve();
        }
      });
    });
    const escalated = await escalateOverdueTasks(server.db);
    expect(escalated.map((t) => t.id)).toContain(taskId);
    await heard;
    expect(await escalateOverdueTasks(server.db)).toEqual([]);
    const row = await server.db.selectFrom('task').select(['escalated_at', 'status']).where('id', '=', taskId).executeTakeFirstOrThrow();
    expect(row.escalated_at).not.toBeNull();
    expect(await auditRows('task.escalate', taskId)).toHaveLength(1);
    const list = await supervisorClient.get('/api/tasks?escalated=true');
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
  });

  it('never escalates a done task or one that does not escalate, and two servers escalate a task exactly once', async () => {
    const { taskId: doneId } = await overdueTask();
    await advocateClient.patch(`/api/tasks/${doneId}`, { status: 'done' });
    const { taskId } = await overdueTask();
    const quiet = await server.db.selectFrom('task').select('id').where('task_key', '=', 'safety_plan').where('escalated_at', 'is', null).execute();
    await server.db.updateTable('task').set({ due_at: new Date(Date.now() - 60_000) }).where('id', 'in', quiet.map((t) => t.id)).execute();
    const other = createDb(server.ctx.databaseUrl, { max: 2 });
    try {
      const [a, b] = await Promise.all([escalateOverdueTasks(server.db), escalateOverdueTasks(other)]);
      const ids = [...a, ...b].map((t) => t.id);
      expect(ids.filter((id) => id === taskId)).toHaveLength(1);
      expect(ids).not.toContain(doneId);
      for (const t of quiet) expect(ids).not.toContain(t.id);
    } finally {
      await other.destroy();
    }
  });

  it('is picked up after a restart by the poller of a new server on the same database', async () => {
    const { taskId } = await overdueTask();
    // The server that created the task is gone (it never ran a poller); a new process starts on the same database.
    const restarted = createDb(server.ctx.databaseUrl, { max: 2 });
    const stop = startEscalationPoller(restarted, { info: () => undefined, error: () => undefined }, { intervalMs: 50 });
    try {
      let escalatedAt: Date | null = null;
      for (let i = 0; i < 200 && !escalatedAt; i++) {
        escalatedAt = (await server.db.selectFrom('task').select('escalated_at').where('id', '=', taskId).executeTakeFirstOrThrow()).escalated_at;
        if (!escalatedAt) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(escalatedAt).not.toBeNull();
    } finally {
      await stop();
      await restarted.destroy();
    }
  });
});
