import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTOCOLS } from './defaults/index.js';
import { matchProtocols, planTasks, planTasksForMatches, type ProtocolContext } from './match.js';
import type { ProtocolInput } from './protocol.schema.js';
import { parseProtocol } from './protocol.validate.js';
import { localized } from '../../shared/assessment/vocabulary.js';

const t = (word: string) => localized(word, `${word} es`, `${word} fr`);
const protocol = (overrides: Partial<ProtocolInput> = {}): ProtocolInput => ({
  id: 'sample', version: 1, title: t('Sample'), summary: t('Sample'), priority: 5,
  triggers: [{ requestTypes: ['tip'] }],
  steps: [
    { id: 'ask', kind: 'decision', text: t('Safe?'), options: [{ id: 'yes', label: t('yes'), next: 'plan' }, { id: 'no', label: t('no'), next: 'plan' }] },
    { id: 'plan', kind: 'check', text: t('Plan') },
  ],
  actions: [{ id: 'call_back', taskKey: 'call_back', title: t('Call back'), ownerRole: 'advocate', dueWithinMinutes: 30, escalateToSupervisorWhenOverdue: false }],
  ...overrides,
});
const issuesOf = (raw: unknown) => {
  const parsed = parseProtocol(raw);
  if (parsed.ok) throw new Error('expected refusal');
  return parsed.issues;
};
const context = (partial: Partial<ProtocolContext>): ProtocolContext => ({ levels: { sex: 'none', labour: 'none' }, flags: [], ...partial });
const now = new Date('2025-05-05T22:00:00Z');
const byId = (id: string) => DEFAULT_PROTOCOLS.find((p) => p.id === id)!;

describe('protocol validation', () => {
  it('accepts a well-formed protocol', () => {
    expect(parseProtocol(protocol()).ok).toBe(true);
  });
  it('refuses branches to unknown steps, naming the path', () => {
    const raw = protocol();
    raw.steps[0].options![1].next = 'plann';
    expect(issuesOf(raw)).toEqual([{ code: 'unknown_step', path: 'steps[0].options[1].next', message: "refers to unknown step 'plann'" }]);
  });
  it('refuses loops and unreachable steps', () => {
    const loop = protocol();
    loop.steps[1].next = 'ask';
    expect(issuesOf(loop)[0]).toMatchObject({ code: 'step_cycle' });
    const stray = protocol();
    stray.steps.push({ id: 'orphan', kind: 'check', text: t('orphan') });
    expect(issuesOf(stray)[0]).toMatchObject({ code: 'unreachable_step', path: 'steps[2]' });
  });
  it('refuses a decision without options, a trigger clause without a positive condition, and missing translations', () => {
    expect(issuesOf(protocol({ steps: [{ id: 'ask', kind: 'decision', text: t('?') }] }))[0].code).toBe('invalid_shape');
    expect(issuesOf(protocol({ triggers: [{ withoutFlags: ['minor'] }] }))[0].message).toMatch(/exclusions/);
    expect(issuesOf(protocol({ title: { en: 'x', es: 'y' } as never }))[0].path).toBe('title.fr');
  });
  it('refuses duplicate step ids', () => {
    const raw = protocol();
    raw.steps[1].id = 'ask';
    expect(issuesOf(raw)[0].code).toBe('duplicate_step_id');
  });
});

