import { sql, type Expression, type SqlBool } from 'kysely';
import { CASE_COLUMNS } from '../cases/cases.service.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';

export interface CaseFilter {
  status?: string;
  type?: string;
  area?: string;
  from?: string;
  to?: string;
  assignee?: string;
}

/** The cases this user may read that pass the filters, as a WHERE on `hotline_case as k`. */
export function caseWhere(who: ActorContext, f: CaseFilter): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [sql<SqlBool>`k.hotline_id = ${who.actor.hotlineId}`, who.can.sqlFilter('case.read', CASE_COLUMNS)];
  if (f.status) parts.push(sql<SqlBool>`k.status = ${f.status}`);
  if (f.type) parts.push(sql<SqlBool>`k.trafficking_types @> array[${f.type}]::text[]`);
  if (f.assignee) parts.push(sql<SqlBool>`k.assignee_id = ${f.assignee}`);
  if (f.from) parts.push(sql<SqlBool>`k.opened_at >= ${f.from}::date`);
  if (f.to) parts.push(sql<SqlBool>`k.opened_at < ${f.to}::date + 1`);
  if (f.area) parts.push(sql<SqlBool>`exists (select 1 from case_contact cc join contact ac on ac.id = cc.contact_id where cc.case_id = k.id and ac.area_code = ${f.area})`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

export function contactWhere(who: ActorContext, f: CaseFilter): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [sql<SqlBool>`c.hotline_id = ${who.actor.hotlineId}`, who.can.sqlFilter('contact.read', CONTACT_COLUMNS)];
  if (f.assignee) parts.push(sql<SqlBool>`c.assigned_to = ${f.assignee}`);
  if (f.from) parts.push(sql<SqlBool>`c.received_at >= ${f.from}::date`);
  if (f.to) parts.push(sql<SqlBool>`c.received_at < ${f.to}::date + 1`);
  if (f.area) parts.push(sql<SqlBool>`c.area_code = ${f.area}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
