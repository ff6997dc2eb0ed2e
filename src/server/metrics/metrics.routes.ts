import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNELS, REQUEST_TYPES } from '../../shared/intake.js';
import { daysBetween, metricsQuerySchema, monthQuerySchema, scheduleBodySchema } from '../../shared/metrics/definitions.js';
import { appendAudit } from '../audit/audit.js';
import { voiceConfig } from '../channels/voice/voice.service.js';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendError } from '../http/errors.js';
import { areasFor } from '../intake/form.routes.js';
import type { CompiledPermissions } from '../permissions/engine.js';
import { computeLive, computeMetrics } from './metrics.service.js';
import type { ReportLocale } from './reports/labels.js';
import { buildMonthlyReport, renderMonthlyPdf, renderMonthlyXlsx } from './reports/monthly.js';
import { buildStandardReport, renderStandardPdf, renderStandardXlsx } from './reports/standard.js';
import './reports/schema.js';

/**
 * Metrics, dashboards and the monthly report (docs/metrics.md). Figures are aggregates; a reader who may not read
 * cases gets them small-cell suppressed, and the monthly report is always suppressed (it is meant to be shared).
 */
export async function metricsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['metrics'];
  const read = { access: { permission: 'metrics.read' as const } };
  // Only a user-level grant counts: `case.read` is attemptable by anyone who could be named on a case.
  const mustSuppress = (can: CompiledPermissions) => !can.mayAttempt('metrics.detail');
  const shortAbandon = async (hotlineId: string) => (await voiceConfig(ctx, hotlineId)).shortAbandonSeconds;

  r.get('/api/metrics', { config: read, schema: { tags, summary: 'Every metric for a period and filters (suppressed for readers without case access)', querystring: metricsQuerySchema } }, async (request) => {
    const { actor, can } = whoOf(request);
    return computeMetrics(ctx.db, actor.hotlineId, request.query, { suppress: mustSuppress(can), shortAbandonSeconds: await shortAbandon(actor.hotlineId) });
  });

  const liveQuery = z.object({ area: z.string().regex(/^[A-Z0-9-]{1,20}$/).optional(), channel: z.enum(CHANNELS).optional(), requestType: z.enum(REQUEST_TYPES).optional() }).strict();
  r.get('/api/metrics/live', { config: read, schema: { tags, summary: 'The live operations view: the queue now and today so far', querystring: liveQuery } }, async (request) => {
    const { actor, can } = whoOf(request);
    return computeLive(ctx.db, actor.hotlineId, request.query, { suppress: mustSuppress(can), shortAbandonSeconds: await shortAbandon(actor.hotlineId) });
  });

  r.get('/api/metrics/areas', { config: read, schema: { tags, summary: 'The admin areas figures can be filtered by' } }, async (request) => {
    const { actor } = whoOf(request);
    return { areas: (await areasFor(ctx.db, actor.hotlineId)).data.areas };
  });

  const monthlyQuery = monthQuerySchema.extend({ format: z.enum(['pdf', 'xlsx']) });
  r.get('/api/metrics/reports/monthly', { config: read, schema: { tags, summary: 'The monthly operations report as PDF or XLSX (suppressed)', querystring: monthlyQuery } }, async (request, reply) => {
    const { actor, label, ip } = whoOf(request);
    const { format, ...query } = request.query;
    const locale = (query.locale ?? 'en') as ReportLocale;
    const areas = await areasFor(ctx.db, actor.hotlineId);
    const areaNames = Object.fromEntries(areas.data.areas.map((a) => [a.code, a.name[locale] ?? a.name.en]));
    const report = await buildMonthlyReport(ctx.db, actor.hotlineId, { ...query, locale }, { shortAbandonSeconds: await shortAbandon(actor.hotlineId), areaNames });
    const body = format === 'pdf' ? await renderMonthlyPdf(report) : await renderMonthlyXlsx(report);
    await appendAudit(ctx.db, { hotlineId: actor.hotlineId, actorId: actor.id, actorLabel: label, ip, action: 'metrics.report.download', recordType: 'metrics_report', details: { month: query.month, format, filters: report.current.filters, bytes: body.length } });
    const name = `operations-${query.month}${query.area ? `-${query.area}` : ''}.${format}`;
    return reply
      .type(format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });

  // The funder performance-indicator report (any period) and the annual public statistics (a calendar year): always
  // suppressed as one linked table (reports/standard.ts), audited like the monthly report.
  const standardQuery = z
    .object({
      report: z.enum(['funder', 'annual']),
      from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      year: z.string().regex(/^\d{4}$/).optional(),
      format: z.enum(['pdf', 'xlsx']),
      locale: z.enum(['en', 'es', 'fr']).optional(),
    })
    .strict()
    .refine((q) => (q.report === 'annual' ? !!q.year : !!q.from && !!q.to && q.from < q.to && daysBetween(q.from, q.to) <= 3700), { message: 'annual needs `year`; funder needs `from` before `to`, at most ten years', path: ['report'] });
  r.get('/api/metrics/reports/standard', { config: read, schema: { tags, summary: 'The funder indicators (report=funder, from, to) or annual public statistics (report=annual, year) as PDF or XLSX (suppressed)', querystring: standardQuery } }, async (request, reply) => {
    const { actor, label, ip } = whoOf(request);
    const q = request.query;
    const locale = (q.locale ?? 'en') as ReportLocale;
    const period = q.report === 'annual' ? { from: `${q.year}-01-01`, to: `${Number(q.year) + 1}-01-01` } : { from: q.from!, to: q.to! };
    const areas = await areasFor(ctx.db, actor.hotlineId);
    const areaNames = Object.fromEntries(areas.data.areas.map((a) => [a.code, a.name[locale] ?? a.name.en]));
    const report = await buildStandardReport(ctx.db, actor.hotlineId, q.report, { ...period, locale }, { shortAbandonSeconds: await shortAbandon(actor.hotlineId), areaNames });
    const body = q.format === 'pdf' ? await renderStandardPdf(report) : await renderStandardXlsx(report);
    await appendAudit(ctx.db, { hotlineId: actor.hotlineId, actorId: actor.id, actorLabel: label, ip, action: 'metrics.report.download', recordType: 'metrics_report', details: { report: q.report, ...period, format: q.format, bytes: body.length } });
    const name = q.report === 'annual' ? `statistics-${q.year}.${q.format}` : `indicators-${period.from}-${period.to}.${q.format}`;
    return reply
      .type(q.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });

  r.get('/api/metrics/schedule', { config: read, schema: { tags, summary: 'The monthly report schedule of this hotline' } }, async (request) => {
    const { actor } = whoOf(request);
    const row = await ctx.db.selectFrom('metrics_report_schedule').select(['id', 'locale', 'recipient_ids', 'is_active', 'updated_at']).where('hotline_id', '=', actor.hotlineId).where('kind', '=', 'monthly_operations').executeTakeFirst();
    return { schedule: row ? { id: row.id, locale: row.locale, recipientIds: row.recipient_ids, isActive: row.is_active, updatedAt: row.updated_at.toISOString() } : null };
  });

  r.put('/api/metrics/schedule', { config: { access: { permission: 'metrics.schedule' } }, schema: { tags, summary: 'Set the monthly report schedule (on the 1st, for named recipients)', body: scheduleBodySchema } }, async (request, reply) => {
    const { actor, label, ip } = whoOf(request);
    const ids = [...new Set(request.body.recipientIds)];
    const found = ids.length ? await ctx.db.selectFrom('app_user').select('id').where('hotline_id', '=', actor.hotlineId).where('is_active', '=', true).where('id', 'in', ids).execute() : [];
    if (found.length !== ids.length) return sendError(reply, 'validation_failed', 'recipientIds: every recipient must be an active user of this hotline');
    const schedule = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('metrics_report_schedule')
        .values({ hotline_id: actor.hotlineId, kind: 'monthly_operations', locale: request.body.locale, recipient_ids: ids, is_active: request.body.isActive, created_by: actor.id })
        .onConflict((oc) => oc.columns(['hotline_id', 'kind']).doUpdateSet({ locale: request.body.locale, recipient_ids: ids, is_active: request.body.isActive, updated_at: new Date() }))
        .returning(['id', 'locale', 'recipient_ids', 'is_active', 'updated_at'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, { hotlineId: actor.hotlineId, actorId: actor.id, actorLabel: label, ip, action: 'metrics.schedule.update', recordType: 'metrics_report_schedule', recordId: row.id, details: { recipients: ids.length, locale: row.locale, isActive: row.is_active } });
      return row;
    });
    return { schedule: { id: schedule.id, locale: schedule.locale, recipientIds: schedule.recipient_ids, isActive: schedule.is_active, updatedAt: schedule.updated_at.toISOString() } };
  });

  // Stored reports: for their named recipients, and for those who manage the schedule.
  const deliveries = (hotlineId: string, userId: string, can: CompiledPermissions) => {
    let q = ctx.db.selectFrom('metrics_report_delivery').where('hotline_id', '=', hotlineId);
    if (!can.mayAttempt('metrics.schedule')) q = q.where((eb) => eb(eb.val(userId), '=', eb.fn.any('recipient_ids')));
    return q;
  };

  r.get('/api/metrics/deliveries', { config: read, schema: { tags, summary: 'Stored monthly reports I may download' } }, async (request) => {
    const { actor, can } = whoOf(request);
    const rows = await deliveries(actor.hotlineId, actor.id, can).select(['id', 'period_month', 'status', 'completed_at']).orderBy('period_month', 'desc').limit(36).execute();
    return { items: rows.map((d) => ({ id: d.id, month: monthOf(d.period_month), status: d.status, completedAt: d.completed_at?.toISOString() ?? null })) };
  });

  r.get('/api/metrics/deliveries/:id/:format', { config: read, schema: { tags, summary: 'Download a stored monthly report', params: z.object({ id: z.uuid(), format: z.enum(['pdf', 'xlsx']) }) } }, async (request, reply) => {
    const { actor, can, label, ip } = whoOf(request);
    const { id, format } = request.params;
    const row = await deliveries(actor.hotlineId, actor.id, can).select(['id', 'period_month', format]).where('id', '=', id).where('status', '=', 'done').executeTakeFirst();
    const body = row?.[format as 'pdf' | 'xlsx'] as Buffer | null | undefined;
    if (!row || !body) return sendError(reply, 'not_found', 'No such report');
    await appendAudit(ctx.db, { hotlineId: actor.hotlineId, actorId: actor.id, actorLabel: label, ip, action: 'metrics.report.download', recordType: 'metrics_report_delivery', recordId: id, details: { format } });
    return reply
      .type(format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="operations-${monthOf(row.period_month)}.${format}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });
}

function monthOf(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 7);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}`;
}
