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
};
