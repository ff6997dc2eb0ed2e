import { sql } from 'kysely';
import type { z } from 'zod';
import type { SearchReason, Suggestion, suggestionsBody } from '../../shared/api/search.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import { caseWhere } from './filters.js';
import { nameMatches, personLabel, type PersonDetails, type VisibleCase } from './names.js';
import { tokenHasher } from './tokens.js';

const LIMIT = 10;
const EXACT_LIMIT = 50;

type JsonCase = { id: string; number: number; status: string; openedAt: string };
interface ContactFacts {
  id: string;
  linked: { id: string; number: number }[];
  earlier: { id: string; number: number; cases: { id: string; number: number }[] }[];
  exact: { id: string; details: string; phone: boolean; email: boolean; cases: JsonCase[] }[];
}

/**
 * Everything the contact itself says, in one statement (the contact must be readable by this user): the cases it is
 * linked to, earlier contacts from the same number or address, and people whose phone or email (typed, or the one the
 * contact came from: the same blind-index space) is the same — with their encrypted details and visible cases.
 */
async function contactFacts(ctx: AppContext, who: ActorContext, contactId: string, phoneIndexes: Buffer[], emailIndexes: Buffer[]) {
  const { hotlineId } = who.actor;
  const visibleCase = caseWhere(who, {});
  const casesJson = (personRef: string) => sql`coalesce((select json_agg(json_build_object('id', k.id, 'number', k.number, 'status', k.status, 'openedAt', k.opened_at) order by k.opened_at desc)
      from hotline_case k where k.id in (select cp.case_id from case_person cp where cp.person_id = ${sql.ref(personRef)}) and ${visibleCase}), '[]'::json)`;
  const { rows } = await sql<ContactFacts>`
    select c.id,
      coalesce((select json_agg(json_build_object('id', k.id, 'number', k.number)) from case_contact cc join hotline_case k on k.id = cc.case_id where cc.contact_id = c.id and ${visibleCase}), '[]'::json) as linked,
      coalesce((select json_agg(e) from (
        select ec.id, ec.number,
          coalesce((select json_agg(json_build_object('id', k.id, 'number', k.number)) from case_contact cc join hotline_case k on k.id = cc.case_id where cc.contact_id = ec.id and ${visibleCase}), '[]'::json) as cases
        from (select c.id, c.number, c.received_at from contact c join contact_thread t2 on t2.id = c.thread_id
              where t2.hotline_id = ${hotlineId} and t2.correspondent_index = t.correspondent_index and c.id <> ${contactId} and ${who.can.sqlFilter('contact.read', CONTACT_COLUMNS)}
              order by c.received_at desc limit ${LIMIT}) ec) e), '[]'::json) as earlier,
      coalesce((select json_agg(x) from (
        select p.id, encode(p.details, 'base64') as details,
          p.phone_indexes && (${phoneIndexes}::bytea[] || t.correspondent_index) as phone,
          p.email_indexes && (${emailIndexes}::bytea[] || t.correspondent_index) as email,
          ${casesJson('p.id')} as cases
        from person p
        where p.hotline_id = ${hotlineId}
          and (p.phone_indexes && (${phoneIndexes}::bytea[] || t.correspondent_index) or p.email_indexes && (${emailIndexes}::bytea[] || t.correspondent_index))
        -- Newest first, by a column without an index: a plain LIMIT let the planner read person sequentially until it
        -- met enough rows (400 ms at 300,000 people, measured); with a sort it asks the GIN indexes, and the cases
        -- (an expensive column) are computed for the kept rows only, which keeps the statement under jit_above_cost
        -- (JIT compiling it took longer than running it).
        order by p.created_at desc limit ${EXACT_LIMIT}) x), '[]'::json) as exact
    from contact c join contact_thread t on t.id = c.thread_id
    where c.hotline_id = ${hotlineId} and c.id = ${contactId} and ${who.can.sqlFilter('contact.read', CONTACT_COLUMNS)}`.execute(ctx.db);
  return rows[0];
}

/**
 * While an advocate documents a contact: people, cases and earlier contacts that may be the same situation, each with
 * its reasons ("same phone as case K-1042", "name 92% similar"). The contact's own phone or address counts even when
 * nothing is typed. Only what the advocate may read is suggested; the lookup is audited. Two statements run together
 * (what the contact says; names near the typed ones), then one audit row.
 */
