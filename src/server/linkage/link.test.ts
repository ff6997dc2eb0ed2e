import { describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../shared/linkage/person-record.js';
import { generateBenchmark } from './benchmark.js';
import { evaluatePairs } from './evaluate.js';
import { linkPeople } from './link.js';

function matchedIdPairs(records: PersonRecord[], options = {}) {
  const result = linkPeople(records, options);
  const ids = result.people.map((person) => person.id);
  return { result, matched: result.pairs.filter((pair) => pair.pairClass === 'match').map((pair) => [ids[pair.a], ids[pair.b]] as [string, string]) };
}

describe('linkPeople on a generated benchmark', () => {
  const benchmark = generateBenchmark({ size: 2000, seed: 3 });
  const { result, matched } = matchedIdPairs(benchmark.records);

  it('reaches F1 of at least 0.95', () => {
    const quality = evaluatePairs(matched, benchmark.truePairs);
    expect(quality.f1).toBeGreaterThanOrEqual(0.95);
    expect(quality.precision).toBeGreaterThanOrEqual(0.93);
    expect(quality.recall).toBeGreaterThanOrEqual(0.93);
  });

  it('learns that agreement is evidence and disagreement is evidence against', () => {
    for (const weights of result.weights) {
      expect(weights[0]).toBeGreaterThan(0); // best level
      expect(weights[weights.length - 2]).toBeLessThan(0); // disagree
      expect(weights[weights.length - 1]).toBe(0); // missing
    }
    expect(result.model.matchShare).toBeGreaterThan(0);
    expect(result.model.matchShare).toBeLessThan(0.01);
  });

  it('gives the same pairs and scores on a second run', () => {
    const again = linkPeople(benchmark.records);
    expect(again.pairs).toEqual(result.pairs);
  });

  it('matches fewer pairs when the threshold is raised', () => {
    const strict = linkPeople(benchmark.records, { matchThreshold: result.matchThreshold + 10 });
    expect(strict.stats.matches).toBeLessThan(result.stats.matches);
    expect(strict.pairs.filter((pair) => pair.pairClass === 'match').every((pair) => pair.score >= result.matchThreshold + 10)).toBe(true);
  });
});

describe('linkPeople on hand-made cases', () => {
  // Background population so that u and the match share are estimated as in real use.
  const background = generateBenchmark({ size: 1500, seed: 5 }).records;

  function classOf(a: PersonRecord, b: PersonRecord): string {
    const result = linkPeople([...background, a, b], { uSampleSize: 50_000 });
    const indexA = result.people.length - 2;
    const pair = result.pairs.find((candidate) => candidate.a === indexA && candidate.b === indexA + 1);
    return pair?.pairClass ?? 'non-match';
  }

  it('matches a duplicate with a nickname, dropped accents, another phone format and swapped day and month', () => {
    expect(classOf(
      { id: 'x1', given_names: 'Guadalupe', family_names: 'Hernández Ruiz', date_of_birth: '1985-07-02', sex: 'F', phone: '044 33 9876 5432', city: 'Guadalajara', postcode: '44100' },
      { id: 'x2', given_names: 'LUPE', family_names: 'HERNANDEZ', date_of_birth: '1985-02-07', sex: 'Mujer', phone: '+52 1 33 9876 5432', city: 'Guadalajara' },
    )).toBe('match');
  });

  it('matches names entered in each other’s box', () => {
    expect(classOf(
      { id: 'x1', given_names: 'Nathalie', family_names: 'Dupont', date_of_birth: '1979-11-30', phone: '06 12 34 56 78', city: 'Paris' },
      { id: 'x2', given_names: 'Dupont', family_names: 'Nathalie', date_of_birth: '30/11/1979', phone: '+33 6 12 34 65 78', city: 'Paris' },
    )).toBe('match');
  });

  it('does not match two different people sharing a common given name, family name and city', () => {
    expect(classOf(
      { id: 'x1', given_names: 'María', family_names: 'García', date_of_birth: '1962-05-20', sex: 'F', street: 'Calle Mayor 3', city: 'Madrid', postcode: '28013' },
      { id: 'x2', given_names: 'María', family_names: 'García', date_of_birth: '1994-10-09', sex: 'F', phone: '+34 612 000 111', street: 'Calle Alcalá 90', city: 'Madrid', postcode: '28009' },
    )).not.toBe('match');
  });

  it('does not match a parent and child sharing family name, phone and address', () => {
    expect(classOf(
      { id: 'x1', given_names: 'Robert', family_names: 'Smith', date_of_birth: '1970-01-15', sex: 'M', phone: '(212) 555-0134', street: '44 Oak Street', city: 'New York', postcode: '10001' },
      { id: 'x2', given_names: 'Karen', family_names: 'Smith', date_of_birth: '1999-06-01', sex: 'F', phone: '(212) 555-0134', street: '44 Oak Street', city: 'New York', postcode: '10001' },
    )).not.toBe('match');
  });
});
