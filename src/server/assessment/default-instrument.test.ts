import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLARIS_TYPOLOGY } from '../../shared/assessment/polaris-typology.js';
import { ILO_INDICATORS, RED_FLAG_GROUPS } from '../../shared/assessment/vocabulary.js';
import { DEFAULT_INSTRUMENT } from './default-instrument/index.js';

const texts = [
  DEFAULT_INSTRUMENT.title,
  ...DEFAULT_INSTRUMENT.items.flatMap((item) => [item.text, ...(item.guidance ? [item.guidance] : []), ...(item.answer.type === 'choice' ? item.answer.options.map((o) => o.label) : [])]),
  ...DEFAULT_INSTRUMENT.rules.map((rule) => rule.text),
];

describe('default instrument', () => {
  it('covers every ILO indicator and every red-flag group, the AMP elements for both types, and minors', () => {
    const indicators = new Set(DEFAULT_INSTRUMENT.items.map((item) => item.ilo));
    expect(ILO_INDICATORS.filter((indicator) => !indicators.has(indicator))).toEqual([]);
    const groups = new Set(DEFAULT_INSTRUMENT.items.map((item) => item.redFlag));
    expect(RED_FLAG_GROUPS.filter((group) => !groups.has(group))).toEqual([]);
    for (const type of ['sex', 'labour'] as const) {
      for (const domain of ['action', 'means', 'purpose'] as const) {
        expect(DEFAULT_INSTRUMENT.items.some((item) => item.domain === domain && item.scope.types.includes(type)), `${domain} ${type}`).toBe(true);
      }
    }
    expect(DEFAULT_INSTRUMENT.items.filter((item) => item.scope.ages.length === 1 && item.scope.ages[0] === 'minor').length).toBeGreaterThanOrEqual(4);
    expect(DEFAULT_INSTRUMENT.rules[0].kind).toBe('hard');
  });

  it('has real translations: Spanish and French differ from English for every question and rule', () => {
    const untranslated = texts.filter((text) => text.es === text.en || text.fr === text.en).map((text) => text.en);
    // Short labels that are the same word in several languages are allowed.
    expect(untranslated.filter((en) => en.length > 14)).toEqual([]);
  });

  it('keeps a short form of at most 16 items', () => {
    const short = DEFAULT_INSTRUMENT.items.filter((item) => item.short);
    expect(short.length).toBeGreaterThanOrEqual(10);
    expect(short.length).toBeLessThanOrEqual(16);
  });
});

describe('Polaris typology', () => {
  it('lists the 25 types in order', () => {
    expect(POLARIS_TYPOLOGY.map((type) => type.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
  const csv = new URL('../../../../shared/standards/polaris/polaris_typology_25_types.csv', import.meta.url);
  it.skipIf(!existsSync(csv))('matches the names in shared/standards/polaris', () => {
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
    const names = rows.map((row) => row.replace(/^\d+,/, '').replace(/,[^,]*$/, '').replace(/^"|"$/g, ''));
    expect(POLARIS_TYPOLOGY.map((type) => type.name)).toEqual(names);
  });
});
