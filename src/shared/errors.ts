/**
 * The closed set of expected failures. Services return them as typed results; the HTTP edge maps each code to one
 * status (src/server/http/errors.ts). A client can rely on the codes: they are part of the API.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  weak_password: 400,
  invalid_credentials: 401,
  invalid_code: 401,
  not_signed_in: 401,
  mfa_required: 401,
  csrf_failed: 403,
  forbidden: 403,
  password_change_required: 403,
  not_found: 404,
  email_taken: 409,
  conflict: 409,
  stale_version: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  not_ready: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface Failure {
  code: ErrorCode;
  message: string;
  /** Extra machine-readable fields for the client, e.g. `lockedUntil`. Never personal data. */
  extra?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, extra?: Record<string, unknown>): Result<T> => ({
  ok: false,
  error: { code, message, extra },
});
