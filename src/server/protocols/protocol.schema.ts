import { z } from 'zod';
import { identifierSchema } from '../../shared/assessment/instrument.schema.js';
import { localizedTextSchema } from '../../shared/assessment/vocabulary.js';
import { contactFlagSchema, requestTypeSchema, staffRoleSchema } from './vocabulary.js';

/**
 * A response protocol: versioned per-hotline data saying when it applies (triggers), what the advocate does
 * (steps: checklist items, scripts, decisions) and which tasks with deadlines it creates (actions).
 */

/** One trigger clause: every field given must hold. A protocol triggers when any of its clauses holds. */
export const triggerClauseSchema = z
  .strictObject({
    requestTypes: z.array(requestTypeSchema).min(1).optional(),
    /** The assessment level of a type (or of either type) is at least this. */
    level: z.strictObject({ type: z.enum(['sex', 'labour', 'any']), atLeast: z.enum(['low', 'moderate', 'high']) }).optional(),
    /** All of these flags are set. */
    flags: z.array(contactFlagSchema).min(1).optional(),
    /** At least one of these flags is set. */
    anyFlags: z.array(contactFlagSchema).min(1).optional(),
    /** None of these flags is set (e.g. labour exploitation *without* immediate danger). */
    withoutFlags: z.array(contactFlagSchema).min(1).optional(),
  })
  .refine((clause) => clause.requestTypes || clause.level || clause.flags || clause.anyFlags, {
    message: 'a trigger clause needs a request type, a level or a flag; a clause with only exclusions would match nearly every contact',
  });
export type TriggerClause = z.infer<typeof triggerClauseSchema>;

export const stepSchema = z
  .strictObject({
    id: identifierSchema,
    kind: z.enum(['check', 'script', 'decision']),
    /** The checklist item, instruction or question for the advocate. */
    text: localizedTextSchema,
    /** Words the advocate may say to the person. */
    script: localizedTextSchema.optional(),
    /** The step after this one (check and script steps); absent means the protocol ends here. */
    next: identifierSchema.optional(),
    /** The branches of a decision step. */
    options: z.array(z.strictObject({ id: identifierSchema, label: localizedTextSchema, next: identifierSchema.optional() })).min(2).optional(),
  })
  .refine((step) => (step.kind === 'decision') === (step.options !== undefined), {
    message: 'decision steps need options (at least two) and other steps must not have any',
  })
  .refine((step) => !(step.kind === 'decision' && step.next !== undefined), { message: 'a decision step branches through its options, not "next"' });
export type ProtocolStep = z.infer<typeof stepSchema>;

export const requiredActionSchema = z.strictObject({
  id: identifierSchema,
  /** Tasks with the same key from several protocols are one task (the earliest deadline wins). */
  taskKey: identifierSchema,
  title: localizedTextSchema,
  ownerRole: staffRoleSchema,
  /** 0 means now. */
  dueWithinMinutes: z.int().min(0).max(60 * 24 * 90),
  escalateToSupervisorWhenOverdue: z.boolean(),
  /** The task is created only when this clause also holds (e.g. the suicide-risk step of the danger protocol). */
  onlyIf: triggerClauseSchema.optional(),
});
export type RequiredAction = z.infer<typeof requiredActionSchema>;

export const protocolSchema = z.strictObject({
  id: identifierSchema,
  version: z.int().min(1),
  title: localizedTextSchema,
  summary: localizedTextSchema,
  /** Lower runs first in the advocate's screen (imminent danger before anything else). */
  priority: z.int().min(0).max(1000),
  triggers: z.array(triggerClauseSchema).min(1),
  steps: z.array(stepSchema).min(1),
  actions: z.array(requiredActionSchema),
});
export type ProtocolInput = z.input<typeof protocolSchema>;
export type Protocol = z.output<typeof protocolSchema>;
