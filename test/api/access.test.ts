import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/shared/roles.js';
import { DEFAULT_RULES } from '../../src/server/permissions/defaults.js';
import { compilePermissions } from '../../src/server/permissions/engine.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const clients = new Map<Role, ApiClient>();

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  for (const role of ROLES) clients.set(role, await new ApiClient(server.app).signIn(await server.createUser({ roles: [role] })));
});
afterAll(() => server?.close());

// A route that becomes public must be added here on purpose: everything else needs a session.
const EXPECTED_PUBLIC = new Set([
  'GET /healthz', 'GET /readyz', 'GET /api/openapi.json', 'GET /api/auth/session', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /*',
  'POST /api/webhooks/twilio/messaging',
  'GET /hsds/:hotline', 'GET /hsds/:hotline/services', 'GET /hsds/:hotline/services/:id', 'GET /hsds/:hotline/organizations', 'GET /hsds/:hotline/organizations/:id',
  'GET /webform/assets/:file', 'GET /tip/:slug', 'GET /tip/:slug/:lang', 'POST /tip/:slug', 'GET /tip/:slug/follow-up', 'GET /tip/:slug/follow-up/:lang', 'POST /tip/:slug/follow-up',
  'GET /chat/widget.js', 'GET /chat/assets/:file', 'GET /chat/:key/embed', 'GET /api/chat/visitor', 'POST /api/chat/visitor/files',
  'POST /api/partner/referral', 'POST /api/partner/referral/respond', 'POST /api/partner/referral/outcome', 'GET /partner/referral', 'GET /partner/assets/:file',
  // email: no public HTTP route (mail arrives over SMTP, on its own port)
  'GET /api/calendar/:token', // scheduling: a person's iCalendar feed, behind a secret token in the URL
  'POST /api/webhooks/twilio/voice', 'POST /api/webhooks/twilio/voice/wait', 'POST /api/webhooks/twilio/voice/queue-result', 'POST /api/webhooks/twilio/voice/status', 'POST /api/webhooks/twilio/message-status', 'POST /api/intake/v1/contacts', 'GET /api/intake/v1/contacts/:id',
]);

const concrete = (url: string) => url.replace(/:[a-zA-Z]+/g, randomUUID());

describe('deny by default', () => {
  it('lists only the expected public routes', () => {
    const isPublic = server.routes.filter((r) => 'public' in r.access).map((r) => `${r.method} ${r.url}`);
    expect(new Set(isPublic)).toEqual(EXPECTED_PUBLIC);
  });

  it('refuses every non-public route without a session (401)', async () => {
    const guarded = server.routes.filter((r) => !('public' in r.access));
    expect(guarded.length).toBeGreaterThan(10);
    for (const route of guarded) {
      const response = await new ApiClient(server.app).request(route.method, concrete(route.url), route.method === 'GET' ? undefined : {});
      expect({ route: `${route.method} ${route.url}`, status: response.status }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
    }
  });

  it('refuses every permission route to each role the rules do not allow (403), before validating input', async () => {
    let refusals = 0;
    for (const route of server.routes) {
      const actions = 'permission' in route.access ? [route.access.permission] : 'anyPermission' in route.access ? route.access.anyPermission : null;
      if (!actions) continue;
      for (const role of ROLES) {
        const can = compilePermissions(DEFAULT_RULES, { id: 'x', hotlineId: server.hotline.id, roles: [role], organisationId: null });
        if (actions.some((action) => can.mayAttempt(action))) continue;
        const response = await clients.get(role)!.request(route.method, concrete(route.url), route.method === 'GET' ? undefined : { nonsense: true });
        expect({ route: `${route.method} ${route.url}`, role, status: response.status }).toEqual({ route: `${route.method} ${route.url}`, role, status: 403 });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(40);
  });

  it('lets the roles the rules allow through the guard', async () => {
    const response = await clients.get('supervisor')!.get('/api/admin/users');
    expect(response.status).toBe(200);
    expect((await clients.get('advocate')!.get('/api/admin/users')).status).toBe(403);
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await clients.get('admin')!.get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('publishes an OpenAPI document generated from the zod schemas', async () => {
    const response = await new ApiClient(server.app).get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    const login = response.body.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(Object.keys(response.body.paths)).toContain('/api/admin/users/{id}');
  });

  it('sends security headers', async () => {
    const response = await new ApiClient(server.app).get('/healthz');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});
