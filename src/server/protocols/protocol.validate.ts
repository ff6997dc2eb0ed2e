import { formatPath } from '../../shared/assessment/instrument.validate.js';
import { protocolSchema, type Protocol } from './protocol.schema.js';

export type ProtocolIssueCode = 'invalid_shape' | 'duplicate_step_id' | 'duplicate_action_id' | 'unknown_step' | 'step_cycle' | 'unreachable_step';
export interface ProtocolIssue { code: ProtocolIssueCode; path: string; message: string }
export type ParseProtocolResult = { ok: true; protocol: Protocol } | { ok: false; issues: ProtocolIssue[] };

export class ProtocolValidationError extends Error {
  constructor(readonly protocolId: string, readonly issues: ProtocolIssue[]) {
    super(`invalid protocol '${protocolId}': ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'ProtocolValidationError';
  }
}

/** Validate a protocol: its shape, then that steps form a tree-like flow from the first step with no loops or strays. */
export function parseProtocol(raw: unknown): ParseProtocolResult {
  const shaped = protocolSchema.safeParse(raw);
  if (!shaped.success) {
    return { ok: false, issues: shaped.error.issues.map((issue) => ({ code: 'invalid_shape', path: formatPath(issue.path), message: issue.message })) };
  }
  const protocol = shaped.data;
  const issues: ProtocolIssue[] = [];
  const stepIndex = new Map<string, number>();
  protocol.steps.forEach((step, i) => {
    if (stepIndex.has(step.id)) issues.push({ code: 'duplicate_step_id', path: `steps[${i}].id`, message: `step id '${step.id}' is used twice` });
    else stepIndex.set(step.id, i);
  });
  const actionIds = new Set<string>();
  protocol.actions.forEach((action, i) => {
    if (actionIds.has(action.id)) issues.push({ code: 'duplicate_action_id', path: `actions[${i}].id`, message: `action id '${action.id}' is used twice` });
    actionIds.add(action.id);
  });
  const successors = (i: number): { target: string; path: string }[] => {
    const step = protocol.steps[i];
    if (step.options) return step.options.flatMap((option, o) => (option.next ? [{ target: option.next, path: `steps[${i}].options[${o}].next` }] : []));
    return step.next ? [{ target: step.next, path: `steps[${i}].next` }] : [];
  };
  protocol.steps.forEach((_, i) => {
    for (const { target, path } of successors(i)) {
      if (!stepIndex.has(target)) issues.push({ code: 'unknown_step', path, message: `refers to unknown step '${target}'` });
    }
  });
  if (issues.length > 0) return { ok: false, issues };

  // Walk from the first step: a loop would trap the advocate, a stray step would never be shown.
  const state = new Uint8Array(protocol.steps.length); // 0 new, 1 on path, 2 done
  const walk = (i: number, trail: string[]): void => {
    state[i] = 1;
    for (const { target, path } of successors(i)) {
      const j = stepIndex.get(target)!;
      if (state[j] === 1) issues.push({ code: 'step_cycle', path, message: `steps loop: ${[...trail, protocol.steps[i].id, target].join(' -> ')}` });
      else if (state[j] === 0) walk(j, [...trail, protocol.steps[i].id]);
    }
    state[i] = 2;
  };
  walk(0, []);
  protocol.steps.forEach((step, i) => {
    if (state[i] === 0) issues.push({ code: 'unreachable_step', path: `steps[${i}]`, message: `step '${step.id}' cannot be reached from the first step` });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, protocol };
}

export function assertValidProtocol(raw: unknown): Protocol {
  const parsed = parseProtocol(raw);
  if (!parsed.ok) throw new ProtocolValidationError(String((raw as { id?: unknown })?.id ?? '?'), parsed.issues);
  return parsed.protocol;
}
