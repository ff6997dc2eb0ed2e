import { describe, expect, it } from 'vitest';
import { syntheticPerson } from './people.js';
import { Random } from './random.js';

describe('synthetic people', () => {
  it('is reproducible: the same seed gives the same people', () => {
    const a = Array.from({ length: 50 }, (_, i) => syntheticPerson(new Random(`s${i}`), 'CA'));
    const b = Array.from({ length: 50 }, (_, i) => syntheticPerson(new Random(`s${i}`), 'CA'));
    expect(a).toEqual(b);
    expect(syntheticPerson(new Random('x'), 'CA')).not.toEqual(syntheticPerson(new Random('y'), 'CA'));
  });

  it('produces names with accents in Spanish and French, and country phone formats', () => {
    const random = new Random('accents');
    const people = Array.from({ length: 300 }, () => syntheticPerson(random, 'CA'));
    expect(new Set(people.map((p) => p.culture))).toEqual(new Set(['en', 'es', 'fr']));
    expect(people.some((p) => /[éèêëàâîïôûùçñáíóú]/i.test(p.givenName + p.familyName))).toBe(true);
    expect(people.every((p) => /^\+1 \(\d{3}\) \d{3}-\d{4}$/.test(p.phone))).toBe(true);
    const mx = Array.from({ length: 50 }, () => syntheticPerson(random, 'MX'));
    expect(mx.every((p) => p.phone.startsWith('+52 ') && p.culture === 'es' && p.areaCode.startsWith('MX-'))).toBe(true);
    // Emails are ASCII even when names are not.
    expect(people.every((p) => /^[a-z0-9.]+@[a-z0-9.-]+$/.test(p.email))).toBe(true);
  });

  it('spreads uniformly enough: Random.int covers its range', () => {
    const random = new Random(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[random.int(0, 5)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});