export async function suggestForContact(ctx: AppContext, who: ActorContext, contactId: string, input: z.infer<typeof suggestionsBody>): Promise<Result<{ items: Suggestion[]; linked: { id: string; reference: string }[] }>> {
  const { hotlineId } = who.actor;
  const typedName = [input.givenNames, input.familyNames].filter(Boolean).join(' ').trim();
  const [phoneIndexes, emailIndexes] = await Promise.all([
    input.phone ? ctx.keys.blindIndex(hotlineId, 'phone', input.phone).then((b) => [b]) : [],
    input.email ? ctx.keys.blindIndex(hotlineId, 'email', input.email).then((b) => [b]) : [],
  ]);
  const [facts, named] = await Promise.all([
    contactFacts(ctx, who, contactId, phoneIndexes, emailIndexes),
    typedName.length >= 2 ? tokenHasher(ctx, hotlineId).then((hash) => nameMatches(ctx, who, hash, typedName, { people: true, entities: false })) : null,
  ]);
  if (!facts) return fail('not_found', 'No such contact');

  const people = new Map<string, { score: number; reasons: SearchReason[]; details?: PersonDetails; cases: VisibleCase[] }>();
  const addPerson = (id: string, cases: VisibleCase[], score: number, reason: SearchReason, details?: PersonDetails) => {
    const entry = people.get(id) ?? { score: 0, reasons: [], cases };
    entry.score = Math.min(1, Math.max(entry.score, score) + (entry.reasons.length ? 0.05 : 0));
    entry.reasons.push(reason);
    entry.details ??= details;
    people.set(id, entry);
  };
  // A person only on cases this advocate may not read is not suggested (and not decrypted).
  for (const p of facts.exact) {
    if (p.cases.length === 0) continue;
    const cases = p.cases.map((k) => ({ id: k.id, reference: `K-${k.number}`, status: k.status, openedAt: new Date(k.openedAt) }));
    const details = JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', Buffer.from(p.details, 'base64'))) as PersonDetails;
    if (p.phone) addPerson(p.id, cases, 1, { code: 'same_phone' }, details);
    if (p.email) addPerson(p.id, cases, 1, { code: 'same_email' }, details);
  }
  for (const p of named?.people ?? []) addPerson(p.id, p.cases, p.rank * 0.9, { code: 'name_similar', percent: p.percent }, p.details);

  const items: Suggestion[] = [];
  for (const [id, p] of people) {
    if (input.dateOfBirth && p.details?.dateOfBirth === input.dateOfBirth) {
      p.reasons.push({ code: 'same_birth_date' });
      p.score = Math.min(1, p.score + 0.05);
    }
    const on = p.cases[0].reference;
    items.push({ type: 'person', id, reference: on, label: p.details ? personLabel(p.details) : '—', cases: p.cases.map(({ id: caseId, reference }) => ({ id: caseId, reference })), reasons: p.reasons.map((r) => ({ ...r, on })), score: p.score });
  }

  // Earlier contacts from the same number or address, and the visible cases they are linked to.
  for (const c of facts.earlier) {
    const linkedTo = c.cases.map((k) => ({ id: k.id, reference: `K-${k.number}` }));
    const on = linkedTo[0]?.reference ?? `C-${c.number}`;
    items.push({ type: linkedTo.length ? 'case' : 'contact', id: linkedTo[0]?.id ?? c.id, reference: on, label: `C-${c.number}`, cases: linkedTo, reasons: [{ code: 'same_phone', on }], score: 0.95 });
  }

  // The cases this contact already belongs to (that the advocate may read), so the panel can say so.
  const linked = facts.linked.map((k) => ({ id: k.id, reference: `K-${k.number}` }));
  const unique = new Map<string, Suggestion>();
  for (const s of items.sort((a, b) => b.score - a.score)) if (!unique.has(`${s.type}:${s.id}`)) unique.set(`${s.type}:${s.id}`, s);
  const result = [...unique.values()].slice(0, LIMIT);
  await appendAudit(ctx.db, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.suggestions', recordType: 'contact', recordId: contactId, details: { typed: Object.keys(input), shown: result.map((s) => `${s.type}:${s.id}`) }, ip: who.ip });
  return ok({ items: result, linked });
}
