import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ruleSetSchema } from '../../shared/permissions.js';
import type { AppContext } from '../context.js';
import { actorOf, sessionOf } from '../http/access.js';
import { sendError } from '../http/errors.js';
import { appendAudit } from '../audit/audit.js';
import { getRuleSet, saveRuleSet } from './repo.js';

const putBody = z.object({ rules: ruleSetSchema, version: z.number().int().min(0) }).strict();

export async function permissionRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/admin/permissions', { config: { access: { permission: 'permissions.read' } }, schema: { tags: ['admin'], summary: 'The permission rules of my hotline' } }, async (request) =>
    getRuleSet(ctx.db, actorOf(request).hotlineId),
  );

  r.put('/api/admin/permissions', { config: { access: { permission: 'permissions.update' } }, schema: { tags: ['admin'], summary: 'Replace the permission rules', body: putBody } }, async (request, reply) => {
    const actor = actorOf(request);
    const before = await getRuleSet(ctx.db, actor.hotlineId);
    // An admin must not lock every admin out of the rules themselves.
    const keepsAdmin = (request.body.rules['permissions.update'] ?? []).some((clause) => clause.every((c) => c === 'isAdmin' || c === 'everyone'));
    if (!keepsAdmin) return sendError(reply, 'validation_failed', 'rules.permissions.update: admins must keep the right to change the rules');
    const version = await ctx.db.transaction().execute(async (tx) => {
      const saved = await saveRuleSet(tx, actor.hotlineId, request.body.rules, request.body.version, actor.id);
      if (saved !== null) {
        await appendAudit(tx, { hotlineId: actor.hotlineId, actorId: actor.id, actorLabel: sessionOf(request).user.email, action: 'permissions.update', recordType: 'permission_rule_set', recordId: actor.hotlineId, details: { from: before.rules, to: request.body.rules }, ip: request.ip });
      }
      return saved;
    });
    if (version === null) return sendError(reply, 'stale_version', 'Someone else changed the rules meanwhile; reload and apply your change again');
    ctx.rules.invalidate(actor.hotlineId);
    return { rules: request.body.rules, version };
  });
}
