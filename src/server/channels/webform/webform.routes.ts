import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../../shared/errors.js';
import { ERROR_STATUS } from '../../../shared/errors.js';
import type { Locale } from '../../../shared/roles.js';
import type { AppContext } from '../../context.js';
import type { AccessPointCache, ActiveAccessPoint } from '../access-points.js';
import { cleanFilename, detectAttachmentType } from './webform.files.js';
import { exitUrl, WEBFORM_LIMITS, WindowCounter } from './webform.limits.js';
import { MULTIPART_LIMITS, readSubmission, type ReadFailure, type UploadedFile } from './webform.parse.js';
import { ASSETS, followUpDonePage, followUpFormPage, notFoundPage, tipDonePage, tipFormPage, type FormState, type PageContext } from './webform.render.js';
import { checkFormToken, issueFormToken, normalisePassphrase, normaliseReferenceCode, type TokenPurpose } from './webform.secrets.js';
import { addFollowUp, submitTip, type Answer, type CheckedFile, type WebformTarget } from './webform.service.js';
import { fill, negotiateLocale, TEXT, WEBFORM_LOCALES, type WebformText } from './webform.text.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const HOTLINE_CACHE_MS = 30_000;
const MAX_TEXT = 10_000;
const LIMITS = { what: MAX_TEXT, text: MAX_TEXT, where: 300, when: 200, phone: 40, email: 254 } as const;
const publicAccess = { public: true as const };
// @fastify/rate-limit here is only the flood guard before a body is read; the person-facing limits come after.
const PAGE_RATE = { max: 300, timeWindow: '1 minute' };
const POST_RATE = { max: async () => WEBFORM_LIMITS.postsPerMinute, timeWindow: '1 minute' };

interface Resolved {
  accessPoint: ActiveAccessPoint;
  target: WebformTarget;
  hotlineName: string;
}

type Refusal = { status: ErrorCode; errors: string[]; invalid: string[] };

const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (WEBFORM_LOCALES as readonly string[]).includes(value);
const answerOf = (value: string | undefined): Answer => (value === 'yes' || value === 'no' ? value : 'unknown');
const wantsJson = (request: FastifyRequest) => /application\/json/i.test(String(request.headers.accept ?? '')) && !/text\/html/i.test(String(request.headers.accept ?? ''));

/**
 * Every page of the form: never cached (a shared device must not keep it), no referrer sent on (the neutral site the
 * quick exit leads to must not learn where the person came from), and not indexed.
 */
function securePage(reply: FastifyReply) {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow').header('vary', 'accept-language, accept');
}

/**
 * The public web tip form: `/tip/<slug>[/<lang>]`, its follow-up page, and their two static assets. No sign-in; the
 * hotline is found through its active `webform` access point (address = the hotline slug). See docs/intake-webform.md.
 */
export async function webformRoutes(app: FastifyInstance, ctx: AppContext, accessPoints: AccessPointCache) {
  // Multipart is parsed only in this scope: the rest of the API stays JSON and form-encoded.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
    registerRoutes(scope, ctx, accessPoints);
  });
}

