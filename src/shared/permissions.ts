import { z } from 'zod';

/** Every action a route or service can be asked to allow. Adding a capability adds its actions here. */
export const ACTIONS = [
  'user.list',
  'user.create',
  'user.update',
  'user.reset',
  'user.deactivate',
  'audit.read',
  'audit.verify',
  'permissions.read',
  'permissions.update',
  'channel.manage',
  'apikey.manage',
  'queue.read',
  'queue.claim',
  'queue.transfer',
  'queue.supervise',
  'contact.read',
  'contact.create',
  'contact.update',
  'contact.reply',
  'config.manage',
  'case.read',
  'case.create',
  'case.update',
  'case.break_glass',
  'assessment.record',
  'assessment.override',
  'task.read',
  'task.update',
  'consent.record',
  'report.request',
  'report.approve',
  'directory.read',
  'referral.read',
  'referral.create',
  'referral.update',
  'referral.metrics',
  'referral.partner',
  'metrics.read',
  'metrics.schedule',
  'metrics.detail',
  'scheduling.plan',
  'scheduling.self',
] as const;
export type Action = (typeof ACTIONS)[number];

export const SENSITIVITIES = ['normal', 'restricted'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** Conditions about the user alone: decided once per request, before any record is read. */
export const USER_CONDITIONS = ['everyone', 'isAdmin', 'isSupervisor', 'isAdvocate', 'isQaReviewer', 'isAnalyst', 'isPartner'] as const;
/** Conditions about the user and one record: evaluated per record in memory, or compiled into SQL for lists. */
export const RECORD_CONDITIONS = ['isAssignee', 'isCreator', 'isOwnOrganisation', 'isSelf', 'isNamed'] as const;

export const conditionSchema = z.union([
  z.enum(USER_CONDITIONS),
  z.enum(RECORD_CONDITIONS),
  z.object({ sensitivityAtMost: z.enum(SENSITIVITIES) }).strict(),
]);
export type Condition = z.infer<typeof conditionSchema>;

/** action -> OR of AND-clauses. An action that is absent, or has no clauses, is denied. */
export const ruleSetSchema = z.partialRecord(z.enum(ACTIONS), z.array(z.array(conditionSchema).min(1)));
export type RuleSet = z.infer<typeof ruleSetSchema>;
