import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A 256-bit key-encryption key. Its id (a hash prefix) is stored beside every data key it wraps. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The current master key (wraps new data keys) and earlier ones (still unwrap old data keys during a rotation). */
export interface MasterKeyring {
  current: MasterKey;
  byId: Map<string, MasterKey>;
}

export function parseMasterKey(text: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error('A master key must be 32 bytes, given as 64 hex characters or base64 (generate one with `openssl rand -base64 32`)');
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

export function buildKeyring(current: string, previous: string[] = []): MasterKeyring {
  const currentKey = parseMasterKey(current);
  const byId = new Map<string, MasterKey>([[currentKey.id, currentKey]]);
  for (const text of previous) {
    const key = parseMasterKey(text);
    byId.set(key.id, key);
  }
  return { current: currentKey, byId };
}

export function generateMasterKeyText(): string {
  return randomBytes(32).toString('base64');
}

export const MASTER_KEY_FILE = 'master.key';
export const PREVIOUS_MASTER_KEYS_FILE = 'master.previous.keys';

/**
 * Resolves the keyring: CATALYST_MASTER_KEY (and CATALYST_PREVIOUS_MASTER_KEYS, comma separated) when set; else the
 * key file under the data directory, created on first start when `createIfMissing` (embedded development use only).
 */
export async function loadMasterKeyring(
  opts: { masterKey?: string; previousMasterKeys?: string; dataDir: string; createIfMissing: boolean },
  warn: (message: string) => void,
): Promise<MasterKeyring> {
  if (opts.masterKey) {
    return buildKeyring(opts.masterKey, splitKeys(opts.previousMasterKeys));
  }
  const file = path.join(opts.dataDir, MASTER_KEY_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    if (!opts.createIfMissing) {
      throw new Error('No master key: set CATALYST_MASTER_KEY (32 bytes, base64) or start once with the embedded database to create a key file');
    }
    await fs.mkdir(opts.dataDir, { recursive: true, mode: 0o711 });
    text = generateMasterKeyText();
    await fs.writeFile(file, text + '\n', { mode: 0o600, flag: 'wx' });
  }
  warn(
    `Using the master key file ${file}. This is for development and demos only: in production set CATALYST_MASTER_KEY ` +
      'from a secret store and keep it away from the database backups.',
  );
  const previous = await fs.readFile(path.join(opts.dataDir, PREVIOUS_MASTER_KEYS_FILE), 'utf8').catch(() => '');
  return buildKeyring(text, previous.split('\n').filter(Boolean));
}

function splitKeys(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