function registerRoutes(app: FastifyInstance, ctx: AppContext, accessPoints: AccessPointCache) {
  const hotlines = new Map<string, { name: string; locale: Locale; at: number }>();
  const tipCounter = new WindowCounter(() => WEBFORM_LIMITS.tipsPerHour, 60 * 60_000);
  const followUpCounter = new WindowCounter(() => WEBFORM_LIMITS.followUpsPer15Min, 15 * 60_000);
  const exit = exitUrl();

  async function resolve(slug: string): Promise<Resolved | null> {
    if (!SLUG.test(slug)) return null;
    const accessPoint = await accessPoints.find('webform', slug);
    if (!accessPoint) return null;
    let hotline = hotlines.get(accessPoint.hotlineId);
    if (!hotline || Date.now() - hotline.at > HOTLINE_CACHE_MS) {
      const row = await ctx.db.selectFrom('hotline').select(['name', 'default_locale']).where('id', '=', accessPoint.hotlineId).executeTakeFirst();
      if (!row) return null;
      hotline = { name: row.name, locale: isLocale(row.default_locale) ? row.default_locale : 'en', at: Date.now() };
      hotlines.set(accessPoint.hotlineId, hotline);
    }
    return { accessPoint, hotlineName: hotline.name, target: { hotlineId: accessPoint.hotlineId, accessPointId: accessPoint.id, team: accessPoint.team, staffLocale: hotline.locale } };
  }

  const pageOf = (resolved: Resolved, slug: string, lang: Locale): PageContext => ({
    lang, slug: slug.toLowerCase(), hotlineName: resolved.hotlineName, exitUrl: exit, greeting: resolved.accessPoint.settings.greetings?.[lang] ?? null,
  });

  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    securePage(reply).status(404);
    if (wantsJson(request)) return reply.send({ error: { code: 'not_found', message: 'This reporting form does not exist or is closed' } });
    return reply.type('text/html; charset=utf-8').send(notFoundPage(exit));
  };

  // --- static assets -------------------------------------------------------------------------------------------
  app.get('/webform/assets/:file', { config: { access: publicAccess, rateLimit: PAGE_RATE }, schema: { hide: true } }, async (request, reply) => {
    const asset = ASSETS[(request.params as { file: string }).file];
    if (!asset) return notFound(request, reply);
    return reply.header('content-type', asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
  });

  // --- the tip form --------------------------------------------------------------------------------------------
  const showTipForm = async (request: FastifyRequest, reply: FastifyReply, slug: string, lang: Locale) => {
    const resolved = await resolve(slug);
    if (!resolved) return notFound(request, reply);
    const token = await issueFormToken(ctx.keys, resolved.target.hotlineId, 'tip');
    return securePage(reply).type('text/html; charset=utf-8').send(tipFormPage(pageOf(resolved, slug, lang), { token, values: {}, errors: [], invalid: new Set() }));
  };

  app.get('/tip/:slug', { config: { access: publicAccess, rateLimit: PAGE_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    return showTipForm(request, reply, slug, negotiateLocale(request.headers['accept-language']));
  });

  app.get('/tip/:slug/:lang', { config: { access: publicAccess, rateLimit: PAGE_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug, lang } = request.params as { slug: string; lang: string };
    if (!isLocale(lang)) return notFound(request, reply);
    return showTipForm(request, reply, slug, lang);
  });

  app.post('/tip/:slug', { config: { access: publicAccess, rateLimit: POST_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const resolved = await resolve(slug);
    if (!resolved) return drainAnd(request, () => notFound(request, reply));
    const read = await readSubmission(request);
    const fields = read.ok ? read.value.fields : read.fields;
    const lang = isLocale(fields.lang) ? fields.lang : negotiateLocale(request.headers['accept-language']);
    const t = TEXT[lang];
    const page = pageOf(resolved, slug, lang);
    const values = keep(fields, ['what', 'where', 'when', 'danger', 'minor', 'phone', 'email', 'language']);
    const refuse = async (refusal: Refusal, extraFilesNote: boolean) => {
      const token = await issueFormToken(ctx.keys, resolved.target.hotlineId, 'tip');
      const errors = extraFilesNote ? [...refusal.errors, t.errFilesAgain] : refusal.errors;
      securePage(reply).status(ERROR_STATUS[refusal.status]);
      if (wantsJson(request)) return reply.send({ error: { code: refusal.status, message: errors.join(' '), token } });
      return reply.type('text/html; charset=utf-8').send(tipFormPage(page, { token, values, errors, invalid: new Set(refusal.invalid) }));
    };

    if (!read.ok) return refuse(readRefusal(t, read.reason), read.reason !== 'unsupported');
    const files = read.value.files;
    if (!tipCounter.hit(request.ip)) return refuse({ status: 'rate_limited', errors: [t.errRateLimited], invalid: [] }, files.length > 0);
    const spam = await spamCheck(ctx, resolved.target.hotlineId, 'tip', fields, t);
    if (!spam.ok) return refuse(spam.refusal, files.length > 0);

    const problems: Refusal = { status: 'validation_failed', errors: [], invalid: [] };
    const what = fields.what ?? '';
    if (!what.trim()) add(problems, 'what', t.errWhatRequired);
    for (const name of ['what', 'where', 'when'] as const) if ((fields[name] ?? '').length > LIMITS[name]) add(problems, name, fill(t.errTooLong, { max: LIMITS[name] }));
    const phone = (fields.phone ?? '').trim();
    if (phone && (phone.length > LIMITS.phone || !/^[+()\d\s.\-/]+$/.test(phone) || phone.replace(/\D/g, '').length < 5)) add(problems, 'phone', t.errPhone);
    const email = (fields.email ?? '').trim();
    if (email && (email.length > LIMITS.email || !/^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(email))) add(problems, 'email', t.errEmail);
    const checkedFiles = checkFiles(files, t, problems);
    if (problems.errors.length > 0) return refuse(problems, files.length > 0);

    const preferred = ['en', 'es', 'fr', 'other'].includes(fields.language ?? '') ? fields.language! : lang;
    try {
      const outcome = await submitTip(ctx, resolved.target, {
        nonce: spam.nonce, what, where: fields.where ?? '', when: fields.when ?? '', danger: answerOf(fields.danger), minor: answerOf(fields.minor),
        phone, email, preferredLanguage: preferred, files: checkedFiles, ip: request.ip,
      });
      if (outcome.kind === 'token_used') return refuse({ status: 'conflict', errors: [t.errAlreadyUsed], invalid: [] }, files.length > 0);
      securePage(reply).status(201);
      if (wantsJson(request)) return reply.send({ reference: outcome.code, passphrase: outcome.passphrase, retried: outcome.kind === 'reissued' });
      return reply.type('text/html; charset=utf-8').send(tipDonePage(page, { code: outcome.code, passphrase: outcome.passphrase, retried: outcome.kind === 'reissued' }));
    } catch (error) {
      // A fault, not bad input: logged without the person's words, answered with their text kept so they can retry.
      request.log.error({ err: error }, 'webform tip could not be stored');
      return refuse({ status: 'internal_error', errors: [t.errServer], invalid: [] }, files.length > 0);
    }
  });

  // --- the follow-up page --------------------------------------------------------------------------------------
  const showFollowUp = async (request: FastifyRequest, reply: FastifyReply, slug: string, lang: Locale) => {
    const resolved = await resolve(slug);
    if (!resolved) return notFound(request, reply);
    const token = await issueFormToken(ctx.keys, resolved.target.hotlineId, 'follow-up');
    return securePage(reply).type('text/html; charset=utf-8').send(followUpFormPage(pageOf(resolved, slug, lang), { token, values: {}, errors: [], invalid: new Set() }));
  };

  app.get('/tip/:slug/follow-up', { config: { access: publicAccess, rateLimit: PAGE_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    return showFollowUp(request, reply, slug, negotiateLocale(request.headers['accept-language']));
  });

  app.get('/tip/:slug/follow-up/:lang', { config: { access: publicAccess, rateLimit: PAGE_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug, lang } = request.params as { slug: string; lang: string };
    if (!isLocale(lang)) return notFound(request, reply);
    return showFollowUp(request, reply, slug, lang);
  });

  app.post('/tip/:slug/follow-up', { config: { access: publicAccess, rateLimit: POST_RATE }, schema: { hide: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const resolved = await resolve(slug);
    if (!resolved) return drainAnd(request, () => notFound(request, reply));
    const read = await readSubmission(request);
    const fields = read.ok ? read.value.fields : read.fields;
    const lang = isLocale(fields.lang) ? fields.lang : negotiateLocale(request.headers['accept-language']);
    const t = TEXT[lang];
    const page = pageOf(resolved, slug, lang);
    // The passphrase is never sent back, and nothing of the earlier report is ever shown.
    const values = keep(fields, ['code', 'text', 'danger']);
    const refuse = async (refusal: Refusal, extraFilesNote: boolean) => {
      const token = await issueFormToken(ctx.keys, resolved.target.hotlineId, 'follow-up');
      const errors = extraFilesNote ? [...refusal.errors, t.errFilesAgain] : refusal.errors;
      securePage(reply).status(ERROR_STATUS[refusal.status]);
      if (wantsJson(request)) return reply.send({ error: { code: refusal.status, message: errors.join(' '), token } });
      return reply.type('text/html; charset=utf-8').send(followUpFormPage(page, { token, values, errors, invalid: new Set(refusal.invalid) }));
    };

    if (!read.ok) return refuse(readRefusal(t, read.reason), read.reason !== 'unsupported');
    const files = read.value.files;
    if (!followUpCounter.hit(request.ip)) return refuse({ status: 'rate_limited', errors: [t.errRateLimited], invalid: [] }, files.length > 0);
    const spam = await spamCheck(ctx, resolved.target.hotlineId, 'follow-up', fields, t);
    if (!spam.ok) return refuse(spam.refusal, files.length > 0);

    const problems: Refusal = { status: 'validation_failed', errors: [], invalid: [] };
    const text = fields.text ?? '';
    if (text.length > LIMITS.text) add(problems, 'text', fill(t.errTooLong, { max: LIMITS.text }));
    const checkedFiles = checkFiles(files, t, problems);
    if (!text.trim() && files.length === 0) add(problems, 'text', t.errFollowUpEmpty);
    if (!(fields.code ?? '').trim() || !(fields.passphrase ?? '').trim()) add(problems, 'code', t.errFollowUpWrong);
    if (problems.errors.length > 0) return refuse(problems, files.length > 0);

    try {
      const outcome = await addFollowUp(ctx, resolved.target, {
        nonce: spam.nonce, code: normaliseReferenceCode(fields.code!), passphrase: normalisePassphrase(fields.passphrase!), text, danger: answerOf(fields.danger),
        language: lang, files: checkedFiles, ip: request.ip,
      });
      if (outcome.kind === 'wrong') return refuse({ status: 'invalid_credentials', errors: [t.errFollowUpWrong], invalid: ['code'] }, files.length > 0);
      if (outcome.kind === 'locked') return refuse({ status: 'rate_limited', errors: [t.errFollowUpLocked], invalid: [] }, files.length > 0);
      if (outcome.kind === 'token_used') return refuse({ status: 'conflict', errors: [t.errAlreadyUsed], invalid: [] }, files.length > 0);
      securePage(reply).status(201);
      if (wantsJson(request)) return reply.send({ added: true });
      return reply.type('text/html; charset=utf-8').send(followUpDonePage(page));
    } catch (error) {
      request.log.error({ err: error }, 'webform follow-up could not be stored');
      return refuse({ status: 'internal_error', errors: [t.errServer], invalid: [] }, files.length > 0);
    }
  });
}

function keep(fields: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (typeof fields[name] === 'string') out[name] = fields[name].slice(0, MAX_TEXT);
  return out;
}

function add(refusal: Refusal, field: string, message: string) {
  if (!refusal.errors.includes(message)) refusal.errors.push(message);
  if (!refusal.invalid.includes(field)) refusal.invalid.push(field);
}

function readRefusal(t: WebformText, reason: ReadFailure): Refusal {
  switch (reason) {
    case 'file_too_large':
      return { status: 'payload_too_large', errors: [t.errFileTooLarge], invalid: ['files'] };
    case 'too_many_files':
      return { status: 'payload_too_large', errors: [t.errTooManyFiles], invalid: ['files'] };
    case 'too_large':
      return { status: 'payload_too_large', errors: [fill(t.errTooLong, { max: MAX_TEXT })], invalid: [] };
    case 'unsupported':
      return { status: 'unsupported_media_type', errors: [t.errFormRead], invalid: [] };
    default:
      return { status: 'validation_failed', errors: [t.errFormRead], invalid: [] };
  }
}

/**
 * The honeypot and the signed form token. The answers name no check: a filled honeypot and a forged token get the
 * same words; too fast and too old say what to do, since a person can meet them too.
 */
async function spamCheck(ctx: AppContext, hotlineId: string, purpose: TokenPurpose, fields: Record<string, string>, t: WebformText): Promise<{ ok: true; nonce: string } | { ok: false; refusal: Refusal }> {
  const token = await checkFormToken(ctx.keys, hotlineId, purpose, fields.t);
  if ((fields.website ?? '') !== '' || (!token.ok && token.reason === 'invalid')) return { ok: false, refusal: { status: 'validation_failed', errors: [t.errNotAccepted], invalid: [] } };
  if (!token.ok) return { ok: false, refusal: { status: 'validation_failed', errors: [token.reason === 'too_fast' ? t.errTooFast : t.errExpired], invalid: [] } };
  return { ok: true, nonce: token.nonce };
}

/** Each file is typed by its bytes; the name is kept (encrypted) only to show staff what the person called it. */
function checkFiles(files: UploadedFile[], t: WebformText, problems: Refusal): CheckedFile[] {
  const out: CheckedFile[] = [];
  for (const file of files) {
    const filename = cleanFilename(file.filename);
    if (file.data.length === 0) {
      add(problems, 'files', fill(t.errFileEmpty, { name: filename }));
      continue;
    }
    const contentType = detectAttachmentType(file.data);
    if (!contentType) {
      add(problems, 'files', fill(t.errFileType, { name: filename }));
      problems.status = 'unsupported_media_type';
      continue;
    }
    out.push({ filename, contentType, data: file.data });
  }
  return out;
}

/** For an unknown form, the body is not read at all; the connection is closed after the answer instead. */
function drainAnd(request: FastifyRequest, answer: () => unknown) {
  request.raw.resume();
  return answer();
}
