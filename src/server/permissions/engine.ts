import { sql, type Expression, type SqlBool } from 'kysely';
import type { Role } from '../../shared/roles.js';
import { ACTIONS, SENSITIVITIES, type Action, type Condition, type RuleSet, type Sensitivity } from '../../shared/permissions.js';

export interface Actor {
  id: string;
  hotlineId: string;
  roles: readonly Role[];
  organisationId: string | null;
}

/** The facts about one record that record conditions look at. Absent facts never satisfy a condition. */
export interface RecordFacts {
  id?: string;
  assigneeId?: string | null;
  creatorId?: string | null;
  organisationId?: string | null;
  sensitivity?: Sensitivity;
  /** Users named on the record (e.g. the people a restricted case is open to). */
  namedUserIds?: readonly string[];
}

/** Which SQL columns hold those facts for one record type; a condition on an unmapped fact compiles to false. */
export type RecordColumns = Partial<Record<Exclude<keyof RecordFacts, 'namedUserIds'>, string>> & {
  /** For `isNamed`: a SQL test that the user is named on the row (typically an EXISTS on an access table). */
  named?: (userId: string) => Expression<SqlBool>;
};

const ROLE_OF: Record<string, Role> = {
  isAdmin: 'admin',
  isSupervisor: 'supervisor',
  isAdvocate: 'advocate',
  isQaReviewer: 'qa_reviewer',
  isAnalyst: 'analyst',
  isPartner: 'partner',
};

function userCondition(actor: Actor, condition: Condition): boolean | undefined {
  if (condition === 'everyone') return true;
  if (typeof condition === 'string' && condition in ROLE_OF) return actor.roles.includes(ROLE_OF[condition]);
  return undefined; // a record condition
}

function recordCondition(actor: Actor, condition: Condition, record: RecordFacts): boolean {
  if (typeof condition === 'object') {
    return record.sensitivity !== undefined && SENSITIVITIES.indexOf(record.sensitivity) <= SENSITIVITIES.indexOf(condition.sensitivityAtMost);
  }
  switch (condition) {
    case 'isAssignee': return !!record.assigneeId && record.assigneeId === actor.id;
    case 'isCreator': return !!record.creatorId && record.creatorId === actor.id;
    case 'isOwnOrganisation': return !!actor.organisationId && record.organisationId === actor.organisationId;
    case 'isSelf': return !!record.id && record.id === actor.id;
    case 'isNamed': return !!record.namedUserIds?.includes(actor.id);
    default: return false;
  }
}

/** The clauses of an action that the user's roles do not already rule out, keeping only their record conditions. */
function openClauses(rules: RuleSet, action: Action, actor: Actor): Condition[][] {
  const clauses = rules[action] ?? [];
  const open: Condition[][] = [];
  for (const clause of clauses) {
    const remaining: Condition[] = [];
    let isPossible = true;
    for (const condition of clause) {
      const decided = userCondition(actor, condition);
      if (decided === false) { isPossible = false; break; }
      if (decided === undefined) remaining.push(condition);
    }
    if (isPossible) open.push(remaining);
  }
  return open;
}

/**
 * One rule set, compiled for one actor, gives the route guard, the in-memory check of a single record and the SQL
 * filter for lists — so a list never shows a record that a direct read would refuse, and the other way round.
 */
export function compilePermissions(rules: RuleSet, actor: Actor) {
  const cache = new Map<Action, Condition[][]>();
  const clausesFor = (action: Action) => {
    let clauses = cache.get(action);
    if (!clauses) cache.set(action, (clauses = openClauses(rules, action, actor)));
    return clauses;
  };
  return {
    /** May this actor attempt the action at all (for some record)? Used by the route guard. */
    mayAttempt(action: Action): boolean {
      return clausesFor(action).length > 0;
    },
    /** May this actor do the action on this record? */
    allows(action: Action, record: RecordFacts = {}): boolean {
      return clausesFor(action).some((clause) => clause.every((c) => recordCondition(actor, c, record)));
    },
    /** A WHERE expression (for a table aliased as `alias`) that keeps exactly the records `allows` would allow. */
    sqlFilter(action: Action, columns: RecordColumns, alias?: string): Expression<SqlBool> {
      const clauses = clausesFor(action);
      if (clauses.length === 0) return sql<SqlBool>`false`;
      const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
      const compiled = clauses.map((clause) => {
        if (clause.length === 0) return sql<SqlBool>`true`;
        const parts = clause.map((condition) => {
          if (condition === 'isNamed') return columns.named ? columns.named(actor.id) : sql<SqlBool>`false`;
          const fact = typeof condition === 'object' ? 'sensitivity' : FACT_OF[condition as string];
          const column = fact ? columns[fact] : undefined;
          if (!column) return sql<SqlBool>`false`;
          if (typeof condition === 'object') {
            const allowed = SENSITIVITIES.slice(0, SENSITIVITIES.indexOf(condition.sensitivityAtMost) + 1);
            return sql<SqlBool>`${col(column)} = any(${sql.val(allowed)}::text[])`;
          }
          const value = condition === 'isOwnOrganisation' ? actor.organisationId : actor.id;
          if (!value) return sql<SqlBool>`false`;
          return sql<SqlBool>`${col(column)} = ${value}`;
        });
        return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
      });
      return sql<SqlBool>`(${sql.join(compiled, sql` or `)})`;
    },
    /** The actions this actor may attempt: sent to the web app to show or hide controls (never trusted by the server). */
    attemptable(): Action[] {
      return ACTIONS.filter((a) => clausesFor(a).length > 0);
    },
  };
}

export type CompiledPermissions = ReturnType<typeof compilePermissions>;

const FACT_OF: Record<string, Exclude<keyof RecordFacts, 'namedUserIds'>> = {
  isAssignee: 'assigneeId',
  isCreator: 'creatorId',
  isOwnOrganisation: 'organisationId',
  isSelf: 'id',
};
