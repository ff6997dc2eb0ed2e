import {
  TRAFFICKING_TYPES, levelRank, type IndicatorLevel, type LevelsByType, type LocalizedText, type TraffickingType,
} from '../../shared/assessment/vocabulary.js';
import type { Protocol, TriggerClause } from './protocol.schema.js';
import type { ContactFlag, RequestType, StaffRole } from './vocabulary.js';

/** What is known about a contact when protocols are matched. Levels are the final ones (after any override). */
export interface ProtocolContext {
  requestType?: RequestType;
  levels: LevelsByType;
  flags: readonly ContactFlag[];
}

/** Why a clause held, in structured form so every UI language can word it. */
export type TriggerReason =
  | { kind: 'request_type'; requestType: RequestType }
  | { kind: 'level'; type: TraffickingType; level: IndicatorLevel; atLeast: IndicatorLevel }
  | { kind: 'flag'; flag: ContactFlag }
  | { kind: 'without_flags'; flags: ContactFlag[] };

export interface ProtocolMatch {
  protocol: Protocol;
  /** Each clause that held, with its reasons. */
  matchedClauses: { clauseIndex: number; reasons: TriggerReason[] }[];
}

export interface PlannedTask {
  taskKey: string;
  title: LocalizedText;
  ownerRole: StaffRole;
  dueAt: string;
  dueWithinMinutes: number;
  escalateToSupervisorWhenOverdue: boolean;
  /** The protocol actions that asked for this task (several when protocols overlap). */
  sources: { protocolId: string; protocolVersion: number; actionId: string }[];
}

/** The reasons a clause holds, or undefined when it does not. */
export function clauseReasons(clause: TriggerClause, context: ProtocolContext): TriggerReason[] | undefined {
  const reasons: TriggerReason[] = [];
  const flags = new Set(context.flags);
  if (clause.requestTypes) {
    if (!context.requestType || !clause.requestTypes.includes(context.requestType)) return undefined;
    reasons.push({ kind: 'request_type', requestType: context.requestType });
  }
  if (clause.level) {
    const { atLeast } = clause.level;
    const types = clause.level.type === 'any' ? TRAFFICKING_TYPES : [clause.level.type];
    const reached = types.filter((type) => levelRank(context.levels[type]) >= levelRank(atLeast));
    if (reached.length === 0) return undefined;
    for (const type of reached) reasons.push({ kind: 'level', type, level: context.levels[type], atLeast });
  }
  if (clause.flags) {
    if (!clause.flags.every((flag) => flags.has(flag))) return undefined;
    for (const flag of clause.flags) reasons.push({ kind: 'flag', flag });
  }
  if (clause.anyFlags) {
    const present = clause.anyFlags.filter((flag) => flags.has(flag));
    if (present.length === 0) return undefined;
    for (const flag of present) reasons.push({ kind: 'flag', flag });
  }
  if (clause.withoutFlags) {
    if (clause.withoutFlags.some((flag) => flags.has(flag))) return undefined;
    reasons.push({ kind: 'without_flags', flags: clause.withoutFlags });
  }
  return reasons;
}

/** The protocols that trigger for a contact and why, most urgent (lowest priority number) first. Pure. */
export function matchProtocols(protocols: readonly Protocol[], context: ProtocolContext): ProtocolMatch[] {
  const matches: ProtocolMatch[] = [];
  for (const protocol of protocols) {
    const matchedClauses = protocol.triggers.flatMap((clause, clauseIndex) => {
      const reasons = clauseReasons(clause, context);
      return reasons ? [{ clauseIndex, reasons }] : [];
    });
    if (matchedClauses.length > 0) matches.push({ protocol, matchedClauses });
  }
  return matches.sort((a, b) => a.protocol.priority - b.protocol.priority || a.protocol.id.localeCompare(b.protocol.id));
}

/** The tasks one protocol creates for a contact at `now`. Actions with an `onlyIf` clause need it to hold too. */
export function planTasks(protocol: Protocol, context: ProtocolContext, now: Date): PlannedTask[] {
  if (Number.isNaN(now.getTime())) throw new RangeError('planTasks needs a valid date for "now"');
  return protocol.actions
    .filter((action) => !action.onlyIf || clauseReasons(action.onlyIf, context) !== undefined)
    .map((action) => ({
      taskKey: action.taskKey,
      title: action.title,
      ownerRole: action.ownerRole,
      dueAt: new Date(now.getTime() + action.dueWithinMinutes * 60_000).toISOString(),
      dueWithinMinutes: action.dueWithinMinutes,
      escalateToSupervisorWhenOverdue: action.escalateToSupervisorWhenOverdue,
      sources: [{ protocolId: protocol.id, protocolVersion: protocol.version, actionId: action.id }],
    }));
}

/**
 * The tasks of all matched protocols, merged by task key so overlapping protocols (crisis and imminent danger both
 * alert a supervisor) create one task: the earliest deadline wins, its owner and title are kept, escalation is kept
 * if any source asked for it. Sorted by deadline, then key.
 */
export function planTasksForMatches(matches: readonly ProtocolMatch[], context: ProtocolContext, now: Date): PlannedTask[] {
  const byKey = new Map<string, PlannedTask>();
  for (const { protocol } of matches) {
    for (const task of planTasks(protocol, context, now)) {
      const existing = byKey.get(task.taskKey);
      if (!existing) {
        byKey.set(task.taskKey, task);
        continue;
      }
      const earliest = task.dueWithinMinutes < existing.dueWithinMinutes ? task : existing;
      byKey.set(task.taskKey, {
        ...earliest,
        escalateToSupervisorWhenOverdue: existing.escalateToSupervisorWhenOverdue || task.escalateToSupervisorWhenOverdue,
        sources: [...existing.sources, ...task.sources],
      });
    }
  }
  return [...byKey.values()].sort((a, b) => a.dueWithinMinutes - b.dueWithinMinutes || a.taskKey.localeCompare(b.taskKey));
}
