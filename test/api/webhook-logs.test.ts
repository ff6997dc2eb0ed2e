import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/log.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Provider webhooks write no per-request access lines at the default level (a campaign would fill the log and they
// cost about a fifth of a webhook's CPU); other routes still do, and the stored signal has its audit entry.

let server: TestServer;
let number: string;
const lines: { msg?: string; req?: { url?: string }; level: number }[] = [];

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
  server = await startTestServer({ log: createLogger('info', sink) });
  number = await addSmsNumber(server);
});
afterAll(() => server?.close());

describe('request logs of provider webhooks', () => {
  it('logs no access lines for a Twilio delivery at info level, but still for other routes, and audits the signal', async () => {
    const sid = messageSid();
    expect((await postSms(server.url, { MessageSid: sid, From: '+15145550199', To: number, Body: 'hi' })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const urls = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req?.url);
    expect(urls).toContain('/healthz');
    expect(urls).not.toContain('/api/webhooks/twilio/messaging');
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', contactId).execute();
    expect(audit.map((a) => a.action)).toContain('contact.create');
  });
});
