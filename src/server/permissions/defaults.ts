import type { RuleSet } from '../../shared/permissions.js';

/**
 * The rules a new hotline starts with. Admins change them per hotline (stored in permission_rule_set); this is data,
 * not code, and is documented in docs/permissions.md.
 */
export const DEFAULT_RULES: RuleSet = {
  'user.list': [['isAdmin'], ['isSupervisor']],
  'user.create': [['isAdmin']],
  'user.update': [['isAdmin']],
  'user.reset': [['isAdmin']],
  'user.deactivate': [['isAdmin']],
  'audit.read': [['isAdmin']],
  'audit.verify': [['isAdmin']],
  'permissions.read': [['isAdmin']],
  'permissions.update': [['isAdmin']],
  'channel.manage': [['isAdmin']],
  'apikey.manage': [['isAdmin']],
  'queue.read': [['isAdvocate'], ['isSupervisor']],
  'queue.claim': [['isAdvocate'], ['isSupervisor']],
  'queue.transfer': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'queue.supervise': [['isSupervisor']],
  // Restricted contacts (staff, law enforcement involvement) are for supervisors and the advocate handling them.
  'contact.read': [['isSupervisor'], ['isAdvocate', { sensitivityAtMost: 'normal' }], ['isAdvocate', 'isAssignee'], ['isQaReviewer', { sensitivityAtMost: 'normal' }]],
  'contact.create': [['isAdvocate'], ['isSupervisor']],
  'contact.update': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'contact.reply': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'config.manage': [['isAdmin']],
  // Restricted cases (law enforcement involvement, a staff member involved) are open only to the people named on them;
  // a supervisor can break the glass with a written reason, which names them for an hour and is shown to admins.
  'case.read': [['isSupervisor', { sensitivityAtMost: 'normal' }], ['isAdvocate', { sensitivityAtMost: 'normal' }], ['isNamed']],
  'case.create': [['isAdvocate'], ['isSupervisor']],
  'case.update': [['isSupervisor', { sensitivityAtMost: 'normal' }], ['isAdvocate', 'isAssignee'], ['isNamed']],
  'case.break_glass': [['isSupervisor']],
  // Assessment, protocol tasks, consent and reports are checked against the contact they belong to (its assignee and
  // sensitivity): the advocate handling the contact and supervisors act; only supervisors approve reports.
  'assessment.record': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'assessment.override': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'task.read': [['isSupervisor'], ['isAdvocate', { sensitivityAtMost: 'normal' }], ['isAdvocate', 'isAssignee']],
  'task.update': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'consent.record': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'report.request': [['isSupervisor'], ['isAdvocate', 'isAssignee']],
  'report.approve': [['isSupervisor']],
  // Referrals are checked against their case as well (case.read to see one, case.update to make or change one).
  'directory.read': [['isAdvocate'], ['isSupervisor'], ['isAdmin']],
  'referral.read': [['isAdvocate'], ['isSupervisor']],
  'referral.create': [['isAdvocate'], ['isSupervisor']],
  'referral.update': [['isAdvocate'], ['isSupervisor']],
  'referral.metrics': [['isSupervisor'], ['isAdmin'], ['isAnalyst']],
  // Partner staff see and answer only the referrals sent to their own organisation (docs/referrals.md).
  'referral.partner': [['isPartner', 'isOwnOrganisation']],
  // Aggregate statistics: analysts and supervisors (docs/metrics.md).
  'metrics.read': [['isAnalyst'], ['isSupervisor']],
  'metrics.schedule': [['isSupervisor']],
  // Exact (unsuppressed) figures: for the roles that read cases in general; analysts get suppressed ones.
  'metrics.detail': [['isSupervisor']],
  // Scheduling: supervisors build and publish rosters and decide requests; staff who work shifts see their own and ask.
  'scheduling.plan': [['isSupervisor']],
  'scheduling.self': [['isAdvocate'], ['isSupervisor']],
};
