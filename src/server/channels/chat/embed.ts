import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActiveAccessPoint } from '../access-points.js';
import { CHAT_LANGUAGES } from './chat.protocol.js';

const PUBLIC_DIR = fileURLToPath(new URL('../../../../public/chat/', import.meta.url));

/** The static files of the widget and the embedded page, read once (they are small). */
export const ASSETS: Record<string, { type: string; body: Buffer }> = {};
for (const [name, type] of [['widget.js', 'text/javascript; charset=utf-8'], ['embed.js', 'text/javascript; charset=utf-8'], ['embed.css', 'text/css; charset=utf-8']] as const) {
  ASSETS[name] = { type, body: fs.readFileSync(PUBLIC_DIR + name) };
}
const TEMPLATE = fs.readFileSync(PUBLIC_DIR + 'embed.html', 'utf8');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Origins (scheme://host[:port]) from the access point's configured URLs; anything that is not http(s) is dropped. */
export function allowedOrigins(accessPoint: ActiveAccessPoint): string[] {
  const out: string[] = [];
  for (const value of accessPoint.settings.allowedOrigins ?? []) {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') out.push(url.origin);
    } catch {
      // The settings schema checks URLs; an odd stored value is simply not trusted.
    }
  }
  return [...new Set(out)];
}

export function languagesOf(accessPoint: ActiveAccessPoint): string[] {
  const configured = (accessPoint.settings.languages ?? []).filter((l) => (CHAT_LANGUAGES as readonly string[]).includes(l));
  return configured.length > 0 ? configured : [...CHAT_LANGUAGES];
}

/** Outside opening hours: where the visitor can write instead (the hotline's web tip form, if it has one). */
export interface ClosedState {
  /** Outside the opening hours, or (a line set to open only while staffed) nobody available to answer. */
  reason: 'hours' | 'unstaffed';
  tipPath: string | null;
  /** The hotline's time zone, in which the opening hours are given (shown with them). */
  timeZone: string;
}

/**
 * The embedded chat page: static HTML with the page's settings in one escaped data attribute (no inline script).
 * `closed` (outside the access point's hours) makes the page show the after-hours message instead of the pre-chat
 * questions; a visitor whose chat is already running resumes it.
 */
export function renderEmbed(accessPoint: ActiveAccessPoint, key: string, requestedLang: string | undefined, closed: ClosedState | null = null) {
  const languages = languagesOf(accessPoint);
  const lang = requestedLang && languages.includes(requestedLang) ? requestedLang : languages[0];
  const config = {
    key, lang, languages, greetings: accessPoint.settings.greetings ?? {},
    open: !closed, closedReason: closed?.reason ?? null, afterHours: accessPoint.settings.afterHoursMessage ?? {}, tipPath: closed?.tipPath ?? null,
    // Closed for the hours: when to come back.
    hours: closed?.reason === 'hours' ? (accessPoint.settings.hours ?? []) : [], timeZone: closed?.timeZone ?? null,
  };
  return TEMPLATE.replaceAll('{{lang}}', escapeHtml(lang)).replace('{{config}}', escapeHtml(JSON.stringify(config)));
}

/** The page's own CSP: the global one, except that the hotline's configured sites may frame it. */
export function embedCsp(origins: string[]) {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "font-src 'self'",
    "object-src 'none'", "form-action 'self'", "base-uri 'self'", `frame-ancestors ${origins.length > 0 ? origins.join(' ') : "'none'"}`,
  ].join('; ');
}
