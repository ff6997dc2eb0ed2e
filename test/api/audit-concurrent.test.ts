import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, sealAudit, verifyAudit } from '../../src/server/audit/audit.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// A chain nobody tampered with (audit.test.ts tampers with its own), verified while sealers run: the background one
// of this server and explicit ones standing for other servers sharing the database.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(() => server?.close());

describe('verifying while the sealer runs', () => {
  it('finds a sound chain sound even when sealing moves the head during the verification', async () => {
    const write = (n: number) =>
      server.db.transaction().execute(async (tx) => {
        for (let i = 0; i < n; i++) await appendAudit(tx, { hotlineId: server.hotline.id, actorId: null, actorLabel: 'test', action: 'test.concurrent', recordType: 'test', recordId: String(i) });
      });
    for (let round = 0; round < 5; round++) {
      await write(300);
      // Another server's sealer seals these rows while this one verifies (its first seal may take some of them).
      const [result] = await Promise.all([verifyAudit(server.db, { hotlineId: server.hotline.id }), sealAudit(server.db), write(50).then(() => sealAudit(server.db))]);
      expect(result.problems).toEqual([]);
    }
  });
});
