import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomFillSync } from 'node:crypto';

/*
 * Field ciphertext layout (bytea): [format 0x01][data key version: uint32 BE][iv: 12][tag: 16][ciphertext].
 * The additional authenticated data binds a ciphertext to its hotline and field, so a value copied into another
 * record's column or another tenant fails to decrypt instead of leaking.
 */
const FORMAT = 0x01;
const HEADER = 1 + 4 + 12 + 16;

// Initialisation vectors come from a pool of random bytes filled 256 at a time (as Node's randomUUID does): one call
// into OpenSSL per field cost 4 % of the intake server's CPU. Every IV is still fresh CSPRNG output, used once.
const IV_POOL = Buffer.alloc(12 * 256);
let ivOffset = IV_POOL.length;
function freshIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + 12));
  ivOffset += 12;
  return iv;
}

export function sealField(key: Buffer, version: number, aad: string, plaintext: string | Buffer): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(5);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(version, 1);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export function fieldKeyVersion(sealed: Buffer): number {
  if (sealed.length < HEADER || sealed.readUInt8(0) !== FORMAT) throw new Error('Not a Catalyst field ciphertext');
  return sealed.readUInt32BE(1);
}

export function openField(key: Buffer, aad: string, sealed: Buffer): Buffer {
  fieldKeyVersion(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(5, 17));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(17, 33));
  return Buffer.concat([decipher.update(sealed.subarray(HEADER)), decipher.final()]);
}

/** Wraps a data key under a master key: [iv: 12][tag: 16][wrapped key: 32]. */
export function wrapKey(masterKey: Buffer, aad: string, dataKey: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unwrapKey(masterKey: Buffer, aad: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(wrapped.subarray(12, 28));
  return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
}

export function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** Normalisers for blind indexes: two spellings of one phone number or email must give the same index. */
export function normalisePhone(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return '+' + digits;
  if (digits.startsWith('00')) return '+' + digits.slice(2);
  return digits;
}

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
