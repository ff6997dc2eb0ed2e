import type { z } from 'zod';
import type { addEntityBody } from '../../shared/api/cases.js';
import { ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { normaliseCity, normalisePostcode, normaliseStreet } from '../linkage/addresses.js';
import type { ActorContext } from '../queue/queue.service.js';
import { indexEntity, type EntityDetails } from '../search/entities.index.js';
import { requireUpdatable } from './cases.service.js';
import './entities.tables.js';

/** The address in canonical form (street types, accents, filler words, postcode spacing), for comparing places. */
function normalisedAddress(address: EntityDetails['address']): string | undefined {
  if (!address) return undefined;
  const parts = [normaliseStreet(address.street)?.full, normalisePostcode(address.postcode), normaliseCity(address.city), address.country?.toLowerCase()].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * Adds an organisation (a business or venue) or a place to a case. Needs case.update on the case. What identifies it
 * (names, address, coordinates, description) is encrypted; it is indexed for search in the same transaction, a
 * timeline event says it was added (by kind, without the name), and the write is audited.
 */
export async function addEntity(ctx: AppContext, who: ActorContext, caseId: string, input: z.infer<typeof addEntityBody>): Promise<Result<{ id: string }>> {
  const gate = await requireUpdatable(ctx, who, caseId);
  if (!gate.ok) return gate;
  const { hotlineId } = who.actor;
  const details: EntityDetails & { normalisedAddress?: string } = {
    name: input.name,
    aliases: input.aliases,
    industry: input.industry,
    address: input.address,
    coordinates: input.coordinates,
    description: input.description,
    normalisedAddress: normalisedAddress(input.address),
  };
  const sealed = await ctx.keys.encrypt(hotlineId, 'case_entity.details', JSON.stringify(details));
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('case_entity')
      .values({ hotline_id: hotlineId, case_id: caseId, kind: input.kind, details: sealed, isic_section: input.isicSection ?? null, admin_area: input.adminArea ?? null, created_by: who.actor.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await indexEntity(tx, ctx, hotlineId, row.id, caseId, details);
    await tx.insertInto('case_event').values({ hotline_id: hotlineId, case_id: caseId, kind: 'entity_added', data: JSON.stringify({ entityId: row.id, kind: input.kind }), body: null, actor_id: who.actor.id, at: new Date() }).execute();
    await tx.updateTable('hotline_case').set({ updated_at: new Date() }).where('id', '=', caseId).where('hotline_id', '=', hotlineId).execute();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.add_entity', recordType: 'case', recordId: caseId, details: { entityId: row.id, kind: input.kind }, ip: who.ip });
    return row.id;
  });
  return ok({ id });
}

/** A case's organisations and places, decrypted (callers have already checked and audited the case read). */
export async function listEntities(ctx: AppContext, hotlineId: string, caseId: string) {
  const rows = await ctx.db.selectFrom('case_entity').select(['id', 'kind', 'details', 'isic_section', 'admin_area', 'created_at']).where('hotline_id', '=', hotlineId).where('case_id', '=', caseId).orderBy('created_at').execute();
  return Promise.all(
    rows.map(async (r) => {
      const d = JSON.parse(await ctx.keys.decrypt(hotlineId, 'case_entity.details', r.details)) as EntityDetails & { normalisedAddress?: string };
      return { id: r.id, kind: r.kind, name: d.name, aliases: d.aliases ?? [], industry: d.industry ?? null, isicSection: r.isic_section, address: d.address ?? null, normalisedAddress: d.normalisedAddress ?? null, adminArea: r.admin_area, coordinates: d.coordinates ?? null, description: d.description ?? null };
    }),
  );
}
