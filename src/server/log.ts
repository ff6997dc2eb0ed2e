import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data never belongs in a log line: request bodies are not logged, query strings are
 * cut from URLs (search terms are often names or phone numbers), and known sensitive keys are redacted wherever
 * they appear.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
];
// Sensitive keys are redacted at the top level and up to three levels down (pino redaction has no recursive wildcard).
const SENSITIVE_KEYS = ['password', 'newPassword', 'currentPassword', 'temporaryPassword', 'email', 'phone', 'name', 'displayName', 'givenName', 'familyName', 'address', 'dateOfBirth', 'code', 'secret', 'token', 'body', 'notes', 'summary', 'text', 'from', 'to'];
for (const key of SENSITIVE_KEYS) REDACT_PATHS.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`);

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
