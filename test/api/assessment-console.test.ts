import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/server/queue/live.js';
import { scenarios } from '../fixtures/assessment/scenarios.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// What the console needs beyond the assessment API: the supervisors' approval list across contacts, the reporting
// rules to explain a report before asking, contact references on alerts, and live events when reports or tasks change.

let server: TestServer;
let number: string;
let advocateClient: ApiClient;
let supervisorClient: ApiClient;
let outsiderClient: ApiClient;
const MINOR = scenarios.find((s) => s.id === 'minor_commercial_sex_without_means')!;

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  advocateClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisorClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  const other = await server.addHotline(`o${Date.now().toString(36)}`);
  outsiderClient = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor', 'advocate'] }));
});
afterAll(() => server?.close());

let phone = 5550700;
async function newContact() {
  const response = await postSms(server.url, { MessageSid: messageSid(), AccountSid: 'AC' + '0'.repeat(32), From: `+1514${phone++}`, To: number, Body: 'necesito ayuda', NumMedia: '0' });
  expect(response.status).toBe(200);
  const { id, number: n } = await server.db.selectFrom('contact').select(['id', 'number']).orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocateClient.post(`/api/queue/${id}/claim`)).status).toBe(200);
  await server.db.updateTable('contact').set({ request_type: 'tip' }).where('id', '=', id).execute();
  return { id, reference: `C-${n}` };
}

function nextEvent(match: (event: LiveEvent) => boolean) {
  return new Promise<LiveEvent>((resolve) => {
    const stop = server.ctx.live!.subscribe(server.hotline.id, (event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}

describe('the supervisors’ approval list and alerts', () => {
  let contact: { id: string; reference: string };
  let reportId: string;

  it('lists reports awaiting approval across contacts, with the contact reference, audited', async () => {
    contact = await newContact();
    expect((await advocateClient.post(`/api/contacts/${contact.id}/assessment`, { answers: MINOR.answers, person: MINOR.person })).status).toBe(201);
    const heard = nextEvent((e) => e.kind === 'contact.updated' && e.contactId === contact.id);
    const requested = await advocateClient.post(`/api/contacts/${contact.id}/reports`, { agencyId: 'child_protection', report: 'minor_trafficking' });
    expect(requested.status).toBe(201);
    reportId = requested.body.report.id;
    await heard;

    const list = await supervisorClient.get('/api/reports?status=requested');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: reportId, contactId: contact.id, contactReference: contact.reference, status: 'requested', needsApproval: true });
    const audit = await server.db.selectFrom('audit_log').select(['details', 'record_type']).where('action', '=', 'report.list').where('record_type', '=', 'report').execute();
    expect(audit.at(-1)!.details).toMatchObject({ status: 'requested', reports: [reportId] });
  });

  it('drops a report from the list once approved, and tells the consoles', async () => {
    const heard = nextEvent((e) => e.kind === 'contact.updated' && e.contactId === contact.id);
    expect((await supervisorClient.post(`/api/reports/${reportId}/approve`)).status).toBe(200);
    await heard;
    expect((await supervisorClient.get('/api/reports?status=requested')).body.items).toEqual([]);
    expect((await supervisorClient.get('/api/reports?status=approved')).body.items.map((r: { id: string }) => r.id)).toEqual([reportId]);
  });

  it('refuses the approval list to advocates and shows nothing of another hotline', async () => {
    expect((await advocateClient.get('/api/reports')).status).toBe(403);
    const outsider = await outsiderClient.get('/api/reports');
    expect(outsider.status).toBe(200);
    expect(outsider.body.items).toEqual([]);
    expect((await supervisorClient.get('/api/reports?status=bogus')).status).toBe(400);
  });

  it('names the contact of each alert task, and tells the consoles when a task changes', async () => {
    const alerts = await supervisorClient.get('/api/tasks?escalated=true&status=open');
    const alert = alerts.body.items.find((t: { contactId: string; taskKey: string }) => t.contactId === contact.id && t.taskKey === 'supervisor_alert');
    expect(alert).toMatchObject({ contactReference: contact.reference });
    const heard = nextEvent((e) => e.kind === 'contact.updated' && e.contactId === contact.id);
    expect((await supervisorClient.patch(`/api/tasks/${alert.id}`, { status: 'done' })).status).toBe(200);
    await heard;
    const after = await supervisorClient.get('/api/tasks?escalated=true&status=open');
    expect(after.body.items.map((t: { id: string }) => t.id)).not.toContain(alert.id);
  });

  it('gives the reporting rules (agencies and policies) to anyone who reads contacts', async () => {
    const rules = await advocateClient.get('/api/assessment/jurisdiction');
    expect(rules.status).toBe(200);
    expect(rules.body.jurisdiction).toMatchObject({ id: 'consent-first', version: 1 });
    expect(rules.body.jurisdiction.agencies.map((a: { id: string }) => a.id)).toEqual(['police_partner', 'child_protection', 'labour_inspectorate']);
    expect(rules.body.jurisdiction.policies.find((p: { agencyKind: string }) => p.agencyKind === 'child_protection')).toMatchObject({ requiresConsent: false, supervisorApproval: 'always' });
  });
});
