import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CTDC_QUASI_IDENTIFIERS } from '../../shared/metrics/ctdc.js';
import { equivalenceClasses, isKAnonymous, kAnonymise, type QuasiIdentifier } from './kanonymity.js';

const id = (v: string | null) => v;
const none = () => null;
const ageQi: QuasiIdentifier = {
  field: 'age',
  levels: [id, (v) => (v === null ? null : Number(v) < 18 ? 'minor' : 'adult'), none],
};
const genderQi: QuasiIdentifier = { field: 'gender', levels: [id, none] };

describe('k-anonymity: worked example', () => {
  const records = [
    { id: 1, age: '15', gender: 'Woman' },
    { id: 2, age: '16', gender: 'Woman' },
    { id: 3, age: '30', gender: 'Man' },
    { id: 4, age: '31', gender: 'Man' },
    { id: 5, age: '32', gender: 'Man' },
    { id: 6, age: '33', gender: 'Woman' },
  ];

  it('generalises age to minor/adult, then drops the lone adult woman, and reports both', () => {
    const out = kAnonymise(records, [ageQi, genderQi], { k: 2, maxSuppressionRate: 0.2 });
    expect(out.levels).toEqual({ age: 1, gender: 0 });
    expect(out.records.map((r) => [r.id, r.age, r.gender])).toEqual([[1, 'minor', 'Woman'], [2, 'minor', 'Woman'], [3, 'adult', 'Man'], [4, 'adult', 'Man'], [5, 'adult', 'Man']]);
    expect(out.suppressed).toBe(1);
    expect(out.generalised).toBe(5);
    expect(out.smallestClass).toBe(2);
  });

  it('generalises further instead of dropping when suppression is not allowed', () => {
    const out = kAnonymise(records, [ageQi, genderQi], { k: 2, maxSuppressionRate: 0 });
    expect(out.suppressed).toBe(0);
    expect(isKAnonymous(out.records, ['age', 'gender'], 2)).toBe(true);
  });

  it('keeps non-identifying columns as they are and releases nothing when there are fewer than k records', () => {
    const out = kAnonymise(records.slice(0, 3), [ageQi, genderQi], { k: 5, maxSuppressionRate: 0 });
    expect(out.records).toEqual([]);
    expect(out.suppressed).toBe(3);
  });

  it('refuses a meaningless k', () => {
    expect(() => kAnonymise(records, [ageQi], { k: 0 })).toThrow(/k must be/);
  });
});

// Random records over the CTDC quasi-identifiers as our data records them (raw, before any generalisation).
const ctdcRecord = fc.record({
  ageBroad: fc.constantFrom(null, '0--8', '9--17', '18--20', '21--23', '24--26', '27--29', '30--38', '39--47', '48+'),
  gender: fc.constantFrom(null, 'Man', 'Woman', 'Trans/Transgender/NonConforming'),
  citizenship: fc.constantFrom(null, 'CAN', 'MEX', 'USA', 'GTM', 'HND', 'PHL', 'IND', 'UKR', 'NGA', 'CHN'),
  CountryOfExploitation: fc.constantFrom('CAN', 'MEX', 'USA'),
  yearOfRegistration: fc.constantFrom(null, '2019', '2020', '2021', '2022', '2023', '2024'),
  isForcedLabour: fc.constantFrom(null, '1'),
});

describe('k-anonymity: property', () => {
  it('every released equivalence class has at least k records, over the CTDC quasi-identifiers', () => {
    fc.assert(
      fc.property(fc.array(ctdcRecord, { maxLength: 120 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 0.05, 0.2), (records, k, rate) => {
        const fields = CTDC_QUASI_IDENTIFIERS.map((q) => q.field);
        const out = kAnonymise(records, CTDC_QUASI_IDENTIFIERS, { k, maxSuppressionRate: rate });
        for (const size of equivalenceClasses(out.records, fields).values()) expect(size).toBeGreaterThanOrEqual(k);
        expect(out.records.length + out.suppressed).toBe(records.length);
        // Records are dropped beyond the allowed share only once nothing can be generalised further.
        const atTop = CTDC_QUASI_IDENTIFIERS.every((q) => out.levels[q.field] === q.levels.length - 1);
        if (!atTop) expect(out.suppressed).toBeLessThanOrEqual(Math.floor(rate * records.length));
        // Only quasi-identifiers change, and only by their hierarchy at the reported level.
        expect(out.records.every((r) => r.isForcedLabour === null || r.isForcedLabour === '1')).toBe(true);
        expect(kAnonymise(records, CTDC_QUASI_IDENTIFIERS, { k, maxSuppressionRate: rate })).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });

  it('every released value is the recorded value generalised to the reported level', () => {
    fc.assert(
      fc.property(fc.array(ctdcRecord, { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 8 }), (raw, k) => {
        const records = raw.map((r, i) => ({ ...r, row: i }));
        const out = kAnonymise(records, CTDC_QUASI_IDENTIFIERS, { k });
        for (const r of out.records) {
          const original = records[r.row];
          for (const qi of CTDC_QUASI_IDENTIFIERS) expect(r[qi.field as keyof typeof r]).toBe(qi.levels[out.levels[qi.field]](original[qi.field as keyof typeof original] as string | null));
        }
      }),
      { numRuns: 200 },
    );
  });
});
