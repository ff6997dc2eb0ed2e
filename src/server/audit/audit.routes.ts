import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditQuery } from '../../shared/api/users.js';
import type { AppContext } from '../context.js';
import { actorOf, sessionOf } from '../http/access.js';
import { appendAudit, verifyAudit } from './audit.js';

export async function auditRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/admin/audit', { config: { access: { permission: 'audit.read' } }, schema: { tags: ['admin'], summary: 'Search the audit log', querystring: auditQuery } }, async (request) => {
    const { hotlineId } = actorOf(request);
    const q = request.query;
    const rows = await ctx.db.transaction().execute(async (tx) => {
      let query = tx.selectFrom('audit_log').selectAll().where('hotline_id', '=', hotlineId);
      if (q.action) query = query.where('action', 'like', q.action.endsWith('*') ? q.action.slice(0, -1).replace(/[%_]/g, '\\$&') + '%' : q.action);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.recordType) query = query.where('record_type', '=', q.recordType);
      if (q.recordId) query = query.where('record_id', '=', q.recordId);
      if (q.from) query = query.where('at', '>=', new Date(q.from));
      if (q.to) query = query.where('at', '<', q.to.length === 10 ? new Date(new Date(q.to).getTime() + 86_400_000) : new Date(q.to));
      if (q.before) query = query.where('id', '<', q.before);
      const found = await query.orderBy('id', 'desc').limit(q.limit).execute();
      // Reading the log is itself audited: who looked at whose trail matters in an investigation.
      await appendAudit(tx, { hotlineId, actorId: actorOf(request).id, actorLabel: sessionOf(request).user.email, action: 'audit.read', details: { filters: Object.keys(q).filter((k) => k !== 'limit') }, ip: request.ip });
      return found;
    });
    return {
      items: rows.map((row) => ({
        id: Number(row.id), seq: row.seq === null ? null : Number(row.seq), at: row.at.toISOString(), actorId: row.actor_id, actorLabel: row.actor_label, action: row.action,
        recordType: row.record_type, recordId: row.record_id, reason: row.reason, details: row.details, ip: row.ip,
      })),
      nextBefore: rows.length === q.limit ? Number(rows[rows.length - 1].id) : null,
    };
  });

  r.get('/api/admin/audit/verify', { config: { access: { permission: 'audit.verify' } }, schema: { tags: ['admin'], summary: 'Verify the hash chain of my hotline’s audit log' } }, async (request) => {
    const result = await verifyAudit(ctx.db, { hotlineId: actorOf(request).hotlineId });
    return { ok: result.ok, checked: result.checked, problems: result.problems.map(({ seq, kind, message }) => ({ seq, kind, message })) };
  });
}
