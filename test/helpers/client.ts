import * as OTPAuth from 'otpauth';
import type { FastifyInstance } from 'fastify';
import type { TestUser } from './server.js';

export function totpCode(secret: string, at = Date.now()) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}

/**
 * An API client for one browser-like session over app.inject: keeps the cookie and the CSRF token like the web app.
 */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(private app: FastifyInstance) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method: method as any,
      url,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(this.csrf && { 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers['set-cookie'];
    const cookieLine = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (cookieLine) this.cookie = cookieLine.split(';')[0];
    const json = response.body && String(response.headers['content-type'] ?? '').includes('json') ? response.json() : undefined;
    if (json?.csrfToken) this.csrf = json.csrfToken;
    return { status: response.statusCode, body: json, headers: response.headers, raw: response };
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body: unknown = {}) => this.request('POST', url, body);
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  put = (url: string, body: unknown) => this.request('PUT', url, body);

  /**
   * Password and TOTP: the full sign-in an enrolled user does. `at` (a time, usually 30 s ago) signs in with the code of
   * an earlier step, so that a later sign-in of the same user with the current code is not a replay.
   */
  async signIn(user: TestUser, at?: number) {
    const login = await this.post('/api/auth/login', { email: user.email, password: user.password });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    if (!user.totpSecret) throw new Error('user has no TOTP secret');
    const offset = at === undefined ? 0 : at - Date.now();
    const step = () => Math.floor(Date.now() / 30_000);
    for (let attempt = 1; ; attempt++) {
      const before = step();
      const mfa = await this.post('/api/auth/mfa/verify', { code: totpCode(user.totpSecret, Date.now() + offset) });
      if (mfa.status === 200) return this;
      // A 30-second step ended between making the code and checking it (a busy machine): a code of the step before
      // is then two steps old, outside the server's window of one. Only in that case, once more with a fresh code.
      if (attempt === 1 && step() !== before && mfa.body?.error?.code === 'invalid_code') continue;
      throw new Error(`mfa failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
    }
  }
}
