import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/log.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  // The server logs to memory, at the most verbose level, so the test sees everything it would log (request logs too).
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  server = await startTestServer({ listen: false, signInRatePerMinute: 1_000_000, log: createLogger('trace', sink) });
});
afterAll(() => server?.close());

describe('HTTP hygiene', () => {
  it('never logs passwords, codes, emails or query strings, even at trace level', async () => {
    const user = await server.createUser({ roles: ['admin'], email: 'sensitive.person@example.org', password: 'a very secret passphrase' });
    const client = await new ApiClient(server.app).signIn(user);
    await client.get('/api/admin/audit?recordId=Maria%20Nunez%20%2B15145550199');
    await new ApiClient(server.app).post('/api/auth/login', { email: 'sensitive.person@example.org', password: 'wrong but secret passphrase' });
    const redactionProbe = { email: 'probe@example.org', phone: '+1 514 555 0100', password: 'hunter2hunter2', nested: { name: 'Inès' } };
    server.ctx.log.info({ payload: redactionProbe }, 'probe');
    const all = logLines.join('\n');
    // Request logs are captured too: the audit query's route is there, its query string is not.
    expect(all).toContain('/api/admin/audit');
    expect(all).toContain('"msg":"probe"');
    for (const secret of ['a very secret passphrase', 'wrong but secret passphrase', 'sensitive.person@example.org', 'Maria', '5145550199', 'probe@example.org', '514 555 0100', 'hunter2hunter2', 'Inès', user.totpSecret!]) {
      expect(all).not.toContain(secret);
    }
  });

  it('refuses a body over 1 MiB with payload_too_large', async () => {
    const response = await new ApiClient(server.app).post('/api/auth/login', { email: 'a@example.org', password: 'x'.repeat(1_100_000) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('answers thousands of generated bad inputs on the public endpoints with a 4xx error code, never a 5xx', async () => {
    const routes = ['/api/auth/login', '/api/auth/mfa/verify', '/api/auth/mfa/enrol/start', '/api/auth/password'];
    const bodies = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ email: fc.oneof(fc.string(), fc.emailAddress(), fc.integer(), fc.constant(null)), password: fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())) }, { requiredKeys: [] }),
      fc.record({ code: fc.oneof(fc.string(), fc.nat(), fc.stringMatching(/^\d{6}$/)) }),
    );
    const contentTypes = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', '');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, contentTypes, async (url, body, contentType) => {
        const response = await server.app.inject({ method: 'POST', url, payload: typeof body === 'string' ? body : JSON.stringify(body), headers: contentType ? { 'content-type': contentType } : {} });
        expect(response.statusCode, `${url} ${contentType} ${JSON.stringify(body)?.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.json().error.code).toBeTypeOf('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps web app paths safe: traversal and malformed escapes never reach files outside the web root', async () => {
    for (const url of ['/%E0%A4%A', '/../../etc/passwd', '/assets/..%2F..%2Fpackage.json']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect([200, 400, 404, 503], url).toContain(response.statusCode);
      expect(response.body).not.toContain('"dependencies"');
      expect(response.body).not.toContain('root:');
    }
  });
});
