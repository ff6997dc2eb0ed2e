import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../server/assessment/default-instrument/index.js';
import { compileInstrument } from './compile.js';
import { AssessmentInputError, evaluateAssessment, type Answers, type PersonFacts } from './evaluate.js';
import { assertValidInstrument } from './instrument.validate.js';
import { seededRandom, syntheticAnswers, syntheticInstrument } from './synthetic-instrument.js';
import { levelRank, TRAFFICKING_TYPES } from './vocabulary.js';

const compiled = compileInstrument(DEFAULT_INSTRUMENT);
const items = DEFAULT_INSTRUMENT.items;

/** Any answer set the default instrument accepts, and any person. */
const answersArbitrary = fc.dictionary(
  fc.constantFrom(...items.map((item) => item.id)),
  fc.constant(null),
).chain((keys) => {
  const ids = Object.keys(keys);
  const perItem = ids.map((id) => {
    const item = items.find((candidate) => candidate.id === id)!;
    const values = item.answer.type === 'yes_no' ? ['yes', 'no', 'unknown', 'declined'] : [...item.answer.options.map((o) => o.id), 'unknown'];
    return fc.constantFrom(...values);
  });
  return fc.tuple(...perItem).map((values) => Object.fromEntries(ids.map((id, i) => [id, values[i]])) as Answers);
});
const personArbitrary: fc.Arbitrary<PersonFacts> = fc.oneof(
  fc.record({ age: fc.integer({ min: 0, max: 90 }) }),
  fc.record({ ageGroup: fc.constantFrom('adult', 'minor', 'unknown') as fc.Arbitrary<'adult' | 'minor' | 'unknown'> }),
  fc.constant({}),
);
const meansItems = items.filter((item) => item.domain === 'means' && item.answer.type === 'yes_no').map((item) => item.id);
const yesNoItems = items.filter((item) => item.answer.type === 'yes_no').map((item) => item.id);

describe('evaluateAssessment on the default instrument', () => {
  it('applies the hard rule: a minor in commercial sex is high for sex whatever the means', () => {
    const result = evaluateAssessment(compiled, { pur_commercial_sex: 'yes', ilo_threats: 'no' }, { age: 15 });
    expect(result.levels).toEqual({ sex: 'high', labour: 'none' });
    expect(result.explanation[0]).toMatchObject({ type: 'sex', ruleId: 'minor_in_commercial_sex', ruleKind: 'hard', decisive: true });
    expect(result.explanation[0].matchedAnswers).toEqual([{ itemId: 'pur_commercial_sex', answer: 'yes' }]);
    // The same answers for an adult stay at none: no means, no indicator.
    expect(evaluateAssessment(compiled, { pur_commercial_sex: 'yes' }, { age: 19 }).levels.sex).toBe('none');
  });

  it('explains a combination rule with the answers that made it true', () => {
    const result = evaluateAssessment(compiled, { act_recruited: 'yes', pur_labour: 'yes', ilo_debt: 'yes', ilo_threats: 'no' }, { age: 30 });
    const amp = result.explanation.find((entry) => entry.ruleId === 'amp_all_elements')!;
    expect(amp).toMatchObject({ type: 'labour', level: 'high', decisive: true });
    expect(amp.matchedAnswers.map((m) => m.itemId)).toEqual(['pur_labour', 'act_recruited', 'ilo_debt']);
    expect(amp.ruleText.es.length).toBeGreaterThan(0);
    expect(result.amp.labour).toEqual({ action: true, means: true, purpose: true });
    expect(result.amp.sex).toEqual({ action: true, means: true, purpose: false });
    expect(result.indicators).toEqual([{ indicator: 'debt_bondage', itemIds: ['ilo_debt'] }]);
    expect(result.redFlags).toEqual([{ group: 'lack_of_control', itemIds: ['ilo_debt'] }]);
  });

  it('shows follow-up items only when answers call for them, and ignores answers to hidden items', () => {
    const before = evaluateAssessment(compiled, { ilo_debt: 'no', ilo_debt_growing: 'yes' }, { age: 30 });
    expect(before.visibleItems).not.toContain('ilo_debt_growing');
    expect(before.ignoredAnswers).toEqual(['ilo_debt_growing']);
    const after = evaluateAssessment(compiled, { ilo_debt: 'yes' }, { age: 30 });
    expect(after.visibleItems).toContain('ilo_debt_growing');
    expect(after.pendingItems).toContain('ilo_debt_growing');
  });

  it('asks minors items for minors and unknown ages, not for adults', () => {
    expect(evaluateAssessment(compiled, {}, { age: 30 }).visibleItems).not.toContain('min_adult_benefits');
    expect(evaluateAssessment(compiled, {}, { age: 12 }).visibleItems).toContain('min_adult_benefits');
    expect(evaluateAssessment(compiled, {}, {}).visibleItems).toContain('min_adult_benefits');
  });

  it('uses the instrument age threshold and refuses contradictory or impossible ages', () => {
    expect(evaluateAssessment(compiled, {}, { age: 17.9 }).person.ageGroup).toBe('minor');
    expect(evaluateAssessment(compiled, {}, { age: 18 }).person.ageGroup).toBe('adult');
    expect(() => evaluateAssessment(compiled, {}, { age: 30, ageGroup: 'minor' })).toThrow(/contradicts/);
    expect(() => evaluateAssessment(compiled, {}, { age: -1 })).toThrow(AssessmentInputError);
  });

  it('refuses unknown items and invalid answers, naming the item', () => {
    expect(() => evaluateAssessment(compiled, { ilo_dept: 'yes' }, {})).toThrow(/'ilo_dept'/);
    expect(() => evaluateAssessment(compiled, { ilo_debt: 'maybe' }, {})).toThrow(/ilo_debt/);
    expect(() => evaluateAssessment(compiled, { ctx_setting: 'yes' }, {})).toThrow(/ctx_setting/);
  });

  it('short form shows only short items', () => {
    const result = evaluateAssessment(compiled, {}, { age: 30 }, { form: 'short' });
    const shortIds = new Set(items.filter((item) => item.short).map((item) => item.id));
    expect(result.visibleItems.length).toBeGreaterThan(5);
    expect(result.visibleItems.every((id) => shortIds.has(id))).toBe(true);
  });

  it('suggests Polaris types from the chosen setting', () => {
    const result = evaluateAssessment(compiled, { ctx_setting: 'pornography_or_webcam' }, {});
    expect(result.polarisTypeSuggestions.map((s) => [s.number, s.name])).toEqual([[7, 'Pornography'], [21, 'Remote Interactive Sexual Acts']]);
  });

  it('accepts an uncompiled instrument with the same result', () => {
    const answers = { pur_labour: 'yes', ilo_threats: 'yes' };
    expect(evaluateAssessment(DEFAULT_INSTRUMENT, answers, { age: 40 })).toEqual(evaluateAssessment(compiled, answers, { age: 40 }));
  });
});

