import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  caseReferralParams, createReferralBody, directorySearchQuery, linkAccountOrganisationBody, partnerOrganizationBody, listReferralsQuery, organizationParams, partnerAccountOutcomeBody, partnerAccountRespondBody, partnerOutcomeBody, partnerRespondBody, partnerTokenBody,
  referralIdParams, reissueLinkBody, warmTransferBody,
} from '../../shared/api/referrals.js';
import { partnerProfileSchema } from '../../shared/directory/needs.js';
import type { AppContext } from '../context.js';
import { setPartnerProfile } from '../directory/directory.service.js';
import { actorOf, whoOf } from '../http/access.js';
import { sendError, sendResult } from '../http/errors.js';
import { directoryNeeds, mapSettings, partnerProfile, reviewsDue, searchDirectory } from './directory-staff.js';
import { referralMetrics } from './metrics.js';
import { linkAccountOrganisation, listPartnerAccounts, setPartnerOrganization } from './partner-accounts.js';
import { cancelReferral, createReferrals, listForPartner, listReferrals, partnerOutcome, partnerRespond, partnerView, readReferral, recordWarmTransfer, reissueLink } from './referrals.service.js';

const PARTNER_ROOT = fileURLToPath(new URL('../../../public/partner/', import.meta.url));
const PARTNER_FILES: Record<string, string> = { 'partner.js': 'application/javascript; charset=utf-8', 'partner.css': 'text/css; charset=utf-8' };

/**
 * Staff routes for referrals and the directory (docs/referrals.md), and the partner link: a plain page that works
 * without sign-in, and three JSON endpoints where the token (in the body, never a URL) is the only credential.
 */
