import type { z } from 'zod';
import type { savedSearchBody } from '../../shared/api/search.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import { CASE_COLUMNS } from '../cases/cases.service.js';
import type { AppContext } from '../context.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import './search.tables.js';

const MAX_SAVED = 50;
const MAX_RECENT = 20;

/** A user's saved searches: name and parameters are encrypted (a search can be a person's name). */
export async function listSavedSearches(ctx: AppContext, who: ActorContext) {
  const { hotlineId } = who.actor;
  const rows = await ctx.db.selectFrom('saved_search').select(['id', 'name', 'params', 'created_at']).where('hotline_id', '=', hotlineId).where('user_id', '=', who.actor.id).orderBy('created_at', 'desc').limit(MAX_SAVED).execute();
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      name: await ctx.keys.decrypt(hotlineId, 'saved_search.name', r.name),
      params: JSON.parse(await ctx.keys.decrypt(hotlineId, 'saved_search.params', r.params)) as Record<string, string>,
      createdAt: r.created_at.toISOString(),
    })),
  );
}

export async function saveSearch(ctx: AppContext, who: ActorContext, input: z.infer<typeof savedSearchBody>): Promise<Result<{ id: string }>> {
  const { hotlineId } = who.actor;
  const { n } = await ctx.db.selectFrom('saved_search').select((eb) => eb.fn.countAll<string>().as('n')).where('hotline_id', '=', hotlineId).where('user_id', '=', who.actor.id).executeTakeFirstOrThrow();
  if (Number(n) >= MAX_SAVED) return fail('conflict', `You can keep at most ${MAX_SAVED} saved searches; delete one first`);
  const [name, params] = await Promise.all([ctx.keys.encrypt(hotlineId, 'saved_search.name', input.name), ctx.keys.encrypt(hotlineId, 'saved_search.params', JSON.stringify(input.params))]);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('saved_search').values({ hotline_id: hotlineId, user_id: who.actor.id, name, params }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'search.save', recordType: 'saved_search', recordId: row.id, ip: who.ip });
    return row.id;
  });
  return ok({ id });
}

export async function deleteSavedSearch(ctx: AppContext, who: ActorContext, id: string): Promise<Result<null>> {
  const { hotlineId } = who.actor;
  const deleted = await ctx.db.deleteFrom('saved_search').where('hotline_id', '=', hotlineId).where('user_id', '=', who.actor.id).where('id', '=', id).returning('id').executeTakeFirst();
  return deleted ? ok(null) : fail('not_found', 'No such saved search');
}

/** Remember that this user opened a record (for "recently viewed"). */
export async function recordRecent(ctx: AppContext, who: ActorContext, recordType: 'case' | 'contact', recordId: string) {
  await ctx.db
    .insertInto('recent_item')
    .values({ hotline_id: who.actor.hotlineId, user_id: who.actor.id, record_type: recordType, record_id: recordId, viewed_at: new Date() })
    .onConflict((oc) => oc.columns(['user_id', 'record_type', 'record_id']).doUpdateSet({ viewed_at: new Date() }))
    .execute();
}

/**
 * The cases and contacts this user opened lately and may still read (an expired break-glass drops a restricted case
 * from here), newest first. Contacts are named by reference, channel and state: no personal data in the list.
 */
export async function listRecent(ctx: AppContext, who: ActorContext) {
  const { hotlineId } = who.actor;
  const [cases, contacts] = await Promise.all([
    ctx.db
      .selectFrom('recent_item as r')
      .innerJoin('hotline_case as k', 'k.id', 'r.record_id')
      .select(['k.id', 'k.number', 'k.title', 'k.status', 'r.viewed_at'])
      .where('r.hotline_id', '=', hotlineId)
      .where('r.user_id', '=', who.actor.id)
      .where('r.record_type', '=', 'case')
      .where('k.hotline_id', '=', hotlineId)
      .where(who.can.sqlFilter('case.read', CASE_COLUMNS))
      .orderBy('r.viewed_at', 'desc')
      .limit(MAX_RECENT)
      .execute(),
    who.can.mayAttempt('contact.read')
      ? ctx.db
          .selectFrom('recent_item as r')
          .innerJoin('contact as c', 'c.id', 'r.record_id')
          .select(['c.id', 'c.number', 'c.channel', 'c.status', 'r.viewed_at'])
          .where('r.hotline_id', '=', hotlineId)
          .where('r.user_id', '=', who.actor.id)
          .where('r.record_type', '=', 'contact')
          .where('c.hotline_id', '=', hotlineId)
          .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
          .orderBy('r.viewed_at', 'desc')
          .limit(MAX_RECENT)
          .execute()
      : [],
  ]);
  const items = [
    ...(await Promise.all(cases.map(async (r) => ({ type: 'case' as const, id: r.id, reference: `K-${r.number}`, label: await ctx.keys.decrypt(hotlineId, 'hotline_case.title', r.title), status: r.status, channel: null as string | null, viewedAt: r.viewed_at.toISOString() })))),
    ...contacts.map((r) => ({ type: 'contact' as const, id: r.id, reference: `C-${r.number}`, label: null as string | null, status: r.status as string, channel: r.channel as string | null, viewedAt: r.viewed_at.toISOString() })),
  ];
  return items.sort((a, b) => b.viewedAt.localeCompare(a.viewedAt)).slice(0, MAX_RECENT);
}
