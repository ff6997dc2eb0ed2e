import { describe, expect, it } from 'vitest';
import { generateBenchmark } from './benchmark.js';
import { evaluatePairs } from './evaluate.js';

describe('generateBenchmark', () => {
  it('produces exactly the requested number of records with unique ids', () => {
    const { records } = generateBenchmark({ size: 1234, seed: 1 });
    expect(records).toHaveLength(1234);
    expect(new Set(records.map((record) => record.id)).size).toBe(1234);
  });

  it('is reproducible for a seed and different for another seed', () => {
    expect(generateBenchmark({ size: 300, seed: 9 })).toEqual(generateBenchmark({ size: 300, seed: 9 }));
    expect(generateBenchmark({ size: 300, seed: 10 }).records).not.toEqual(generateBenchmark({ size: 300, seed: 9 }).records);
  });

  it('lists as true pairs exactly the pairs of records of one person', () => {
    const { records, truePairs, entityOf } = generateBenchmark({ size: 800, seed: 2 });
    for (const [a, b] of truePairs) {
      expect(a < b).toBe(true);
      expect(entityOf.get(a)).toBe(entityOf.get(b));
    }
    let expected = 0;
    const sizes = new Map<number, number>();
    for (const record of records) sizes.set(entityOf.get(record.id)!, (sizes.get(entityOf.get(record.id)!) ?? 0) + 1);
    for (const size of sizes.values()) expected += (size * (size - 1)) / 2;
    expect(truePairs).toHaveLength(expected);
    expect(expected).toBeGreaterThan(200);
  });

  it('writes the three language flavours with accents and several phone formats', () => {
    const { records } = generateBenchmark({ size: 2000, seed: 4 });
    const text = records.map((record) => `${record.given_names} ${record.family_names}`).join(' ');
    expect(text).toMatch(/[áéíóúñ]/);
    expect(text).toMatch(/[èêëçï]/);
    const phones = records.map((record) => record.phone ?? '');
    expect(phones.some((phone) => phone.startsWith('+52'))).toBe(true);
    expect(phones.some((phone) => phone.startsWith('+33') || /^0[67] /.test(phone))).toBe(true);
    expect(phones.some((phone) => /^\(\d{3}\) /.test(phone))).toBe(true);
    expect(phones.filter((phone) => phone === '').length).toBeGreaterThan(100);
  });
});

describe('evaluatePairs', () => {
  it('counts unordered pairs once and computes precision, recall and F1', () => {
    const quality = evaluatePairs([['a', 'b'], ['b', 'a'], ['c', 'd'], ['e', 'f']], [['a', 'b'], ['c', 'd'], ['g', 'h'], ['i', 'j']]);
    expect(quality).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 2, precision: 2 / 3, recall: 0.5 });
    expect(quality.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 10);
  });

  it('scores an empty prediction as recall 0', () => {
    expect(evaluatePairs([], [['a', 'b']])).toMatchObject({ precision: 1, recall: 0, f1: 0 });
  });
});
