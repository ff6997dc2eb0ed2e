import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = 'Catalyst') {
  return new OTPAuth.TOTP({ issuer: 'Catalyst', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

export async function enrolmentMaterial(secret: string, label: string) {
  const otpauthUrl = totpFor(secret, label).toString();
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
  return { secret, otpauthUrl, qrDataUrl };
}

/**
 * Checks a code within one step of clock drift. Returns the time-step counter it matched, so the caller can refuse a
 * code that was already used (replay), or null.
 */
export function matchTotp(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD) + delta;
}
