import { describe, expect, it } from 'vitest';
import { generateBenchmark } from './benchmark.js';
import { BLOCKING_RULES, decodePair, findCandidatePairs } from './blocking.js';
import { normalisePerson } from './person.js';

const OPTIONS = { maxBlockSize: 100, oversizedBlockWindow: 20 };

function candidateKeys(people: ReturnType<typeof normalisePerson>[], options = OPTIONS): Set<string> {
  const { pairs } = findCandidatePairs(people, options);
  const keys = new Set<string>();
  for (const packed of pairs) {
    const [a, b] = decodePair(packed, people.length);
    keys.add([people[a].id, people[b].id].sort().join('|'));
  }
  return keys;
}

describe('blocking', () => {
  it('proposes at least 98% of the true duplicate pairs of a generated benchmark', () => {
    const benchmark = generateBenchmark({ size: 3000, seed: 11 });
    const people = benchmark.records.map((record) => normalisePerson(record));
    const keys = candidateKeys(people);
    const found = benchmark.truePairs.filter(([a, b]) => keys.has(`${a}|${b}`)).length;
    expect(found / benchmark.truePairs.length).toBeGreaterThanOrEqual(0.98);
    // ...while comparing a tiny share of all pairs.
    expect(keys.size).toBeLessThan((people.length * (people.length - 1)) / 2 / 100);
  });

  it('still finds a pair whose family name and date of birth are both corrupted, through the phone', () => {
    const people = [
      normalisePerson({ id: 'a', given_names: 'Guadalupe', family_names: 'Hernández', date_of_birth: '1985-07-02', phone: '+52 33 9876 5432' }),
      normalisePerson({ id: 'b', given_names: 'Lupe', family_names: 'Ernandes', date_of_birth: '1986', phone: '33 9876 5432' }),
    ];
    expect(candidateKeys(people)).toEqual(new Set(['a|b']));
  });

  it('does not pair records that share no key', () => {
    const people = [
      normalisePerson({ id: 'a', given_names: 'Ana', family_names: 'Ruiz', date_of_birth: '1990-01-01' }),
      normalisePerson({ id: 'b', given_names: 'Marc', family_names: 'Dubois', date_of_birth: '1970-05-05' }),
    ];
    expect(candidateKeys(people).size).toBe(0);
  });

  it('compares an oversized block by a sorted window instead of all against all', () => {
    // 300 people sharing one phone number (a shelter switchboard): 44,850 pairs all-against-all.
    const people = Array.from({ length: 300 }, (_, index) => normalisePerson({ id: `p${index}`, given_names: `Name${index}`, phone: '+1 212 555 0100' }));
    const phoneRule = BLOCKING_RULES.filter((rule) => rule.name === 'phone_last_7');
    const { pairs, stats } = findCandidatePairs(people, { ...OPTIONS, rules: phoneRule });
    expect(stats[0].oversizedBlocks).toBe(1);
    expect(pairs.length).toBeLessThanOrEqual(300 * OPTIONS.oversizedBlockWindow);
    expect(pairs.length).toBeGreaterThan(0);
  });

  it('lists each candidate pair once even when several rules propose it', () => {
    const record = { given_names: 'Robert', family_names: 'Smith', date_of_birth: '1970-01-15', phone: '2125550134', email: 'bob@x.com', postcode: '10001', city: 'New York', street: '44 Oak St' };
    const people = [normalisePerson({ id: 'a', ...record }), normalisePerson({ id: 'b', ...record })];
    const { pairs, stats } = findCandidatePairs(people, OPTIONS);
    expect(pairs.length).toBe(1);
    expect(stats.reduce((sum, stat) => sum + stat.pairsProposed, 0)).toBe(BLOCKING_RULES.length + 1); // date rule has two keys
  });
});
