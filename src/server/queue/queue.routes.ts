import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { availabilityBody, contactIdParams, transferBody } from '../../shared/api/queue.js';
import type { AppContext } from '../context.js';
import { forgetChatStaffing } from '../channels/chat/chat.service.js';
import { recordAvailability } from './availability.js';
import { actorOf, whoOf } from '../http/access.js';
import { sendResult } from '../http/errors.js';
import { appendAudit } from '../audit/audit.js';
import { claimContact, claimNext, listColleagues, listQueue, releaseContact, transferContact, wallboard } from './queue.service.js';

export async function queueRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['queue'];

  r.get('/api/queue', { config: { access: { permission: 'queue.read' } }, schema: { tags, summary: 'Everything waiting or being handled, in answer order' } }, async (request) => ({
    items: await listQueue(ctx, whoOf(request)),
    serverTime: new Date().toISOString(),
  }));

  r.post('/api/queue/next', { config: { access: { permission: 'queue.claim' } }, schema: { tags, summary: 'Take the best waiting contact for me (my languages, channels and teams first)' } }, async (request, reply) =>
    sendResult(reply, await claimNext(ctx, whoOf(request)), (v) => ({ contactId: v?.id ?? null })),
  );

  r.post('/api/queue/:id/claim', { config: { access: { permission: 'queue.claim' } }, schema: { tags, summary: 'Take a waiting contact', params: contactIdParams } }, async (request, reply) =>
    sendResult(reply, await claimContact(ctx, whoOf(request), request.params.id), (v) => ({ contactId: v.id })),
  );

  r.post('/api/queue/:id/release', { config: { access: { permission: 'queue.claim' } }, schema: { tags, summary: 'Put a contact back in the queue', params: contactIdParams } }, async (request, reply) =>
    sendResult(reply, await releaseContact(ctx, whoOf(request), request.params.id), (v) => ({ contactId: v.id })),
  );

  r.post('/api/queue/:id/transfer', { config: { access: { permission: 'queue.transfer' } }, schema: { tags, summary: 'Transfer to a colleague or to the supervisors', params: contactIdParams, body: transferBody } }, async (request, reply) =>
    sendResult(reply, await transferContact(ctx, whoOf(request), request.params.id, request.body), (v) => ({ contactId: v.id, transferId: v.transferId })),
  );

  r.get('/api/queue/colleagues', { config: { access: { permission: 'queue.transfer' } }, schema: { tags, summary: 'Who a contact can be transferred to' } }, async (request) => ({
    items: await listColleagues(ctx, actorOf(request).hotlineId),
  }));

  r.get('/api/queue/wall', { config: { access: { permission: 'queue.supervise' } }, schema: { tags, summary: 'Supervisor wall: waiting, longest wait, staff, service level today' } }, async (request) =>
    wallboard(ctx, actorOf(request).hotlineId),
  );

  r.put('/api/me/availability', { config: { access: { permission: 'queue.read' } }, schema: { tags, summary: 'Set my availability for the queue', body: availabilityBody } }, async (request) => {
    const who = whoOf(request);
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('app_user').set({ availability: request.body.availability }).where('hotline_id', '=', who.actor.hotlineId).where('id', '=', who.actor.id).execute();
      await recordAvailability(tx, who.actor.hotlineId, who.actor.id, request.body.availability);
      await appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'queue.availability', recordType: 'user', recordId: who.actor.id, details: { availability: request.body.availability }, ip: who.ip });
    });
    ctx.sessions.evictUser(who.actor.id);
    forgetChatStaffing();
    return { availability: request.body.availability };
  });

  // Live updates for consoles: ids and states only; the console re-reads what it shows (so permissions apply).
  app.get('/api/live', { websocket: true, config: { access: { permission: 'queue.read' } }, schema: { hide: true } }, (socket, request) => {
    const hotlineId = actorOf(request).hotlineId;
    // Browsers send cookies on cross-site WebSocket handshakes too: accept only our own pages' origin.
    const origin = request.headers.origin;
    if (origin && new URL(origin).host !== request.headers.host) {
      socket.close(1008, 'origin not allowed');
      return;
    }
    if (!ctx.live) {
      socket.close(1011, 'live updates unavailable');
      return;
    }
    const unsubscribe = ctx.live.subscribe(hotlineId, (event) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    });
    const ping = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), 25_000);
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    socket.send(JSON.stringify({ kind: 'hello', hotlineId, at: new Date().toISOString() }));
  });
}
