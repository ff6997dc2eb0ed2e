import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  absenceBody,
  decisionBody,
  eventBody,
  forecastQuery,
  generateRosterBody,
  idParams,
  scheduleRequestBody,
  settingsBody,
  staffContractBody,
  tokenParams,
  userIdParams,
  weekQuery,
} from '../../shared/api/scheduling.js';
import type { Result } from '../../shared/errors.js';
import { calculatorInputSchema } from '../../shared/scheduling/schemas.js';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendError } from '../http/errors.js';
import { calculateStaffing } from './calculator.js';
import { addDays } from './forecast.js';
import * as scheduling from './scheduling.service.js';

/**
 * Scheduling (issue 7). Supervisors (`scheduling.plan`) forecast, size, generate, publish and repair rosters and
 * decide requests; people who work shifts (`scheduling.self`) see their own shifts, get a calendar feed and ask for
 * swaps and leave. The calendar feed itself is public but needs the secret in its URL (only its hash is stored).
 */
export async function schedulingRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const plan = { access: { permission: 'scheduling.plan' as const } };
  const self = { access: { permission: 'scheduling.self' as const } };
  const tags = ['scheduling'];
  const who = (request: Parameters<typeof whoOf>[0]) => {
    const w = whoOf(request);
    return { actor: w.actor, label: w.label, ip: w.ip };
  };
  const send = <T>(reply: Parameters<typeof sendError>[0], result: Result<T>, status = 200) => (result.ok ? reply.status(status).send(result.value) : sendError(reply, result.error.code, result.error.message));

  r.get('/api/scheduling/settings', { config: plan, schema: { tags, summary: 'Scheduling settings (channels, shrinkage, floor, shift patterns, wellness rules)' } }, async (request) => scheduling.getSettings(ctx.db, whoOf(request).actor.hotlineId));

  r.put('/api/scheduling/settings', { config: plan, schema: { tags, summary: 'Replace the scheduling settings', body: settingsBody } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.updateSettings(ctx.db, w.actor.hotlineId, request.body.version, request.body.settings, w));
  });

  r.get('/api/scheduling/events', { config: plan, schema: { tags, summary: 'Holidays and planned events (a factor on contacts for a date)' } }, async (request) => ({ events: await scheduling.listEvents(ctx.db, whoOf(request).actor.hotlineId) }));

  r.post('/api/scheduling/events', { config: plan, schema: { tags, summary: 'Add a holiday or planned event', body: eventBody } }, async (request, reply) => {
    const w = who(request);
    return reply.status(201).send(await scheduling.addEvent(ctx.db, w.actor.hotlineId, request.body, w));
  });

  r.delete('/api/scheduling/events/:id', { config: plan, schema: { tags, summary: 'Remove an event', params: idParams } }, async (request, reply) => {
    const w = who(request);
    const result = await scheduling.deleteEvent(ctx.db, w.actor.hotlineId, request.params.id, w);
    return result.ok ? reply.status(204).send() : sendError(reply, result.error.code, result.error.message);
  });

  r.get('/api/scheduling/staff', { config: plan, schema: { tags, summary: 'Staff who work shifts, with contracts and skills' } }, async (request) => ({ staff: await scheduling.listStaff(ctx.db, whoOf(request).actor.hotlineId) }));

  r.put('/api/scheduling/staff/:userId', { config: plan, schema: { tags, summary: 'Set a staff member’s contract, skills and availability', params: userIdParams, body: staffContractBody } }, async (request, reply) => {
    const w = who(request);
    const result = await scheduling.setContract(ctx.db, w.actor.hotlineId, request.params.userId, request.body, w);
    return result.ok ? reply.status(204).send() : sendError(reply, result.error.code, result.error.message);
  });

  r.get('/api/scheduling/forecast', { config: plan, schema: { tags, summary: 'Contacts per channel per half-hour for coming weeks, and a backtest (WAPE) on held-out weeks', querystring: forecastQuery } }, async (request) =>
    scheduling.forecastFor(ctx.db, whoOf(request).actor.hotlineId, request.query.weeks),
  );

  r.get('/api/scheduling/requirement', { config: plan, schema: { tags, summary: 'People required per half-hour for a week, from the forecast', querystring: weekQuery } }, async (request, reply) => {
    const hotlineId = whoOf(request).actor.hotlineId;
    const weekStart = request.query.weekStart ?? (await nextMonday(ctx, hotlineId));
    return send(reply, await scheduling.requirementFor(ctx.db, hotlineId, weekStart));
  });

  r.post('/api/scheduling/calculator', { config: plan, schema: { tags, summary: 'Staffing calculator: annual contacts → FTE, cost and service-level curves', body: calculatorInputSchema } }, async (request) => {
    const result = calculateStaffing(request.body);
    const { requirement, ...rest } = result;
    return { ...rest, requiredPerInterval: requirement.intervals.map((i) => i.scheduled) };
  });

  r.get('/api/scheduling/rosters', { config: plan, schema: { tags, summary: 'Draft and published rosters' } }, async (request) => ({ rosters: await scheduling.listRosters(ctx.db, whoOf(request).actor.hotlineId) }));

  r.post('/api/scheduling/rosters', { config: plan, schema: { tags, summary: 'Generate a draft roster for a week (next week by default)', body: generateRosterBody } }, async (request, reply) => {
    const w = who(request);
    const weekStart = request.body.weekStart ?? (await nextMonday(ctx, w.actor.hotlineId));
    return send(reply, await scheduling.generateRoster(ctx.db, w.actor.hotlineId, weekStart, w), 201);
  });

  r.get('/api/scheduling/rosters/:id', { config: plan, schema: { tags, summary: 'One roster: shifts, staff, gaps and the coverage heatmap', params: idParams } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.readRoster(ctx.db, w.actor.hotlineId, request.params.id, w));
  });

  r.post('/api/scheduling/rosters/:id/publish', { config: plan, schema: { tags, summary: 'Publish a draft roster (replaces the week’s published one)', params: idParams, body: z.object({ version: z.number().int().min(1) }).strict() } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.publishRoster(ctx.db, w.actor.hotlineId, request.params.id, request.body.version, w));
  });

  r.post('/api/scheduling/rosters/:id/absences', { config: plan, schema: { tags, summary: 'Sick call: re-optimise the published roster, keeping shifts stable', params: idParams, body: absenceBody } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.recordAbsence(ctx.db, w.actor.hotlineId, request.params.id, request.body, w));
  });

  r.get('/api/scheduling/rosters/:id/team', { config: self, schema: { tags, summary: 'Colleagues on a published roster I am on, with their coming shifts (to offer or trade a shift)', params: idParams } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.rosterTeam(ctx.db, w.actor.hotlineId, request.params.id, w));
  });

  r.get('/api/scheduling/my-shifts', { config: self, schema: { tags, summary: 'My shifts in published rosters' } }, async (request) => {
    const { actor } = whoOf(request);
    return scheduling.myShifts(ctx.db, actor.hotlineId, actor.id);
  });

  r.post('/api/scheduling/calendar-token', { config: self, schema: { tags, summary: 'A new secret calendar (iCalendar) URL for my shifts; the old one stops working' } }, async (request, reply) => {
    const w = who(request);
    return reply.status(201).send(await scheduling.createCalendarToken(ctx.db, w.actor.hotlineId, w));
  });

  r.get('/api/calendar/:token', { config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { tags, summary: 'iCalendar feed of one person’s shifts (secret URL)', params: tokenParams } }, async (request, reply) => {
    const feed = await scheduling.calendarFor(ctx.db, request.params.token);
    if (feed === null) return sendError(reply, 'not_found', 'No such calendar');
    return reply.header('cache-control', 'private, max-age=300').type('text/calendar; charset=utf-8').send(feed);
  });

  r.get('/api/scheduling/requests', { config: self, schema: { tags, summary: 'Swap and leave requests: all for supervisors, my own otherwise' } }, async (request) => {
    const { actor, can } = whoOf(request);
    const requests = await scheduling.listRequests(ctx.db, actor.hotlineId, can.mayAttempt('scheduling.plan') ? {} : { requestedBy: actor.id });
    return { requests };
  });

  r.post('/api/scheduling/requests', { config: self, schema: { tags, summary: 'Ask for a shift handover, an exchange, or leave', body: scheduleRequestBody } }, async (request, reply) => {
    const w = who(request);
    const body = request.body;
    if (body.kind === 'leave' && body.staffId && body.staffId !== w.actor.id && !whoOf(request).can.mayAttempt('scheduling.plan')) return sendError(reply, 'forbidden', 'Only a supervisor enters leave for someone else');
    return send(reply, await scheduling.createRequest(ctx.db, w.actor.hotlineId, body, w), 201);
  });

  r.post('/api/scheduling/requests/:id/decision', { config: plan, schema: { tags, summary: 'Approve or reject a request', params: idParams, body: decisionBody } }, async (request, reply) => {
    const w = who(request);
    return send(reply, await scheduling.decideRequest(ctx.db, w.actor.hotlineId, request.params.id, request.body.approve, w));
  });
}

async function nextMonday(ctx: AppContext, hotlineId: string): Promise<string> {
  const { timezone } = await ctx.db.selectFrom('hotline').select('timezone').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  return addDays(scheduling.currentMonday(timezone), 7);
}
