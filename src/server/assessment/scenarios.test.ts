import { describe, expect, it } from 'vitest';
import { scenarios } from '../../../test/fixtures/assessment/scenarios.js';
import { compileInstrument } from '../../shared/assessment/compile.js';
import { DEFAULT_PROTOCOLS } from '../protocols/defaults/index.js';
import { parseAnswerFile } from './answer-file.js';
import { assessContact } from './assess-contact.js';
import { DEFAULT_INSTRUMENT } from './default-instrument/index.js';

const compiled = compileInstrument(DEFAULT_INSTRUMENT);
const now = new Date('2025-03-01T09:30:00Z');

describe('scenario suite (default instrument and protocols)', () => {
  it('has at least 40 scenarios with unique ids, covering adults, minors, both types and non-data contacts', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    expect(scenarios.some((s) => s.expected.levels.sex === 'high')).toBe(true);
    expect(scenarios.some((s) => s.expected.levels.labour === 'high')).toBe(true);
    expect(scenarios.some((s) => (s.person.age ?? 99) < 18 || s.person.ageGroup === 'minor')).toBe(true);
    expect(scenarios.filter((s) => s.expected.protocols.includes('non_data_contact')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
    const parsed = parseAnswerFile(
      { person: scenario.person, answers: scenario.answers, requestType: scenario.requestType, flags: scenario.flags, form: scenario.form },
      compiled,
    );
    if (!parsed.ok) throw new Error(`fixture is invalid: ${JSON.stringify(parsed.issues)}`);
    const result = assessContact(compiled, DEFAULT_PROTOCOLS, parsed.answerFile, now);

    expect(result.assessment.levels).toEqual(scenario.expected.levels);
    expect(result.protocols.map((match) => match.protocol.id)).toEqual(scenario.expected.protocols);
    const tasks = result.tasks.map((task) => `${task.taskKey}:${task.ownerRole}@${task.dueWithinMinutes}`);
    expect([...tasks].sort()).toEqual([...scenario.expected.tasks].sort());
    for (const task of result.tasks) {
      expect(Date.parse(task.dueAt) - now.getTime()).toBe(task.dueWithinMinutes * 60_000);
    }
    expect(result.assessment.ignoredAnswers).toEqual(scenario.expected.ignoredAnswers ?? []);
    // Every level above none is explained by at least one decisive rule with the answers it used.
    for (const type of ['sex', 'labour'] as const) {
      const level = result.assessment.levels[type];
      const decisive = result.assessment.explanation.filter((entry) => entry.type === type && entry.decisive);
      if (level === 'none') expect(decisive).toEqual([]);
      else expect(decisive.length).toBeGreaterThan(0);
    }
  });
});