describe('matchProtocols', () => {
  it('says why each protocol triggered, most urgent first', () => {
    const matches = matchProtocols(DEFAULT_PROTOCOLS, context({ requestType: 'crisis', flags: ['imminent_danger', 'minor'], levels: { sex: 'high', labour: 'none' } }));
    expect(matches.map((m) => m.protocol.id)).toEqual(['imminent_danger', 'crisis', 'minor', 'likely_trafficking']);
    expect(matches[0].matchedClauses).toEqual([{ clauseIndex: 0, reasons: [{ kind: 'flag', flag: 'imminent_danger' }] }]);
    expect(matches[2].matchedClauses.map((c) => c.clauseIndex)).toEqual([0, 1]);
    expect(matches[3].matchedClauses[0].reasons).toEqual([{ kind: 'level', type: 'sex', level: 'high', atLeast: 'high' }]);
  });
  it('does not trigger the labour protocol when there is imminent danger', () => {
    const labour = context({ levels: { sex: 'none', labour: 'moderate' } });
    expect(matchProtocols(DEFAULT_PROTOCOLS, labour).map((m) => m.protocol.id)).toEqual(['labour_exploitation']);
    expect(matchProtocols(DEFAULT_PROTOCOLS, { ...labour, flags: ['imminent_danger'] }).map((m) => m.protocol.id)).toEqual(['imminent_danger']);
  });
  it('triggers nothing for a general information contact without indicators', () => {
    expect(matchProtocols(DEFAULT_PROTOCOLS, context({ requestType: 'general_information' }))).toEqual([]);
  });
});

describe('planTasks', () => {
  it('creates the protocol tasks with due times from now and the escalation flag', () => {
    const tasks = planTasks(byId('crisis'), context({ requestType: 'crisis' }), now);
    expect(tasks.map((task) => [task.taskKey, task.ownerRole, task.dueAt, task.escalateToSupervisorWhenOverdue])).toEqual([
      ['crisis_response', 'advocate', '2025-05-06T22:00:00.000Z', true],
      ['supervisor_crisis_review', 'supervisor', '2025-05-05T23:00:00.000Z', true],
      ['safety_plan', 'advocate', '2025-05-06T02:00:00.000Z', false],
    ]);
    expect(tasks[0].title.fr).toContain('24 heures');
  });
  it('creates conditional actions only when their clause holds', () => {
    const danger = byId('imminent_danger');
    expect(planTasks(danger, context({ flags: ['suicide_risk'] }), now).map((task) => task.taskKey)).toEqual(['supervisor_alert', 'suicide_risk_assessment']);
    expect(planTasks(danger, context({ flags: ['imminent_danger'] }), now).map((task) => task.taskKey)).toEqual(['supervisor_alert', 'emergency_response']);
  });
  it('merges tasks with the same key across protocols, keeping the earliest deadline and every source', () => {
    const ctx = context({ requestType: 'crisis', flags: ['imminent_danger'], levels: { sex: 'high', labour: 'none' } });
    const tasks = planTasksForMatches(matchProtocols(DEFAULT_PROTOCOLS, ctx), ctx, now);
    const alert = tasks.filter((task) => task.taskKey === 'supervisor_alert');
    expect(alert).toHaveLength(1);
    expect(alert[0].dueAt).toBe(now.toISOString());
    expect(alert[0].sources.map((s) => s.protocolId)).toEqual(['imminent_danger', 'likely_trafficking']);
    expect(tasks.map((task) => task.dueWithinMinutes)).toEqual([...tasks.map((task) => task.dueWithinMinutes)].sort((a, b) => a - b));
  });
  it('keeps the earliest deadline when a later protocol asks for the same task sooner', () => {
    const slow = parseProtocol(protocol({ id: 'slow', priority: 1, actions: [{ id: 'a', taskKey: 'shared', title: t('slow'), ownerRole: 'advocate', dueWithinMinutes: 600, escalateToSupervisorWhenOverdue: false }] }));
    const fast = parseProtocol(protocol({ id: 'fast', priority: 2, actions: [{ id: 'b', taskKey: 'shared', title: t('fast'), ownerRole: 'supervisor', dueWithinMinutes: 5, escalateToSupervisorWhenOverdue: true }] }));
    if (!slow.ok || !fast.ok) throw new Error('fixture invalid');
    const ctx = context({ requestType: 'tip' });
    const [task] = planTasksForMatches(matchProtocols([slow.protocol, fast.protocol], ctx), ctx, now);
    expect([task.title.en, task.ownerRole, task.dueWithinMinutes, task.escalateToSupervisorWhenOverdue, task.sources.length]).toEqual(['fast', 'supervisor', 5, true, 2]);
  });
  it('refuses an invalid "now"', () => {
    expect(() => planTasks(byId('crisis'), context({}), new Date('nope'))).toThrow(RangeError);
  });
});
