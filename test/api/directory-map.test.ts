import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { mapTileSources } from '../../src/server/http/app.js';
import { seedDirectory } from '../../src/server/synthetic/directory.js';
import { Random } from '../../src/server/synthetic/random.js';

// What the directory map reads (docs/directory.md, Map): places and areas with each match, and tile settings.
let server: TestServer;
let advocate: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  await seedDirectory(server.ctx, { id: server.hotline.id, country: 'CA', timezone: 'America/Toronto' }, new Random('map-test'));
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
});
afterAll(async () => {
  await server?.close();
});

describe('directory map', () => {
  it('gives each match its places with coordinates and its service areas', async () => {
    const found = await advocate.get('/api/directory/search?needs=shelter&areaCode=CA-ON');
    expect(found.status).toBe(200);
    expect(found.body.items.length).toBeGreaterThan(0);
    for (const item of found.body.items) {
      expect(item.places.length).toBeGreaterThan(0);
      expect(item.places[0]).toEqual({ locationId: expect.any(String), name: expect.any(String), lat: expect.any(Number), lon: expect.any(Number) });
      // Ontario is around 42–57° N, 74–95° W; the synthetic places are near its cities.
      expect(item.places[0].lat).toBeGreaterThan(41);
      expect(item.places[0].lon).toBeLessThan(-74);
      expect(item.areas).toContain('CA-ON');
    }
  });

  it('has no tiles unless an operator configures them, and then allows only their host in the CSP', async () => {
    expect((await advocate.get('/api/directory/map')).body).toEqual({ tileUrl: null, attribution: null });
    const csp = String((await advocate.get('/api/directory/map')).headers['content-security-policy']);
    expect(csp).toMatch(/img-src 'self' data:;/);
    expect(mapTileSources(undefined)).toEqual([]);
    expect(mapTileSources('https://{s}.tiles.example.org/{z}/{x}/{y}.png')).toEqual(['https://*.tiles.example.org']);
    expect(mapTileSources('https://maps.example.net:8443/osm/{z}/{x}/{y}.png')).toEqual(['https://maps.example.net:8443']);
    server.ctx.config.mapTileUrl = 'https://maps.example.net/{z}/{x}/{y}.png';
    server.ctx.config.mapTileAttribution = '© Example contributors';
    try {
      expect((await advocate.get('/api/directory/map')).body).toEqual({ tileUrl: 'https://maps.example.net/{z}/{x}/{y}.png', attribution: '© Example contributors' });
    } finally {
      server.ctx.config.mapTileUrl = undefined;
      server.ctx.config.mapTileAttribution = undefined;
    }
  });

  it('refuses a tile URL that is not an https template', async () => {
    const { loadConfig } = await import('../../src/server/config.js');
    expect(() => loadConfig({ CATALYST_MAP_TILE_URL: 'http://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(/mapTileUrl/);
    expect(loadConfig({ CATALYST_MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' }).mapTileUrl).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
  });

  it('lists partners to re-verify: review overdue or due within the window, soonest first', async () => {
    const due = await advocate.get('/api/directory/reviews-due');
    expect(due.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(due.body.items.length).toBeGreaterThan(0);
    for (const item of due.body.items) {
      expect(item.reviewDueOn <= until).toBe(true);
      expect(item.overdue).toBe(item.reviewDueOn < today);
      expect(['vetted', 'prospective']).toContain(item.vettingStatus);
    }
    expect(due.body.items.map((i: any) => i.reviewDueOn)).toEqual([...due.body.items.map((i: any) => i.reviewDueOn)].sort());
    const wider = await advocate.get('/api/directory/reviews-due?withinDays=366');
    expect(wider.body.items.length).toBeGreaterThan(due.body.items.length);
    expect((await advocate.get('/api/directory/reviews-due?withinDays=-1')).status).toBe(400);
  });
});
