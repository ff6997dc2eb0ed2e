import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { messageSid, postSms, TWILIO_TOKEN } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';
import { createAccessPoint } from '../../src/server/channels/access-points.js';

// Routing by language, skill and team (issue 3): an admin sets what routes contacts to a person; the queue marks
// the contacts that match them, and "next contact" takes those first.

let server: TestServer;
let admin: ApiClient;
let advocate: ApiClient;
let advocateUser: TestUser;
const SPANISH_LINE = '+15550001001';
const GENERAL_LINE = '+15550001002';

beforeAll(async () => {
  server = await startTestServer();
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'sms', name: 'Línea en español', address: SPANISH_LINE, settings: {}, secret: TWILIO_TOKEN, team: 'spanish-line' });
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'sms', name: 'General line', address: GENERAL_LINE, settings: {}, secret: TWILIO_TOKEN, team: 'general' });
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  advocateUser = await server.createUser({ roles: ['advocate'] });
  advocate = await new ApiClient(server.app).signIn(advocateUser);
});
afterAll(() => server?.close());

describe('routing profile of a staff member', () => {
  it('is set by an admin, validated, audited, and shown on the account', async () => {
    const bad = await admin.patch(`/api/admin/users/${advocateUser.id}`, { teams: ['Spanish Line!'], languages: ['spanish'] });
    expect(bad.status).toBe(400);
    expect((await advocate.patch(`/api/admin/users/${advocateUser.id}`, { teams: ['spanish-line'] })).status).toBe(403);
    const saved = await admin.patch(`/api/admin/users/${advocateUser.id}`, { languages: ['es', 'ES', 'fr'], skills: ['sms', 'chat'], teams: ['Spanish-Line'] });
    expect(saved.status).toBe(200);
    expect(saved.body.user).toMatchObject({ languages: ['es', 'fr'], skills: ['sms', 'chat'], teams: ['spanish-line'] });
    const audit = await server.db.selectFrom('audit_log').select('details').where('action', '=', 'user.update').where('record_id', '=', advocateUser.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((audit.details as { fields: string[] }).fields).toEqual(expect.arrayContaining(['languages', 'skills', 'teams']));
  });

  it('puts the contacts of the person’s team first in the queue and in “next contact”', async () => {
    // The general line's contact is older, so by age alone it would come first.
    expect((await postSms(server.url, { MessageSid: messageSid(), From: '+15145550901', To: GENERAL_LINE, Body: 'hello' })).status).toBe(200);
    expect((await postSms(server.url, { MessageSid: messageSid(), From: '+15145550902', To: SPANISH_LINE, Body: 'hola, necesito ayuda' })).status).toBe(200);
    const queue = await advocate.get('/api/queue');
    const byTeam = Object.fromEntries(queue.body.items.map((i: { team: string; matchesMe: boolean }) => [i.team, i.matchesMe]));
    expect(byTeam).toEqual({ general: false, 'spanish-line': true });
    const next = await advocate.post('/api/queue/next');
    expect(next.status).toBe(200);
    const taken = await server.db.selectFrom('contact').select('team').where('id', '=', next.body.contactId).executeTakeFirstOrThrow();
    expect(taken.team).toBe('spanish-line');
    // Nothing of the person's team left: "next" takes the other team's contact rather than leave it waiting.
    const second = await advocate.post('/api/queue/next');
    expect((await server.db.selectFrom('contact').select('team').where('id', '=', second.body.contactId).executeTakeFirstOrThrow()).team).toBe('general');
  });
});
