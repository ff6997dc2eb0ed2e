import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import type { AppContext } from '../../src/server/context.js';
import { KeyStore } from '../../src/server/crypto/keystore.js';
import { buildKeyring } from '../../src/server/crypto/master-key.js';
import { createHotline } from '../../src/server/hotlines/hotlines.repo.js';
import { BIN } from '../cli/run.js';
import { createTestDatabase } from '../helpers/db.js';
import { messageSid, TWILIO_TOKEN } from '../helpers/intake.js';

/**
 * Crash safety of SMS intake with the real `catalyst start` process: a burst of signed webhooks with many in flight,
 * SIGKILL mid-burst, a restart, and Twilio-style retries of everything that did not get a 2xx. Every message Twilio
 * was told was received (2xx) must be stored exactly once, and no retry may store a message twice.
 */
const MESSAGES = 1200;
const IN_FLIGHT = 64;
const KILL_AFTER_ACKS = 350;
const SENDERS = 60;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let keys: KeyStore;
let hotlineId: string;
const masterKey = randomBytes(32).toString('base64');
const number = `+1555${Math.floor(1000000 + Math.random() * 8999999)}`;
let child: ChildProcess | null = null;

function startCatalyst(): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, DATABASE_URL: database.url, CATALYST_MASTER_KEY: masterKey, PORT: '0', LOG_LEVEL: 'warn', CATALYST_SEED_DEMO: 'never' };
  const proc = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(/Catalyst is ready at (http:\/\/\S+)/);
      if (match) resolve({ child: proc, url: match[1] });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`catalyst exited early (${code}): ${output}`)));
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  keys = new KeyStore(database.db, buildKeyring(masterKey));
  const hotline = await database.db.transaction().execute((tx) => createHotline(tx, keys, { slug: `burst${randomBytes(3).toString('hex')}`, name: 'Burst', country: 'CA', timezone: 'America/Toronto' }));
  hotlineId = hotline.id;
  // The SMS line and its Twilio token, created through the library before the server process starts.
  await createAccessPoint(database.db, { keys } as AppContext, hotlineId, { channel: 'sms', name: 'SMS', address: number, settings: {}, secret: TWILIO_TOKEN });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child!.removeAllListeners('exit');
      child!.on('exit', () => resolve());
      child!.kill('SIGINT');
    });
  }
  await database?.drop();
});

describe('an SMS burst across a server crash', () => {
  it('stores every acknowledged message exactly once, and retried ones never twice', async () => {
    let current = await startCatalyst();
    child = current.child;
    const messages = Array.from({ length: MESSAGES }, (_, i) => ({ sid: messageSid(), from: `+1514555${String(1000 + (i % SENDERS)).padStart(4, '0')}`, body: `burst ${i} ${randomBytes(6).toString('hex')}` }));
    const acked = new Set<string>();
    const retried = new Set<string>();
    let attempts = 0;
    let killedAt = -1;
    let killTime = new Date(0);
    let restarting: Promise<void> | null = null;

    const post = async (m: (typeof messages)[number]) => {
      const url = `${current.url}/api/webhooks/twilio/messaging`;
      const params = { MessageSid: m.sid, AccountSid: 'AC' + '0'.repeat(32), From: m.from, To: number, Body: m.body, NumMedia: '0' };
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params) }, body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(10_000) });
      await response.text();
      return response.status;
    };

    const killAndRestart = () => {
      killedAt = acked.size;
      killTime = new Date();
      current.child.kill('SIGKILL');
      restarting = (async () => {
        await new Promise((r) => current.child.once('exit', r));
        current = await startCatalyst();
        child = current.child;
      })();
    };

    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const m = messages[next++];
        for (let attempt = 0; ; attempt++) {
          attempts++;
          let status = 0;
          try {
            status = await post(m);
          } catch {
            status = 0; // connection refused or reset: the server is down
          }
          if (status >= 200 && status < 300) {
            acked.add(m.sid);
            if (acked.size === KILL_AFTER_ACKS && killedAt < 0) killAndRestart();
            break;
          }
          expect(status === 0 || status >= 500, `unexpected ${status}`).toBe(true);
          retried.add(m.sid);
          // As Twilio does: retry later (here quickly, with a little backoff).
          await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
          if (attempt > 200) throw new Error('gave up');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await restarting;

    expect(killedAt).toBe(KILL_AFTER_ACKS);
    expect(retried.size).toBeGreaterThan(0);
    expect(acked.size).toBe(MESSAGES);

    const rows = await database.db.selectFrom('contact_message').select(['external_id', 'body', 'thread_id', 'contact_id', 'created_at']).where('hotline_id', '=', hotlineId).execute();
    const perSid = new Map<string, number>();
    for (const r of rows) perSid.set(r.external_id!, (perSid.get(r.external_id!) ?? 0) + 1);
    expect(rows).toHaveLength(MESSAGES);
    for (const m of messages) expect(perSid.get(m.sid), m.sid).toBe(1);
    // Stored intact (encrypted, decryptable) and threaded per sender even under the crash and the retries.
    const bySid = new Map(rows.map((r) => [r.external_id!, r]));
    for (const m of messages.filter((_, i) => i % 7 === 0)) expect(await keys.decrypt(hotlineId, 'contact_message.body', bySid.get(m.sid)!.body!)).toBe(m.body);
    expect(new Set(rows.map((r) => r.thread_id)).size).toBe(SENDERS);
    const contacts = await database.db.selectFrom('contact').select('id').where('hotline_id', '=', hotlineId).execute();
    expect(contacts).toHaveLength(SENDERS);
    // Retried messages the killed server had already committed: their retry was answered from the stored row.
    const committedBeforeKill = [...retried].filter((sid) => bySid.get(sid)!.created_at < killTime).length;
    console.log(`sms burst: ${MESSAGES} messages, ${IN_FLIGHT} in flight, SIGKILL after ${killedAt} acks, ${retried.size} messages retried (${committedBeforeKill} of them already committed before the kill, stored once), ${attempts} requests in all`);
  }, 180_000);
});
