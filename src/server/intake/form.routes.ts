import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { areasSchema, DEFAULT_AREAS } from '../../shared/areas.js';
import { contactFormSchema, DEFAULT_CONTACT_FORM } from '../../shared/contact-form.js';
import { DEFAULT_SLA, slaConfigSchema } from '../../shared/sla.js';
import { appendAudit } from '../audit/audit.js';
import { publishConfig, publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { actorOf, whoOf } from '../http/access.js';
import { forgetSlaTargets } from './intake.batch.js';

export async function contactFormFor(db: DbOrTx, hotlineId: string) {
  return publishedConfig(db, hotlineId, 'contact_form', contactFormSchema, DEFAULT_CONTACT_FORM);
}

export async function areasFor(db: DbOrTx, hotlineId: string) {
  const hotline = await db.selectFrom('hotline').select('country').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  return publishedConfig(db, hotlineId, 'areas', areasSchema, DEFAULT_AREAS[hotline.country] ?? { areas: [] });
}

/** Per-hotline intake configuration: the contact form, the admin areas, the service-level targets. Versioned data. */
export async function intakeConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['configuration'];

  r.get('/api/contact-form', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'The contact form and admin areas advocates fill in' } }, async (request) => {
    const hotlineId = actorOf(request).hotlineId;
    const [form, areas] = await Promise.all([contactFormFor(ctx.db, hotlineId), areasFor(ctx.db, hotlineId)]);
    return { version: form.version, form: form.data, areas: areas.data.areas };
  });

  const editors = [
    { path: 'contact-form', kind: 'contact_form', schema: contactFormSchema, fallback: () => DEFAULT_CONTACT_FORM },
    { path: 'areas', kind: 'areas', schema: areasSchema, fallback: () => ({ areas: [] }) },
    { path: 'sla', kind: 'sla', schema: slaConfigSchema, fallback: () => DEFAULT_SLA },
  ] as const;
  for (const editor of editors) {
    r.get(`/api/admin/${editor.path}`, { config: { access: { permission: 'config.manage' } }, schema: { tags, summary: `The published ${editor.kind} configuration` } }, async (request) => {
      const hotlineId = actorOf(request).hotlineId;
      return editor.kind === 'areas' ? areasFor(ctx.db, hotlineId) : publishedConfig(ctx.db, hotlineId, editor.kind, editor.schema as z.ZodType<unknown>, editor.fallback());
    });
    r.put(
      `/api/admin/${editor.path}`,
      { config: { access: { permission: 'config.manage' } }, schema: { tags, summary: `Publish a new version of the ${editor.kind} configuration`, body: z.object({ data: editor.schema }).strict() } },
      async (request) => {
        const who = whoOf(request);
        const version = await ctx.db.transaction().execute(async (tx) => {
          const v = await publishConfig(tx, who.actor.hotlineId, editor.kind, request.body.data, who.actor.id);
          await appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'config.publish', recordType: 'hotline_config', recordId: `${editor.kind}:${v}`, ip: who.ip });
          return v;
        });
        if (editor.kind === 'sla') forgetSlaTargets(ctx, who.actor.hotlineId);
        return { version, data: request.body.data };
      },
    );
  }
}
