import { sql } from 'kysely';
import type { Action } from '../../shared/permissions.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { CONTACT_FLAGS, REQUEST_TYPES, type RequestType } from '../../shared/intake.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import type { ContactFlag } from '../protocols/vocabulary.js';

/** The facts of a contact that assessment, protocols and reports need. No personal data. */
export interface ContactFacts {
  id: string;
  assignedTo: string | null;
  requestType: RequestType | undefined;
  flags: ContactFlag[];
}

/**
 * Finds a contact the actor may read, then checks `action` on it with the same rules compiled to SQL: a contact that
 * is missing, of another hotline or unreadable is a 404; readable but not actionable (a colleague's contact) a 403.
 */
export async function contactForAction(db: DbOrTx, who: ActorContext, contactId: string, action: Action): Promise<Result<ContactFacts>> {
  const row = await db
    .selectFrom('contact as c')
    .select(['c.id', 'c.assigned_to', 'c.request_type', 'c.flags'])
    .select(sql<boolean>`${who.can.sqlFilter(action, CONTACT_COLUMNS)}`.as('allowed'))
    .where('c.hotline_id', '=', who.actor.hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!row) return fail('not_found', 'No such contact');
  if (!row.allowed) return fail('forbidden', 'You may read this contact but not do this on it');
  return ok(factsOf(row));
}

export function factsOf(row: { id: string; assigned_to: string | null; request_type: string | null; flags: Record<string, boolean> }): ContactFacts {
  return {
    id: row.id,
    assignedTo: row.assigned_to,
    requestType: (REQUEST_TYPES as readonly string[]).includes(row.request_type ?? '') ? (row.request_type as RequestType) : undefined,
    flags: CONTACT_FLAGS.filter((flag) => row.flags?.[flag] === true),
  };
}

export type { AppContext };