export async function referralRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['referrals'];

  // ---- staff: directory ----
  r.get('/api/directory/needs', { config: { access: { permission: 'directory.read' } }, schema: { tags: ['directory'], summary: "The hotline's need taxonomy (active needs, en/es/fr labels)" } }, async (request) => ({
    items: await directoryNeeds(ctx, actorOf(request).hotlineId),
  }));
  r.get('/api/directory/search', { config: { access: { permission: 'directory.read' } }, schema: { tags: ['directory'], summary: 'Ranked partner services for needs, with reasons (area, distance, open now, language, population, vetting)', querystring: directorySearchQuery } }, async (request) =>
    searchDirectory(ctx, actorOf(request).hotlineId, request.query),
  );
  r.get('/api/directory/reviews-due', { config: { access: { permission: 'directory.read' } }, schema: { tags: ['directory'], summary: 'Partners whose annual re-verification is overdue or due within `withinDays` (default 30)', querystring: z.strictObject({ withinDays: z.coerce.number().int().min(0).max(366).default(30) }) } }, async (request) => ({
    items: await reviewsDue(ctx, actorOf(request).hotlineId, request.query.withinDays),
  }));
  r.get('/api/directory/map', { config: { access: { permission: 'directory.read' } }, schema: { tags: ['directory'], summary: 'Map settings: the tile URL and attribution when configured (else the map works without tiles)' } }, async () => mapSettings(ctx));
  r.get('/api/directory/organizations/:id', { config: { access: { permission: 'directory.read' } }, schema: { tags: ['directory'], summary: 'A partner profile: vetting status, review date, accepts, protocol, services, places', params: organizationParams } }, async (request, reply) =>
    sendResult(reply, await partnerProfile(ctx, actorOf(request).hotlineId, request.params.id), (partner) => ({ partner })),
  );
  r.patch('/api/directory/organizations/:id', { config: { access: { permission: 'config.manage' } }, schema: { tags: ['directory'], summary: "Change Catalyst's partner data: vetting, review date, MoU, what it accepts, protocol, time zone, the reporting agency it is", params: organizationParams, body: partnerProfileSchema } }, async (request, reply) => {
    const { actor, label, ip } = whoOf(request);
    const saved = await setPartnerProfile(ctx.db, actor.hotlineId, request.params.id, request.body, { id: actor.id, label, ip });
    if (!saved.ok) return sendResult(reply, saved);
    return sendResult(reply, await partnerProfile(ctx, actor.hotlineId, request.params.id), (partner) => ({ partner }));
  });

  // ---- staff: referrals ----
  r.post('/api/cases/:caseId/referrals', { config: { access: { permission: 'referral.create' } }, schema: { tags, summary: 'Refer a case to partner services (consent required; only the chosen fields are shared). Returns each partner link once', params: caseReferralParams, body: createReferralBody } }, async (request, reply) =>
    sendResult(reply, await createReferrals(ctx, whoOf(request), request.params.caseId, request.body), (value) => value, 201),
  );
  r.get('/api/referrals', { config: { access: { permission: 'referral.read' } }, schema: { tags, summary: 'Referrals on the cases I may read (status, overdue, case)', querystring: listReferralsQuery } }, async (request) => ({
    items: await listReferrals(ctx, whoOf(request), request.query),
  }));
  r.get('/api/referrals/metrics', { config: { access: { permission: 'referral.metrics' } }, schema: { tags, summary: 'Per partner and need: made, acceptance, time to acknowledge, outcomes; unmet needs', querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(3660).default(365) }) } }, async (request) =>
    referralMetrics(ctx, actorOf(request).hotlineId, new Date(Date.now() - request.query.days * 86_400_000), { suppress: !request.can!.mayAttempt('metrics.detail') }),
  );
  r.get('/api/referrals/:id', { config: { access: { permission: 'referral.read' } }, schema: { tags, summary: 'One referral with what was shared (audited read)', params: referralIdParams } }, async (request, reply) =>
    sendResult(reply, await readReferral(ctx, whoOf(request), request.params.id), (referral) => ({ referral })),
  );
  r.post('/api/referrals/:id/warm-transfer', { config: { access: { permission: 'referral.update' } }, schema: { tags, summary: 'Record a warm transfer with its start and end times', params: referralIdParams, body: warmTransferBody } }, async (request, reply) =>
    sendResult(reply, await recordWarmTransfer(ctx, whoOf(request), request.params.id, request.body), (referral) => ({ referral })),
  );
  r.post('/api/referrals/:id/link', { config: { access: { permission: 'referral.update' } }, schema: { tags, summary: 'Issue a new partner link (the old one stops working)', params: referralIdParams, body: reissueLinkBody } }, async (request, reply) =>
    sendResult(reply, await reissueLink(ctx, whoOf(request), request.params.id, request.body.linkValidDays)),
  );
  r.post('/api/referrals/:id/cancel', { config: { access: { permission: 'referral.update' } }, schema: { tags, summary: 'Cancel a referral (its link stops working)', params: referralIdParams } }, async (request, reply) =>
    sendResult(reply, await cancelReferral(ctx, whoOf(request), request.params.id), (referral) => ({ referral })),
  );

  // ---- the partner link (public: the token is the credential) ----
  const partnerConfig = { access: { public: true as const }, rateLimit: { max: 60, timeWindow: '1 minute' } };
  const noStore = { 'cache-control': 'no-store' };
  r.post('/api/partner/referral', { config: partnerConfig, schema: { tags: ['partner'], summary: 'The referral a partner link opens (only the shared fields)', body: partnerTokenBody } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerView(ctx, { kind: 'link', token: request.body.token, ip: request.ip }), (referral) => ({ referral })),
  );
  r.post('/api/partner/referral/respond', { config: partnerConfig, schema: { tags: ['partner'], summary: 'Accept or decline the referral', body: partnerRespondBody } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerRespond(ctx, { kind: 'link', token: request.body.token, ip: request.ip }, request.body.decision, request.body.note), (referral) => ({ referral })),
  );
  r.post('/api/partner/referral/outcome', { config: partnerConfig, schema: { tags: ['partner'], summary: 'Report the outcome (contacted, services provided, could not reach, declined)', body: partnerOutcomeBody } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerOutcome(ctx, { kind: 'link', token: request.body.token, ip: request.ip }, request.body.outcome, request.body.note), (referral) => ({ referral })),
  );

  // ---- partner staff signed in (role `partner`): only referrals sent to their own organisation ----
  const partnerTags = ['partner'];
  const mine = { access: { permission: 'referral.partner' as const } };
  r.get('/api/partner/referrals', { config: mine, schema: { tags: partnerTags, summary: 'Referrals sent to my organisation (no personal data in the list)' } }, async (request, reply) =>
    reply.headers(noStore).send({ items: await listForPartner(ctx, whoOf(request)) }),
  );
  r.get('/api/partner/referrals/:id', { config: mine, schema: { tags: partnerTags, summary: 'One open referral sent to my organisation, with what was shared (audited)', params: referralIdParams } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerView(ctx, { kind: 'account', who: whoOf(request), referralId: request.params.id }), (referral) => ({ referral })),
  );
  r.post('/api/partner/referrals/:id/respond', { config: mine, schema: { tags: partnerTags, summary: 'Accept or decline a referral sent to my organisation', params: referralIdParams, body: partnerAccountRespondBody } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerRespond(ctx, { kind: 'account', who: whoOf(request), referralId: request.params.id }, request.body.decision, request.body.note), (referral) => ({ referral })),
  );
  r.post('/api/partner/referrals/:id/outcome', { config: mine, schema: { tags: partnerTags, summary: 'Report the outcome of a referral my organisation accepted', params: referralIdParams, body: partnerAccountOutcomeBody } }, async (request, reply) =>
    sendResult(reply.headers(noStore), await partnerOutcome(ctx, { kind: 'account', who: whoOf(request), referralId: request.params.id }, request.body.outcome, request.body.note), (referral) => ({ referral })),
  );
  // Admins link a directory organization to the account organisation partner staff belong to (and set its language).
  r.post('/api/directory/organizations/:id/account', { config: { access: { permission: 'user.create' } }, schema: { tags: ['directory'], summary: 'Link partner staff accounts to a directory organization (creating the account organisation if needed); set the partner language for emails', params: organizationParams, body: linkAccountOrganisationBody } }, async (request, reply) =>
    sendResult(reply, await linkAccountOrganisation(ctx, whoOf(request), request.params.id, request.body)),
  );

  // Admins pick the directory organization a partner-role user works for (the admin screen "Partner accounts").
  r.get('/api/admin/partner-accounts', { config: { access: { permission: 'user.list' } }, schema: { tags: ['directory'], summary: 'Directory organizations with their account organisation, and partner-role users with theirs' } }, async (request) =>
    listPartnerAccounts(ctx, actorOf(request).hotlineId),
  );
  r.post('/api/admin/users/:id/partner-organization', { config: { access: { permission: 'user.update' } }, schema: { tags: ['directory'], summary: 'Set the directory organization a partner-role user works for (links an account organisation to it if needed); audited', params: referralIdParams, body: partnerOrganizationBody } }, async (request, reply) =>
    sendResult(reply, await setPartnerOrganization(ctx, whoOf(request), request.params.id, request.body.organizationId)),
  );

  const pageConfig = { access: { public: true as const }, rateLimit: { max: 120, timeWindow: '1 minute' } };
  r.get('/partner/referral', { config: pageConfig, schema: { hide: true } }, async (_request, reply) =>
    reply.headers(noStore).type('text/html; charset=utf-8').send(fs.readFileSync(path.join(PARTNER_ROOT, 'referral.html'))),
  );
  r.get('/partner/assets/:file', { config: pageConfig, schema: { hide: true, params: z.object({ file: z.string().max(40) }) } }, async (request, reply) => {
    const type = PARTNER_FILES[request.params.file];
    if (!type) return sendError(reply, 'not_found', 'Not found');
    return reply.header('cache-control', 'no-cache').type(type).send(fs.readFileSync(path.join(PARTNER_ROOT, request.params.file)));
  });
}
