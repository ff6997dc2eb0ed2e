import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, lazyChildLogger } from '../../src/server/log.js';
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

describe('the per-request logger (made only when a line gets through)', () => {
  const capture = (level: string) => {
    const out: { msg?: string; reqId?: string; level: number }[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n').filter(Boolean)) out.push(JSON.parse(l)); done(); } });
    return { log: createLogger(level, sink), out };
  };

  it('drops lines below its level and writes the others with the request id', async () => {
    const { log, out } = capture('info');
    const childOf = vi.spyOn(log, 'child');
    const request = lazyChildLogger(log, { reqId: 'req-7' }, { level: 'warn' });
    // What Fastify does with every request's logger: check its methods, log below the level. No child is made.
    expect(['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'].every((m) => typeof (request as unknown as Record<string, unknown>)[m] === 'function')).toBe(true);
    request.info('not at warn');
    expect(request.level).toBe('warn');
    expect(childOf).not.toHaveBeenCalled();
    request.warn('kept');
    request.child({ step: 'two' }).error('from a child');
    await new Promise((r) => setImmediate(r));
    expect(out.map((l) => [l.msg, l.reqId])).toEqual([['kept', 'req-7'], ['from a child', 'req-7']]);
  });

  it('follows a level changed on it, and the parent level when it has none of its own', async () => {
    const { log, out } = capture('warn');
    const request = lazyChildLogger(log, { reqId: 'req-8' }, {});
    request.info('below the parent level');
    request.level = 'info';
    request.info('now through');
    await new Promise((r) => setImmediate(r));
    expect(out.map((l) => l.msg)).toEqual(['now through']);
    expect(log.level).toBe('warn');
  });

  it('carries the request id on the access lines of ordinary routes', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await expect.poll(() => lines.some((l) => l.msg === 'request completed' && typeof (l as { reqId?: string }).reqId === 'string')).toBe(true);
  });
});