describe('properties', () => {
  it('is deterministic: the same input gives the same result, and input is not mutated', () => {
    fc.assert(
      fc.property(answersArbitrary, personArbitrary, (answers, person) => {
        const copy = structuredClone(answers);
        const first = evaluateAssessment(compiled, answers, person);
        expect(evaluateAssessment(compileInstrument(DEFAULT_INSTRUMENT), copy, person)).toEqual(first);
        expect(answers).toEqual(copy);
      }),
      { numRuns: 300 },
    );
  });

  it('adding a "yes" to a means item never lowers a level', () => {
    fc.assert(
      fc.property(answersArbitrary, personArbitrary, fc.constantFrom(...meansItems), (answers, person, meansItem) => {
        const before = evaluateAssessment(compiled, answers, person);
        const after = evaluateAssessment(compiled, { ...answers, [meansItem]: 'yes' }, person);
        for (const type of TRAFFICKING_TYPES) expect(levelRank(after.levels[type])).toBeGreaterThanOrEqual(levelRank(before.levels[type]));
      }),
      { numRuns: 500 },
    );
  });

  it('answering any yes/no item "yes" never lowers a level, on random instruments of every rule shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer(), fc.nat(59), (seed, answerSeed, itemIndex) => {
        const input = syntheticInstrument({ items: 60, rules: 25, seed });
        const instrument = compileInstrument(assertValidInstrument(input));
        const answers = syntheticAnswers(input, seededRandom(answerSeed));
        const item = input.items[itemIndex];
        if (item.answer.type !== 'yes_no') return;
        for (const person of [{ age: 30 }, { age: 12 }, {}] as PersonFacts[]) {
          const before = evaluateAssessment(instrument, answers, person);
          const after = evaluateAssessment(instrument, { ...answers, [item.id]: 'yes' }, person);
          for (const type of TRAFFICKING_TYPES) expect(levelRank(after.levels[type])).toBeGreaterThanOrEqual(levelRank(before.levels[type]));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every level above none has a decisive rule whose matched answers are visible and given', () => {
    fc.assert(
      fc.property(answersArbitrary, personArbitrary, (answers, person) => {
        const result = evaluateAssessment(compiled, answers, person);
        for (const type of TRAFFICKING_TYPES) {
          const decisive = result.explanation.filter((entry) => entry.type === type && entry.decisive);
          expect(decisive.length > 0).toBe(result.levels[type] !== 'none');
        }
        for (const entry of result.explanation) {
          for (const { itemId, answer } of entry.matchedAnswers) {
            expect(result.visibleItems).toContain(itemId);
            expect(answers[itemId]).toBe(answer);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('yes/no items of the default instrument cover every means item', () => {
    expect(meansItems.length).toBeGreaterThan(10);
    expect(meansItems.every((id) => yesNoItems.includes(id))).toBe(true);
  });
});
