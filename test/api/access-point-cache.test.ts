import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPointCache } from '../../src/server/channels/access-points.js';
import { addSmsNumber } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// The access-point look-up every webhook does: no stampede on the database when an entry expires under load.

let server: TestServer;
let number: string;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  number = await addSmsNumber(server);
});
afterAll(() => server?.close());

const setTeam = (team: string) => server.db.updateTable('access_point').set({ team }).where('hotline_id', '=', server.hotline.id).where('channel', '=', 'sms').execute();
const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('AccessPointCache', () => {
  it('answers a burst of first look-ups with one database read', async () => {
    const cache = new AccessPointCache(server.ctx);
    const found = await Promise.all(Array.from({ length: 50 }, () => cache.find('sms', number)));
    expect(found[0]).toMatchObject({ hotlineId: server.hotline.id, channel: 'sms' });
    // One read made one object; fifty reads would have made fifty.
    expect(new Set(found).size).toBe(1);
  });

  it('serves an expired entry while one background read refreshes it', async () => {
    const cache = new AccessPointCache(server.ctx, 30);
    await setTeam('north');
    const first = await cache.find('sms', number);
    expect(first?.team).toBe('north');
    await setTeam('south');
    await new Promise((r) => setTimeout(r, 40));
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.find('sms', number)));
    // Expired: the old answer at once, to everyone, while the refresh runs.
    expect(during.every((value) => value === first)).toBe(true);
    await until(async () => (await cache.find('sms', number))?.team === 'south');
    expect((await cache.find('sms', number))?.team).toBe('south');
  });

  it('forgets at once what clear() drops, even a read that was in flight', async () => {
    const cache = new AccessPointCache(server.ctx);
    await setTeam('east');
    const inFlight = cache.find('sms', number);
    await setTeam('west');
    cache.clear();
    expect((await cache.find('sms', number))?.team).toBe('west');
    await inFlight;
    expect((await cache.find('sms', number))?.team).toBe('west');
  });

  it('finds nothing for an unknown number, and keeps that answer too', async () => {
    const cache = new AccessPointCache(server.ctx);
    const [a, b] = await Promise.all([cache.find('sms', '+15550000000'), cache.find('sms', '+1 555 000 0000')]);
    expect(a).toBeNull();
    expect(b).toBeNull();
  });
});
