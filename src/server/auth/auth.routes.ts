import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { changePasswordBody, loginBody, totpCodeBody, updateMeBody } from '../../shared/api/auth.js';
import type { AppContext } from '../context.js';
import { sendError, sendFailure } from '../http/errors.js';
import { compilePermissions } from '../permissions/engine.js';
import { sessionOf } from '../http/access.js';
import { appendAudit } from '../audit/audit.js';
import { changePassword, confirmEnrolment, signIn, signOut, startEnrolment, verifySecondFactor } from './auth.service.js';
import { csrfMatches, loadSession, SESSION_COOKIE, type LoadedSession } from './sessions.js';


function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    // Secure whenever the browser reached us over HTTPS (directly or through a trusted proxy).
    secure: request.protocol === 'https',
    maxAge: 12 * 60 * 60,
  });
}

export async function presentSession(ctx: AppContext, session: LoadedSession | null) {
  if (!session) return { state: 'anonymous' as const, csrfToken: null, user: null, permissions: [] as string[] };
  const { rules } = await ctx.rules.get(session.user.hotlineId);
  const permissions = session.state === 'signed_in' ? compilePermissions(rules, { ...session.user, id: session.user.id }).attemptable() : [];
  return {
    state: session.state,
    csrfToken: session.csrfToken,
    user: {
      id: session.user.id,
      email: session.user.email,
      displayName: session.user.displayName,
      roles: session.user.roles,
      locale: session.user.locale,
      mustChangePassword: session.user.mustChangePassword,
      availability: session.user.availability,
      languages: session.user.languages,
      skills: session.user.skills,
      hotline: { id: session.hotline.id, slug: session.hotline.slug, name: session.hotline.name, locales: session.hotline.locales },
    },
    permissions,
  };
}

export async function authRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: request.ip });
  const SIGN_IN_RATE = { max: ctx.config.signInRatePerMinute, timeWindow: '1 minute' };

  r.get('/api/auth/session', { config: { access: { public: true } }, schema: { tags: ['auth'], summary: 'The current session state' } }, async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    return presentSession(ctx, token ? await loadSession(ctx.db, token) : null);
  });

  r.post(
    '/api/auth/login',
    { config: { access: { public: true }, rateLimit: SIGN_IN_RATE }, schema: { tags: ['auth'], summary: 'Password step of signing in', body: loginBody } },
    async (request, reply) => {
      const result = await signIn(ctx, request.body.email, request.body.password, meta(request));
      if (!result.ok) return sendFailure(reply, result.error);
      setSessionCookie(request, reply, result.value.token);
      return { state: result.value.state, csrfToken: result.value.csrfToken };
    },
  );

  r.post(
    '/api/auth/mfa/verify',
    { config: { access: { session: 'pending' }, rateLimit: SIGN_IN_RATE }, schema: { tags: ['auth'], summary: 'Second factor (TOTP) step', body: totpCodeBody } },
    async (request, reply) => {
      const result = await verifySecondFactor(ctx, sessionOf(request), request.body.code, meta(request));
      if (!result.ok) return sendFailure(reply, result.error);
      return { state: 'signed_in', csrfToken: result.value.csrfToken };
    },
  );

  r.post(
    '/api/auth/mfa/enrol/start',
    { config: { access: { session: 'pending' }, rateLimit: SIGN_IN_RATE }, schema: { tags: ['auth'], summary: 'Start TOTP enrolment: secret and QR code' } },
    async (request, reply) => {
      const result = await startEnrolment(ctx, sessionOf(request));
      if (!result.ok) return sendFailure(reply, result.error);
      return result.value;
    },
  );

  r.post(
    '/api/auth/mfa/enrol/confirm',
    { config: { access: { session: 'pending' }, rateLimit: SIGN_IN_RATE }, schema: { tags: ['auth'], summary: 'Confirm TOTP enrolment with a code', body: totpCodeBody } },
    async (request, reply) => {
      const result = await confirmEnrolment(ctx, sessionOf(request), request.body.code, meta(request));
      if (!result.ok) return sendFailure(reply, result.error);
      return { state: 'signed_in', csrfToken: result.value.csrfToken };
    },
  );

  r.post('/api/auth/logout', { config: { access: { public: true } }, schema: { tags: ['auth'], summary: 'Sign out' } }, async (request, reply) => {
    // Public so that a half-finished sign-in can be abandoned too; it only ever ends the caller's own session.
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await loadSession(ctx.db, token) : null;
    if (session) {
      if (!csrfMatches(session.csrfToken, request.headers['x-csrf-token'] as string | undefined)) return sendError(reply, 'csrf_failed', 'Missing or wrong CSRF token');
      await signOut(ctx, session, meta(request));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  r.post(
    '/api/auth/password',
    { config: { access: { session: 'signed_in' }, rateLimit: SIGN_IN_RATE }, schema: { tags: ['auth'], summary: 'Change my password', body: changePasswordBody } },
    async (request, reply) => {
      const result = await changePassword(ctx, sessionOf(request), request.body.currentPassword, request.body.newPassword, meta(request));
      if (!result.ok) return sendFailure(reply, result.error);
      return reply.status(204).send();
    },
  );

  r.patch('/api/me', { config: { access: { session: 'signed_in' } }, schema: { tags: ['auth'], summary: 'Update my preferences', body: updateMeBody } }, async (request) => {
    const session = sessionOf(request);
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('app_user').set({ locale: request.body.locale, updated_at: new Date() }).where('id', '=', session.user.id).where('hotline_id', '=', session.user.hotlineId).execute();
      await appendAudit(tx, { hotlineId: session.user.hotlineId, actorId: session.user.id, actorLabel: session.user.email, action: 'user.preferences', recordType: 'user', recordId: session.user.id, details: { locale: request.body.locale }, ip: request.ip });
    });
    ctx.sessions.evictUser(session.user.id);
    const fresh = await loadSession(ctx.db, request.cookies[SESSION_COOKIE]!);
    return presentSession(ctx, fresh);
  });
}
