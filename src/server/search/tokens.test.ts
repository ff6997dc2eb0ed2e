import { describe, expect, it } from 'vitest';
import { consonantSkeleton, isAbjad, nameSimilarity, nameWordsOf, queryNameWords, queryTokenGroups, skeletonsOf, transliterate } from './tokens.js';

describe('transliteration for search', () => {
  it('writes names of many scripts in Latin letters', () => {
    expect(transliterate('Наталья Иванова')).toBe('natalia ivanova');
    expect(transliterate('Γιώργος')).toBe('giorgos');
    expect(transliterate('محمد')).toBe('mhmd');
    expect(transliterate('ታደሰ በቀለ')).toBe('tadese bekele');
    expect(transliterate('王小明')).toBe('wang xiao ming');
    expect(transliterate('María José')).toBe('maría josé'); // Latin is left to the accent folding
  });

  it('compares Arabic-script and Hebrew names by consonant skeleton', () => {
    expect(isAbjad('فاطمة')).toBe(true);
    expect(isAbjad('Fatima')).toBe(false);
    expect(consonantSkeleton('mohammed')).toBe(consonantSkeleton('mhmd'));
    expect(consonantSkeleton('fatimah')).toBe('ftm');
    expect(consonantSkeleton('yusuf')).toBe(consonantSkeleton('ywsf'));
    const parts = { givenNames: 'محمد', familyNames: 'إبراهيم' };
    expect(nameSimilarity(['mohammed ibrahim'], nameWordsOf(parts), skeletonsOf(parts))).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity(['mohammed ibrahim'], nameWordsOf(parts))).toBeLessThan(0.8);
  });

  it('leaves name particles out of typed names, as indexed family names do', () => {
    expect(queryNameWords('Miguel García del Río')).toEqual(['miguel', 'garcia', 'rio']);
    expect(queryNameWords('De La')).toEqual(['de', 'la']); // only particles: kept
    expect(queryTokenGroups('Miguel del Río')).toHaveLength(2);
    expect(queryTokenGroups('a b c d e f g').length).toBeLessThanOrEqual(4);
  });

  it('gives each typed word one group holding its neighbours, formal forms and skeleton', () => {
    const [bill] = queryTokenGroups('Bill');
    expect(bill).toEqual(expect.arrayContaining(['d:bill', 'd:william', 'k:bl']));
  });
});
