import type { Condition, RuleSet } from '../../shared/permissions.js';
import { ACTIONS } from '../../shared/permissions.js';
import { DEFAULT_RULES } from './defaults.js';

function describeCondition(condition: Condition): string {
  return typeof condition === 'string' ? `\`${condition}\`` : `\`sensitivityAtMost: ${condition.sensitivityAtMost}\``;
}

/** The default rules as the Markdown table docs/permissions.md carries (a test keeps the two equal). */
export function describeRules(rules: RuleSet = DEFAULT_RULES): string {
  const rows = ACTIONS.map((action) => {
    const clauses = rules[action] ?? [];
    const allowed = clauses.length === 0 ? 'nobody' : clauses.map((clause) => clause.map(describeCondition).join(' and ')).join('; or ');
    return `| \`${action}\` | ${allowed} |`;
  });
  return ['| action | allowed when |', '|---|---|', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(describeRules() + '\n');
