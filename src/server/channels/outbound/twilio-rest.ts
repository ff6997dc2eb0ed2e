/**
 * The one Twilio REST call Catalyst makes: create a message. Plain fetch, no SDK. The base URL is configurable
 * (CATALYST_TWILIO_API_BASE) so tests point it at a local server and a deployment can use a regional edge.
 */
export const DEFAULT_TWILIO_API_BASE = 'https://api.twilio.com';

export function twilioApiBase(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.CATALYST_TWILIO_API_BASE?.trim();
  if (!raw) return DEFAULT_TWILIO_API_BASE;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('bad protocol');
    return url.toString().replace(/\/$/, '');
  } catch {
    throw new Error('Invalid configuration: CATALYST_TWILIO_API_BASE must be an http(s) URL');
  }
}

export type SendOutcome =
  | { kind: 'sent'; sid: string; providerStatus: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'failed'; reason: string };

export interface SendRequest {
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  statusCallback?: string;
}

const TIMEOUT_MS = 15_000;

export async function createTwilioMessage(base: string, req: SendRequest): Promise<SendOutcome> {
  const form = new URLSearchParams({ To: req.to, From: req.from, Body: req.body });
  if (req.statusCallback) form.set('StatusCallback', req.statusCallback);
  let response: Response;
  try {
    response = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(req.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${req.accountSid}:${req.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    // Refused, reset or timed out: Twilio may or may not have it; retrying is what Twilio documents for this.
    return { kind: 'retry', reason: 'network' };
  }
  let json: { sid?: unknown; status?: unknown; code?: unknown } = {};
  try {
    json = (await response.json()) as typeof json;
  } catch {
    json = {};
  }
  if (response.status >= 200 && response.status < 300) {
    if (typeof json.sid === 'string' && /^(SM|MM)[0-9a-fA-F]{32}$/.test(json.sid)) return { kind: 'sent', sid: json.sid, providerStatus: typeof json.status === 'string' ? json.status.slice(0, 40) : 'queued' };
    return { kind: 'failed', reason: 'bad_provider_response' };
  }
  const code = typeof json.code === 'number' || (typeof json.code === 'string' && /^\d{1,6}$/.test(json.code)) ? `twilio_${json.code}` : `http_${response.status}`;
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', reason: code };
  return { kind: 'failed', reason: code };
}
