/** Shared by the intake benches: a migrated database with a hotline and one SMS line, and a process's CPU time. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createAccessPoint } from '../src/server/channels/access-points.js';
import { loadConfig } from '../src/server/config.js';
import { RuleCache, type AppContext } from '../src/server/context.js';
import { KeyStore } from '../src/server/crypto/keystore.js';
import { buildKeyring } from '../src/server/crypto/master-key.js';
import { createDb } from '../src/server/db/db.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createHotline } from '../src/server/hotlines/hotlines.repo.js';
import { createLogger } from '../src/server/log.js';
import { SessionCache } from '../src/server/auth/sessions.js';

export const SMS_NUMBER = '+15557654321';
/** The Twilio auth token of the bench's SMS line (the benches sign their webhooks with it). */
export const SMS_TOKEN = 'bench-auth-token-0123456789abcdef';

/** Migrates the database, then creates a hotline and its SMS line through the library (as an admin would through the API). */
export async function setupSmsHotline(url: string, masterKey: string, { connections = 4 } = {}) {
  const db = createDb(url, { max: connections });
  await migrateToLatest(db);
  const keys = new KeyStore(db, buildKeyring(masterKey));
  const ctx = { config: loadConfig({}, { databaseUrl: url }), db, keys, log: createLogger('silent'), rules: new RuleCache(db), sessions: new SessionCache(), live: null, databaseUrl: url } as AppContext;
  const hotline = await db.transaction().execute((tx) => createHotline(tx, keys, { slug: `bench${randomBytes(3).toString('hex')}`, name: 'Bench', country: 'CA', timezone: 'America/Toronto' }));
  const accessPoint = await createAccessPoint(db, ctx, hotline.id, { channel: 'sms', name: 'SMS', address: SMS_NUMBER, settings: {}, secret: SMS_TOKEN });
  return { db, ctx, hotlineId: hotline.id, accessPointId: accessPoint.id, number: SMS_NUMBER };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}
