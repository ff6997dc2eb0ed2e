import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// argon2id with the OWASP minimum profile (19 MiB, 2 passes): about 20-30 ms per hash on one core here.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string) {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

const COMMON = new Set(['password1234', 'passwordpassword', '123456789012', 'qwertyuiopas', 'catalystcatalyst', 'changemechangeme']);

/** Returns why a password is too weak, or null. Length beats composition rules (NIST SP 800-63B). */
export function passwordWeakness(password: string, email: string): string | null {
  if (password.length < 12) return 'Use at least 12 characters';
  if (password.length > 256) return 'Use at most 256 characters';
  const lower = password.toLowerCase();
  if (lower === email.toLowerCase() || lower.includes(email.split('@')[0].toLowerCase())) return 'Do not use your email address in the password';
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'This password is too easy to guess';
  return null;
}

/** A temporary password an admin reads out or sends: 4 groups of 4 from an unambiguous alphabet (~80 bits). */
export function generateTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
