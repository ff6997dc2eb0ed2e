import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createUserBody, updateUserBody, userIdParams } from '../../shared/api/users.js';
import { ROLES } from '../../shared/roles.js';
import type { AppContext } from '../context.js';
import { actorOf, sessionOf } from '../http/access.js';
import { sendResult } from '../http/errors.js';
import { presentUser } from './users.present.js';
import { createUser, listHotlineUsers, readHotlineUser, resetPassword, resetSecondFactor, setUserActive, updateUser, type ActingAs } from './users.service.js';

export async function userRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const by = (request: FastifyRequest): ActingAs => ({ id: actorOf(request).id, label: sessionOf(request).user.email, ip: request.ip });
  const tags = ['admin'];

  r.get('/api/admin/roles', { config: { access: { permission: 'user.list' } }, schema: { tags, summary: 'The roles a user can hold' } }, async () => ({ roles: ROLES }));

  r.get('/api/admin/users', { config: { access: { permission: 'user.list' } }, schema: { tags, summary: 'List the staff of my hotline' } }, async (request) => {
    const rows = await listHotlineUsers(ctx, actorOf(request).hotlineId, by(request));
    return { items: rows.map(presentUser) };
  });

  r.get('/api/admin/users/:id', { config: { access: { permission: 'user.list' } }, schema: { tags, summary: 'One staff account', params: userIdParams } }, async (request, reply) =>
    sendResult(reply, await readHotlineUser(ctx, actorOf(request).hotlineId, request.params.id, by(request)), (u) => ({ user: presentUser(u) })),
  );

  r.post('/api/admin/users', { config: { access: { permission: 'user.create' } }, schema: { tags, summary: 'Create a user', body: createUserBody } }, async (request, reply) => {
    const result = await createUser(ctx, actorOf(request).hotlineId, request.body, by(request));
    return sendResult(reply, result, (v) => ({ user: presentUser(v.user), temporaryPassword: v.temporaryPassword }), 201);
  });

  r.patch(
    '/api/admin/users/:id',
    { config: { access: { permission: 'user.update' } }, schema: { tags, summary: 'Change a user’s name, roles or language', params: userIdParams, body: updateUserBody } },
    async (request, reply) => sendResult(reply, await updateUser(ctx, actorOf(request).hotlineId, request.params.id, request.body, by(request)), (u) => ({ user: presentUser(u) })),
  );

  r.post(
    '/api/admin/users/:id/reset-password',
    { config: { access: { permission: 'user.reset' } }, schema: { tags, summary: 'Issue a temporary password', params: userIdParams } },
    async (request, reply) => sendResult(reply, await resetPassword(ctx, actorOf(request).hotlineId, request.params.id, by(request))),
  );

  r.post(
    '/api/admin/users/:id/reset-mfa',
    { config: { access: { permission: 'user.reset' } }, schema: { tags, summary: 'Remove a user’s second factor so they enrol again', params: userIdParams } },
    async (request, reply) => {
      const result = await resetSecondFactor(ctx, actorOf(request).hotlineId, request.params.id, by(request));
      return result.ok ? reply.status(204).send() : sendResult(reply, result);
    },
  );

  for (const [path, isActive] of [['deactivate', false], ['reactivate', true]] as const) {
    r.post(
      `/api/admin/users/:id/${path}`,
      { config: { access: { permission: 'user.deactivate' } }, schema: { tags, summary: `${isActive ? 'Reactivate' : 'Deactivate'} a user`, params: userIdParams } },
      async (request, reply) => sendResult(reply, await setUserActive(ctx, actorOf(request).hotlineId, request.params.id, isActive, by(request)), (u) => ({ user: presentUser(u) })),
    );
  }
}
