import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/db.js';
import type { MasterKeyring } from './master-key.js';
import { fieldKeyVersion, hmac, normaliseEmail, normalisePhone, openField, sealField, unwrapKey, wrapKey } from './envelope.js';

interface HotlineKeys {
  dataKeys: Map<number, Buffer>;
  currentDataVersion: number;
  indexKey: Buffer;
  loadedAt: number;
}

export type BlindIndexKind = 'phone' | 'email' | 'text';

const REFRESH_MS = 60_000;

function keyAad(hotlineId: string, purpose: string, version: number) {
  return `catalyst-key|${hotlineId}|${purpose}|${version}`;
}

/**
 * Field-level envelope encryption. Each hotline has data keys (versioned; the newest encrypts, all decrypt) and a
 * blind-index key, all wrapped by the master key. Unwrapped keys are cached in memory and refreshed, so a rotation
 * done by another process is picked up without a restart.
 */
export class KeyStore {
  private cache = new Map<string, HotlineKeys>();

  constructor(private db: Db, readonly keyring: MasterKeyring) {}

  /** Creates the first data and index keys of a new hotline (inside the caller's transaction). */
  async createHotlineKeys(tx: DbOrTx, hotlineId: string): Promise<void> {
    const rows = (['data', 'index'] as const).map((purpose) => ({
      hotline_id: hotlineId,
      purpose,
      version: 1,
      wrapped_key: wrapKey(this.keyring.current.key, keyAad(hotlineId, purpose, 1), randomBytes(32)),
      master_key_id: this.keyring.current.id,
    }));
    await tx.insertInto('hotline_key').values(rows).execute();
  }

  async encrypt(hotlineId: string, field: string, plaintext: string | Buffer): Promise<Buffer> {
    const keys = await this.keysFor(hotlineId);
    return sealField(keys.dataKeys.get(keys.currentDataVersion)!, keys.currentDataVersion, `${hotlineId}|${field}`, plaintext);
  }

  async encryptOptional(hotlineId: string, field: string, plaintext: string | null | undefined): Promise<Buffer | null> {
    return plaintext === null || plaintext === undefined ? null : this.encrypt(hotlineId, field, plaintext);
  }

  async decrypt(hotlineId: string, field: string, sealed: Buffer): Promise<string> {
    return (await this.decryptBytes(hotlineId, field, sealed)).toString('utf8');
  }

  /** For binary values (attachments) and for re-encryption, which must not assume text. */
  async decryptBytes(hotlineId: string, field: string, sealed: Buffer): Promise<Buffer> {
    const version = fieldKeyVersion(sealed);
    let keys = await this.keysFor(hotlineId);
    if (!keys.dataKeys.has(version)) keys = await this.keysFor(hotlineId, true);
    const key = keys.dataKeys.get(version);
    if (!key) throw new Error(`Data key version ${version} is missing for this hotline`);
    return openField(key, `${hotlineId}|${field}`, sealed);
  }

  async decryptOptional(hotlineId: string, field: string, sealed: Buffer | null): Promise<string | null> {
    return sealed ? this.decrypt(hotlineId, field, sealed) : null;
  }

  /** An HMAC of the normalised value: equal inputs give equal indexes, and the index reveals nothing without the key. */
  async blindIndex(hotlineId: string, kind: BlindIndexKind, value: string): Promise<Buffer> {
    const keys = await this.keysFor(hotlineId);
    const normalised = kind === 'phone' ? normalisePhone(value) : kind === 'email' ? normaliseEmail(value) : value.trim().toLowerCase();
    return hmac(keys.indexKey, `${kind}:${normalised}`);
  }

  forget(hotlineId?: string) {
    if (hotlineId) this.cache.delete(hotlineId);
    else this.cache.clear();
  }

