import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createHotline } from '../hotlines/hotlines.repo.js';
import type { Db } from '../db/db.js';
import { KeyStore, rewrapAllKeys, rotateDataKeys } from './keystore.js';
import { buildKeyring } from './master-key.js';
import { reencryptAll } from './encrypted-fields.js';
import { hashPassword } from '../auth/passwords.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
const oldMaster = randomBytes(32).toString('base64');
let hotlineA: string;
let hotlineB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const keys = new KeyStore(db, buildKeyring(oldMaster));
  hotlineA = (await db.transaction().execute((tx) => createHotline(tx, keys, { slug: 'enc-a', name: 'A', country: 'CA', timezone: 'UTC' }))).id;
  hotlineB = (await db.transaction().execute((tx) => createHotline(tx, keys, { slug: 'enc-b', name: 'B', country: 'MX', timezone: 'UTC' }))).id;
});
afterAll(() => database?.drop());

describe('field encryption', () => {
  it('round-trips text with accents and emoji, and never stores the plaintext', async () => {
    const keys = new KeyStore(db, buildKeyring(oldMaster));
    const plain = 'María José Núñez — +52 55 1234 5678 🙂';
    const sealed = await keys.encrypt(hotlineA, 'person.name', plain);
    expect(sealed.includes(Buffer.from('Núñez'))).toBe(false);
    expect(await keys.decrypt(hotlineA, 'person.name', sealed)).toBe(plain);
    // Two encryptions of one value differ (random IV).
    expect((await keys.encrypt(hotlineA, 'person.name', plain)).equals(sealed)).toBe(false);
  });

  it('refuses a ciphertext moved to another field or another hotline', async () => {
    const keys = new KeyStore(db, buildKeyring(oldMaster));
    const sealed = await keys.encrypt(hotlineA, 'person.name', 'secret');
    await expect(keys.decrypt(hotlineA, 'person.phone', sealed)).rejects.toThrow();
    await expect(keys.decrypt(hotlineB, 'person.name', sealed)).rejects.toThrow();
  });

  it('gives equal blind indexes for spellings of one phone or email, different ones across hotlines', async () => {
    const keys = new KeyStore(db, buildKeyring(oldMaster));
    const a = await keys.blindIndex(hotlineA, 'phone', '+1 (416) 555-0199');
    expect(a.equals(await keys.blindIndex(hotlineA, 'phone', '+14165550199'))).toBe(true);
    expect(a.equals(await keys.blindIndex(hotlineA, 'phone', '0014165550199'))).toBe(true);
    expect(a.equals(await keys.blindIndex(hotlineA, 'phone', '+14165550198'))).toBe(false);
    expect(a.equals(await keys.blindIndex(hotlineB, 'phone', '+14165550199'))).toBe(false);
    expect((await keys.blindIndex(hotlineA, 'email', ' Ana@Example.ORG ')).equals(await keys.blindIndex(hotlineA, 'email', 'ana@example.org'))).toBe(true);
  });

  it('rotates data keys: old values stay readable, new ones use the new version, re-encryption moves the rest', async () => {
    const keys = new KeyStore(db, buildKeyring(oldMaster));
    const before = await keys.encrypt(hotlineA, 'app_user.totp_secret', 'JBSWY3DPEHPK3PXP');
    const user = await db
      .insertInto('app_user')
      .values({ hotline_id: hotlineA, email: 'rot@example.org', display_name: 'R', password_hash: await hashPassword('x'.repeat(12)), roles: ['advocate'], organisation_id: null, totp_secret: before, totp_pending_secret: null, locked_until: null, last_sign_in_at: null, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rotated = await rotateDataKeys(db, keys.keyring, [hotlineA]);
    expect(rotated).toEqual([{ hotlineId: hotlineA, version: 2 }]);
    // Another server instance with a warm cache still reads the old value, and picks up the new key for new writes.
    keys.forget();
    const after = await keys.encrypt(hotlineA, 'x', 'y');
    expect(after.readUInt32BE(1)).toBe(2);
    expect(await keys.decrypt(hotlineA, 'app_user.totp_secret', before)).toBe('JBSWY3DPEHPK3PXP');

    const result = await reencryptAll(db, keys, new Map([[hotlineA, 2], [hotlineB, 1]]));
    expect(result.rewritten).toBe(1);
    const row = await db.selectFrom('app_user').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret!.readUInt32BE(1)).toBe(2);
    expect(await keys.decrypt(hotlineA, 'app_user.totp_secret', row.totp_secret!)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('re-wraps every key under a new master key; the old master alone then fails, old+new works', async () => {
    const oldKeyring = buildKeyring(oldMaster);
    const sealed = await new KeyStore(db, oldKeyring).encrypt(hotlineB, 'f', 'before master rotation');
    const newMaster = randomBytes(32).toString('base64');
    const both = buildKeyring(newMaster, [oldMaster]);
    const { rewrapped } = await rewrapAllKeys(db, both);
    expect(rewrapped).toBeGreaterThanOrEqual(4);
    expect(await new KeyStore(db, buildKeyring(newMaster)).decrypt(hotlineB, 'f', sealed)).toBe('before master rotation');
    await expect(new KeyStore(db, buildKeyring(oldMaster)).decrypt(hotlineB, 'f', sealed)).rejects.toThrow(/master key/);
  });
});
