import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../server/assessment/default-instrument/index.js';
import { evaluateAssessment } from './evaluate.js';
import { applyOverride, outcomeOf } from './override.js';

const result = evaluateAssessment(DEFAULT_INSTRUMENT, { pur_labour: 'yes', ilo_threats: 'yes' }, { age: 40 });
const request = { type: 'labour' as const, level: 'high' as const, reason: 'Caller described being locked in at night', overriddenBy: 'advocate-7', overriddenAt: '2025-03-01T10:00:00Z' };

describe('advocate overrides', () => {
  it('keeps the computed level, records the override and its reason, and changes only the final level', () => {
    expect(result.levels.labour).toBe('moderate');
    const applied = applyOverride(outcomeOf(result), request);
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.outcome.result.levels.labour).toBe('moderate');
    expect(applied.outcome.finalLevels).toEqual({ sex: 'none', labour: 'high' });
    expect(applied.outcome.overrides).toEqual([{ ...request, computedLevel: 'moderate', previousLevel: 'moderate', direction: 'raised' }]);
  });

  it('refuses an override without a reason, or with only spaces', () => {
    expect(applyOverride(outcomeOf(result), { ...request, reason: '' })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(applyOverride(outcomeOf(result), { ...request, reason: '   ' })).toMatchObject({ ok: false, code: 'reason_required' });
  });

  it('refuses an override that changes nothing or names no one', () => {
    expect(applyOverride(outcomeOf(result), { ...request, level: 'moderate' })).toMatchObject({ ok: false, code: 'level_unchanged' });
    expect(applyOverride(outcomeOf(result), { ...request, overriddenBy: ' ' })).toMatchObject({ ok: false, code: 'actor_required' });
  });

  it('chains overrides, keeping each previous level', () => {
    const first = applyOverride(outcomeOf(result), request);
    if (!first.ok) throw new Error(first.message);
    const second = applyOverride(first.outcome, { ...request, level: 'low', reason: 'Supervisor review: the worker left the job last year' });
    if (!second.ok) throw new Error(second.message);
    expect(second.outcome.overrides.map((o) => [o.computedLevel, o.previousLevel, o.level, o.direction])).toEqual([
      ['moderate', 'moderate', 'high', 'raised'],
      ['moderate', 'high', 'low', 'lowered'],
    ]);
    expect(second.outcome.finalLevels.labour).toBe('low');
  });
});
