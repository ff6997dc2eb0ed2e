import type { TFunction } from 'i18next';
import { isApiError } from '../../api.js';
import { formatDateTime } from '../../i18n/format.js';

/**
 * Turns an API error into a sentence for the person at the screen. Known codes get a translated
 * message; unknown ones fall back to the server's message so nothing is ever silently swallowed.
 */
export function describeError(error: unknown, t: TFunction, locale: string): string {
  if (!isApiError(error)) return t('errors.unexpected');
  switch (error.code) {
    case 'account_locked': {
      const until = typeof error.body.lockedUntil === 'string' ? error.body.lockedUntil : null;
      return until
        ? t('errors.account_locked_until', { time: formatDateTime(until, locale) })
        : t('errors.account_locked');
    }
    case 'invalid_credentials':
    case 'invalid_code':
    case 'rate_limited':
    case 'weak_password':
    case 'email_taken':
    case 'network_error':
    case 'server_error':
    case 'forbidden':
    case 'not_found':
    case 'csrf_failed':
    case 'unauthenticated':
      return t(`errors.${error.code}`);
    case 'not_signed_in':
    case 'mfa_required':
      return t('errors.unauthenticated');
    case 'internal_error':
    case 'not_ready':
      return t('errors.server_error');
    case 'password_change_required':
    case 'conflict':
    case 'stale_version':
      return t(`errors.${error.code}`);
    case 'validation_failed':
      return t('errors.validation_failed', { message: error.message });
    default:
      return error.message || t('errors.unexpected');
  }
}
