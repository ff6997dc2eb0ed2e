import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../../../shared/roles.js';
import { fill, TEXT, WEBFORM_LOCALES, type WebformText } from './webform.text.js';

const PUBLIC_DIR = fileURLToPath(new URL('../../../../public/webform/', import.meta.url));
const read = (name: string) => fs.readFileSync(PUBLIC_DIR + name, 'utf8');

/** Templates and assets, read once at start (they are small and change only with a release). */
const TEMPLATES = {
  page: read('page.html'),
  form: read('form.html'),
  done: read('done.html'),
  followUp: read('follow-up.html'),
  followUpDone: read('follow-up-done.html'),
  notFound: read('not-found.html'),
};

export const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'webform.js': { type: 'text/javascript; charset=utf-8', body: fs.readFileSync(PUBLIC_DIR + 'webform.js') },
  'webform.css': { type: 'text/css; charset=utf-8', body: fs.readFileSync(PUBLIC_DIR + 'webform.css') },
};

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `{{name}}` is escaped, `{{{name}}}` is a fragment we built. One pass: a value is never scanned for placeholders. */
export function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g, (_whole, raw: string | undefined, escaped: string | undefined) => {
    if (raw !== undefined) return vars[raw] ?? '';
    return escapeHtml(vars[escaped!] ?? '');
  });
}

export interface PageContext {
  lang: Locale;
  slug: string;
  hotlineName: string;
  exitUrl: string;
  greeting?: string | null;
}

export const urls = (slug: string, lang: Locale) => ({
  formUrl: `/tip/${slug}/${lang}`,
  followUpUrl: `/tip/${slug}/follow-up/${lang}`,
  tipAction: `/tip/${slug}`,
  followUpAction: `/tip/${slug}/follow-up`,
});

function textVars(t: WebformText): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(t)) out[key] = fill(value, { submit: t.submit, max: '10 000' });
  return out;
}

function layout(page: PageContext, title: string, main: string, linkFor: (lang: Locale) => string): string {
  const t = TEXT[page.lang];
  const langLinks = WEBFORM_LOCALES.map((l) => `<a href="${escapeHtml(linkFor(l))}" lang="${l}" hreflang="${l}"${l === page.lang ? ' aria-current="page"' : ''}>${escapeHtml(TEXT[l].languageName)}</a>`).join('');
  return render(TEMPLATES.page, { lang: page.lang, title: `${title} · ${page.hotlineName}`, exitUrl: page.exitUrl, quickExit: t.quickExit, quickExitHint: t.quickExitHint, languages: t.languages, langLinks, main });
}

function errorSummary(t: WebformText, errors: string[]): string {
  if (errors.length === 0) return '';
  return `<div id="form-errors" class="error-summary" role="alert" tabindex="-1"><h2>${escapeHtml(t.errorHeading)}</h2><ul>${errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>`;
}

const checked = (value: string | undefined, option: string) => (value === option ? ' checked' : '');
const invalidAttr = (invalid: Set<string>, name: string) => (invalid.has(name) ? ' aria-invalid="true"' : '');

export interface FormState {
  token: string;
  values: Record<string, string>;
  errors: string[];
  invalid: Set<string>;
}

export function tipFormPage(page: PageContext, state: FormState): string {
  const t = TEXT[page.lang];
  const v = state.values;
  const preferred = v.language || page.lang;
  const languageOptions = [...WEBFORM_LOCALES.map((l) => [l, TEXT[l].languageName] as const), ['other', t.otherLanguage] as const]
    .map(([value, label]) => `<option value="${value}"${value === preferred ? ' selected' : ''}>${escapeHtml(label)}</option>`)
    .join('');
  const u = urls(page.slug, page.lang);
  const main = render(TEMPLATES.form, {
    ...textVars(t),
    intro: fill(t.intro, { hotline: page.hotlineName }),
    greeting: page.greeting ? `<p class="notice">${escapeHtml(page.greeting)}</p>` : '',
    errors: errorSummary(t, state.errors),
    action: u.tipAction,
    followUpUrl: u.followUpUrl,
    token: state.token,
    lang: page.lang,
    what: v.what ?? '', where: v.where ?? '', when: v.when ?? '', phone: v.phone ?? '', email: v.email ?? '',
    dangerYes: checked(v.danger, 'yes'), dangerNo: checked(v.danger, 'no'), dangerUnknown: checked(v.danger, 'unknown'),
    minorYes: checked(v.minor, 'yes'), minorNo: checked(v.minor, 'no'), minorUnknown: checked(v.minor, 'unknown'),
    languageOptions,
    whatInvalid: invalidAttr(state.invalid, 'what'), phoneInvalid: invalidAttr(state.invalid, 'phone'), emailInvalid: invalidAttr(state.invalid, 'email'), filesInvalid: invalidAttr(state.invalid, 'files'),
  });
  return layout(page, t.pageTitle, main, (l) => urls(page.slug, l).formUrl);
}

export function tipDonePage(page: PageContext, result: { code: string; passphrase: string; retried: boolean }): string {
  const t = TEXT[page.lang];
  const u = urls(page.slug, page.lang);
  const main = render(TEMPLATES.done, {
    ...textVars(t),
    retried: result.retried ? `<p class="notice" role="status">${escapeHtml(t.doneRetried)}</p>` : '',
    code: result.code, passphrase: result.passphrase, followUpUrl: u.followUpUrl, formUrl: u.formUrl,
  });
  // The language links lead to an empty form: the passphrase is shown once, on this page only.
  return layout(page, t.doneTitle, main, (l) => urls(page.slug, l).formUrl);
}

export function followUpFormPage(page: PageContext, state: FormState): string {
  const t = TEXT[page.lang];
  const v = state.values;
  const u = urls(page.slug, page.lang);
  const main = render(TEMPLATES.followUp, {
    ...textVars(t),
    errors: errorSummary(t, state.errors),
    action: u.followUpAction, formUrl: u.formUrl, token: state.token, lang: page.lang,
    code: v.code ?? '', text: v.text ?? '',
    dangerYes: checked(v.danger, 'yes'), dangerNo: checked(v.danger, 'no'), dangerUnknown: checked(v.danger, 'unknown'),
    codeInvalid: invalidAttr(state.invalid, 'code'), textInvalid: invalidAttr(state.invalid, 'text'), filesInvalid: invalidAttr(state.invalid, 'files'),
  });
  return layout(page, t.fuTitle, main, (l) => urls(page.slug, l).followUpUrl);
}

export function followUpDonePage(page: PageContext): string {
  const t = TEXT[page.lang];
  const u = urls(page.slug, page.lang);
  const main = render(TEMPLATES.followUpDone, { ...textVars(t), followUpUrl: u.followUpUrl, formUrl: u.formUrl });
  return layout(page, t.fuDone, main, (l) => urls(page.slug, l).followUpUrl);
}

/** Unknown or closed form: one page in the three languages, since we cannot know the hotline's. */
export function notFoundPage(exitUrl: string): string {
  return render(TEMPLATES.notFound, {
    exitUrl,
    titleEn: TEXT.en.notFoundTitle, titleEs: TEXT.es.notFoundTitle, titleFr: TEXT.fr.notFoundTitle,
    textEn: TEXT.en.notFoundText, textEs: TEXT.es.notFoundText, textFr: TEXT.fr.notFoundText,
    exitEn: TEXT.en.quickExit, exitEs: TEXT.es.quickExit, exitFr: TEXT.fr.quickExit,
  });
}
