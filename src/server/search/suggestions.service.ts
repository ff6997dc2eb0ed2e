import { sql, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { SearchReason, Suggestion, suggestionsBody } from '../../shared/api/search.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import { CASE_COLUMNS } from '../cases/cases.service.js';
import type { AppContext } from '../context.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import { peopleByName, personLabel, visibleCasesOf, type PersonDetails } from './search.service.js';
import { tokenHasher } from './tokens.js';

const LIMIT = 10;

/**
 * While an advocate documents a contact: people, cases and earlier contacts that may be the same situation, each with
 * its reasons ("same phone as case K-1042", "name 92% similar"). The contact's own phone or address counts even when
 * nothing is typed. Only what the advocate may read is suggested; the lookup is audited.
 */
export async function suggestForContact(ctx: AppContext, who: ActorContext, contactId: string, input: z.infer<typeof suggestionsBody>): Promise<Result<{ items: Suggestion[]; linked: { id: string; reference: string }[] }>> {
  const { hotlineId } = who.actor;
  const contact = await ctx.db
    .selectFrom('contact as c')
    .innerJoin('contact_thread as t', 't.id', 'c.thread_id')
    .select(['c.id', 't.correspondent_index'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!contact) return fail('not_found', 'No such contact');

  const people = new Map<string, { score: number; reasons: SearchReason[]; details?: PersonDetails }>();
  const addPerson = (id: string, score: number, reason: SearchReason, details?: PersonDetails) => {
    const entry = people.get(id) ?? { score: 0, reasons: [] };
    entry.score = Math.min(1, Math.max(entry.score, score) + (entry.reasons.length ? 0.05 : 0));
    entry.reasons.push(reason);
    entry.details ??= details;
    people.set(id, entry);
  };

  // Exact: the typed phone and email, and the number or address the contact came from (same blind-index space).
  const phoneIndexes = [contact.correspondent_index, input.phone ? await ctx.keys.blindIndex(hotlineId, 'phone', input.phone) : null].filter((b): b is Buffer => !!b);
  const emailIndex = input.email ? await ctx.keys.blindIndex(hotlineId, 'email', input.email) : null;
  const exact = [...phoneIndexes.map((index) => ['phone_indexes', index, 'same_phone'] as const), ...(emailIndex ? [['email_indexes', emailIndex, 'same_email'] as const] : []), ...(contact.correspondent_index ? [['email_indexes', contact.correspondent_index, 'same_email'] as const] : [])];
  const typedName = [input.givenNames, input.familyNames].filter(Boolean).join(' ').trim();
  // The independent look-ups run together: each is one indexed query.
  const [exactRows, named, earlier, linkedRows] = await Promise.all([
    Promise.all(exact.map(([column, index]) => ctx.db.selectFrom('person').select('id').where('hotline_id', '=', hotlineId).where(sql<SqlBool>`${sql.ref(column)} @> array[${index}]::bytea[]`).limit(50).execute())),
    typedName.length >= 2 ? tokenHasher(ctx, hotlineId).then((hash) => peopleByName(ctx, hotlineId, hash, typedName)).then((r) => r.matches) : Promise.resolve([]),
    earlierContacts(ctx, who, contactId, contact.correspondent_index),
    ctx.db
      .selectFrom('case_contact as cc')
      .innerJoin('hotline_case as k', 'k.id', 'cc.case_id')
      .select(['k.id', 'k.number'])
      .where('cc.contact_id', '=', contactId)
      .where('k.hotline_id', '=', hotlineId)
      .where(who.can.sqlFilter('case.read', CASE_COLUMNS))
      .execute(),
  ]);
  exactRows.forEach((rows, i) => rows.forEach((r) => addPerson(r.id, 1, { code: exact[i][2] })));
  for (const p of named) addPerson(p.id, (p.percent / 100) * 0.9, { code: 'name_similar', percent: p.percent }, p.details);

  const cases = await visibleCasesOf(ctx, who, [...people.keys()]);
  const items: Suggestion[] = [];
  const stillToDecrypt = [...people.entries()].filter(([id, p]) => !p.details && cases.has(id)).map(([id]) => id);
  const rows = stillToDecrypt.length ? await ctx.db.selectFrom('person').select(['id', 'details']).where('hotline_id', '=', hotlineId).where('id', 'in', stillToDecrypt).execute() : [];
  for (const r of rows) people.get(r.id)!.details = JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', r.details));
  for (const [id, p] of people) {
    const list = cases.get(id);
    if (!list) continue; // a person only on cases this advocate may not read is not suggested
    if (input.dateOfBirth && p.details?.dateOfBirth === input.dateOfBirth) {
      p.reasons.push({ code: 'same_birth_date' });
      p.score = Math.min(1, p.score + 0.05);
    }
    const on = list[0].reference;
    items.push({ type: 'person', id, reference: on, label: p.details ? personLabel(p.details) : '—', cases: list.map(({ id: caseId, reference }) => ({ id: caseId, reference })), reasons: p.reasons.map((r) => ({ ...r, on })), score: p.score });
  }

  // Earlier contacts from the same number or address, and the visible cases they are linked to.
  for (const c of earlier) {
    const linkedTo = c.cases.map((k) => ({ id: k.id, reference: `K-${k.number}` }));
    const on = linkedTo[0]?.reference ?? `C-${c.number}`;
    items.push({ type: linkedTo.length ? 'case' : 'contact', id: linkedTo[0]?.id ?? c.id, reference: on, label: `C-${c.number}`, cases: linkedTo, reasons: [{ code: 'same_phone', on }], score: 0.95 });
  }

  // The cases this contact already belongs to (that the advocate may read), so the panel can say so.
  const linked = linkedRows.map((k) => ({ id: k.id, reference: `K-${k.number}` }));
  const unique = new Map<string, Suggestion>();
  for (const s of items.sort((a, b) => b.score - a.score)) if (!unique.has(`${s.type}:${s.id}`)) unique.set(`${s.type}:${s.id}`, s);
  const result = [...unique.values()].slice(0, LIMIT);
  await appendAudit(ctx.db, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.suggestions', recordType: 'contact', recordId: contactId, details: { typed: Object.keys(input), shown: result.map((s) => `${s.type}:${s.id}`) }, ip: who.ip });
  return ok({ items: result, linked });
}

async function earlierContacts(ctx: AppContext, who: ActorContext, contactId: string, index: Buffer | null) {
  if (!index) return [];
  const { hotlineId } = who.actor;
  return ctx.db
    .selectFrom('contact as c')
    .innerJoin('contact_thread as t', 't.id', 'c.thread_id')
    .select(['c.id', 'c.number', 'c.channel'])
    .select(sql<{ id: string; number: string }[]>`coalesce((select json_agg(json_build_object('id', k.id, 'number', k.number)) from case_contact cc join hotline_case k on k.id = cc.case_id where cc.contact_id = c.id and k.hotline_id = ${hotlineId} and ${who.can.sqlFilter('case.read', CASE_COLUMNS)}), '[]'::json)`.as('cases'))
    .where('t.hotline_id', '=', hotlineId)
    .where('t.correspondent_index', '=', index)
    .where('c.id', '<>', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .orderBy('c.received_at', 'desc')
    .limit(LIMIT)
    .execute();
}