  private async keysFor(hotlineId: string, force = false): Promise<HotlineKeys> {
    const cached = this.cache.get(hotlineId);
    if (cached && !force && Date.now() - cached.loadedAt < REFRESH_MS) return cached;
    const rows = await this.db.selectFrom('hotline_key').selectAll().where('hotline_id', '=', hotlineId).execute();
    const dataKeys = new Map<number, Buffer>();
    let currentDataVersion = 0;
    let indexKey: Buffer | undefined;
    for (const row of rows) {
      const master = this.keyring.byId.get(row.master_key_id);
      if (!master) {
        throw new Error(`The master key ${row.master_key_id} that wraps this hotline's keys is not configured (set CATALYST_PREVIOUS_MASTER_KEYS)`);
      }
      const key = unwrapKey(master.key, keyAad(hotlineId, row.purpose, row.version), row.wrapped_key);
      if (row.purpose === 'index') indexKey = key;
      else {
        dataKeys.set(row.version, key);
        if (row.is_current) currentDataVersion = row.version;
      }
    }
    if (!indexKey || !currentDataVersion) throw new Error('This hotline has no encryption keys');
    const keys = { dataKeys, currentDataVersion, indexKey, loadedAt: Date.now() };
    this.cache.set(hotlineId, keys);
    return keys;
  }
}

/** Re-wraps every hotline key under the keyring's current master key. Data is untouched: no downtime. */
export async function rewrapAllKeys(db: Db, keyring: MasterKeyring, onProgress?: (done: number, total: number) => void) {
  return db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('hotline_key').selectAll().forUpdate().execute();
    let done = 0;
    for (const row of rows) {
      const aad = keyAad(row.hotline_id, row.purpose, row.version);
      const master = keyring.byId.get(row.master_key_id);
      if (!master) throw new Error(`The master key ${row.master_key_id} is not in the keyring; cannot re-wrap`);
      const wrapped = wrapKey(keyring.current.key, aad, unwrapKey(master.key, aad, row.wrapped_key));
      await tx
        .updateTable('hotline_key')
        .set({ wrapped_key: wrapped, master_key_id: keyring.current.id })
        .where('hotline_id', '=', row.hotline_id)
        .where('purpose', '=', row.purpose)
        .where('version', '=', row.version)
        .execute();
      done++;
      onProgress?.(done, rows.length);
    }
    return { rewrapped: rows.length, masterKeyId: keyring.current.id };
  });
}

/** Adds a new current data key version for each hotline; older versions stay to decrypt existing values. */
export async function rotateDataKeys(db: Db, keyring: MasterKeyring, hotlineIds?: string[]) {
  return db.transaction().execute(async (tx) => {
    // A stale master key would wrap the new keys under a key the rest of the install no longer uses.
    const unknown = await tx.selectFrom('hotline_key').select('master_key_id').distinct().execute();
    const missing = unknown.filter((k) => !keyring.byId.has(k.master_key_id));
    if (missing.length) throw new Error(`The configured master key does not open the existing keys (wrapped by ${missing.map((m) => m.master_key_id).join(', ')})`);
    let query = tx.selectFrom('hotline').select('id');
    if (hotlineIds?.length) query = query.where('id', 'in', hotlineIds);
    const hotlines = await query.execute();
    const result: { hotlineId: string; version: number }[] = [];
    for (const { id } of hotlines) {
      const { max } = await tx
        .selectFrom('hotline_key')
        .select((eb) => eb.fn.max('version').as('max'))
        .where('hotline_id', '=', id)
        .where('purpose', '=', 'data')
        .executeTakeFirstOrThrow();
      const version = Number(max ?? 0) + 1;
      await tx.updateTable('hotline_key').set({ is_current: false }).where('hotline_id', '=', id).where('purpose', '=', 'data').execute();
      await tx
        .insertInto('hotline_key')
        .values({
          hotline_id: id,
          purpose: 'data',
          version,
          wrapped_key: wrapKey(keyring.current.key, keyAad(id, 'data', version), randomBytes(32)),
          master_key_id: keyring.current.id,
          is_current: true,
        })
        .execute();
      result.push({ hotlineId: id, version });
    }
    return result;
  });
}
