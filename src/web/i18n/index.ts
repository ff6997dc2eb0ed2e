import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api.js';
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

/**
 * Each feature may keep its strings in its own files, `features/<feature>.<locale>.json`, so features grow without
 * touching one shared file; their keys appear under `<feature>.` in the one translation namespace.
 */
const featureFiles = import.meta.glob('./features/*.json', { eager: true, import: 'default' }) as Record<string, Record<string, unknown>>;

function withFeatures(locale: 'en' | 'es' | 'fr', base: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [file, strings] of Object.entries(featureFiles)) {
    const match = /\/([a-zA-Z0-9-]+)\.(en|es|fr)\.json$/.exec(file);
    if (match && match[2] === locale) merged[match[1]] = { ...(merged[match[1]] as object | undefined), ...strings };
  }
  return merged;
}

export const LOCALES: readonly Locale[] = ['en', 'es', 'fr'];

/** Each language is named in itself so a reader finds their own language whatever is on screen. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', fr: 'Français' };

const STORAGE_KEY = 'catalyst.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

/** Before sign-in: the language chosen on this device, else the browser's languages, else English. */
export function detectLocale(): Locale {
  const stored = readStoredLocale();
  if (stored) return stored;
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of preferred) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function currentLocale(): Locale {
  return isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

function syncDocumentLanguage(lng: string): void {
  document.documentElement.lang = lng;
  document.documentElement.dir = i18n.dir(lng);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: withFeatures('en', en) }, es: { translation: withFeatures('es', es) }, fr: { translation: withFeatures('fr', fr) } },
  lng: detectLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

export default i18n;
