import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Action } from '../../shared/permissions.js';
import type { AppContext } from '../context.js';
import { compilePermissions, type Actor, type CompiledPermissions } from '../permissions/engine.js';
import { csrfMatches, SESSION_COOKIE, type LoadedSession } from '../auth/sessions.js';
import { sendError } from './errors.js';

/**
 * Every route declares who may call it in `config.access`. A route without a declaration fails the server at start-up
 * (deny by default, fail closed); there is no way to add an unguarded route by forgetting.
 */
export type Access =
  | { public: true }
  | { session: 'pending' } // a session that has passed the password step but not the second factor
  | { session: 'signed_in' } // any fully signed-in user, for their own account
  | { permission: Action }
  // Any one of these actions may be attempted (e.g. the search box: cases for case readers, contacts for QA reviewers).
  | { anyPermission: readonly Action[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    session: LoadedSession | null;
    actor: Actor | null;
    can: CompiledPermissions | null;
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** Routes whose password-change state still lets the user in: the ones that lead to changing it. */
const PASSWORD_CHANGE_ALLOWED = new Set(['signed_in']);

export function registerAccessControl(app: FastifyInstance, ctx: AppContext, registry: RouteAccess[]) {
  app.decorateRequest('session', null);
  app.decorateRequest('actor', null);
  app.decorateRequest('can', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule (config.access); routes are deny-by-default`);
    }
    for (const method of methods) if (method !== 'HEAD') registry.push({ method, url: route.url, access });
  });

  // preValidation: the guard answers before the body is validated, so an outsider learns nothing from validation errors.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access) return sendError(reply, 'forbidden', 'This route is not open');
    if ('public' in access) return;

    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await ctx.sessions.load(ctx.db, token) : null;
    if (!session) return sendError(reply, 'not_signed_in', 'Sign in first');
    request.session = session;

    // Cookie-authenticated writes must echo the session's CSRF token in a header a cross-site form cannot set.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !csrfMatches(session.csrfToken, headerValue(request.headers['x-csrf-token']))) {
      return sendError(reply, 'csrf_failed', 'Missing or wrong CSRF token; reload the page');
    }

    if ('session' in access && access.session === 'pending') {
      if (session.state === 'signed_in') return sendError(reply, 'conflict', 'Already signed in');
      return;
    }
    if (session.state !== 'signed_in') return sendError(reply, 'mfa_required', 'Finish signing in with your second factor');

    const actor: Actor = {
      id: session.user.id,
      hotlineId: session.user.hotlineId,
      roles: session.user.roles,
      organisationId: session.user.organisationId,
    };
    const { rules } = await ctx.rules.get(actor.hotlineId);
    request.actor = actor;
    request.can = compilePermissions(rules, actor);

    if ('session' in access) {
      if (!PASSWORD_CHANGE_ALLOWED.has(access.session)) return sendError(reply, 'forbidden', 'Not allowed');
      return;
    }
    if (session.user.mustChangePassword) {
      return sendError(reply, 'password_change_required', 'Change your temporary password first');
    }
    const actions = 'permission' in access ? [access.permission] : access.anyPermission;
    if (!actions.some((action) => request.can!.mayAttempt(action))) {
      return sendError(reply, 'forbidden', 'You do not have permission for this');
    }
  });
}

function headerValue(value: string | string[] | undefined) {
  return Array.isArray(value) ? value[0] : value;
}

/** For handlers behind a guard: the signed-in actor (the guard has already refused everyone else). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('actorOf called on a route without a signed-in actor');
  return request.actor;
}

export function sessionOf(request: FastifyRequest): LoadedSession {
  if (!request.session) throw new Error('sessionOf called on a route without a session');
  return request.session;
}

/** The acting user, their compiled permissions and what the audit names them by. */
export function whoOf(request: FastifyRequest) {
  if (!request.actor || !request.can || !request.session) throw new Error('whoOf called on a route without a signed-in actor');
  return { actor: request.actor, can: request.can, label: request.session.user.email, ip: request.ip };
}
