import { describe, expect, it } from 'vitest';
import { areaBubbles } from './charts.js';

describe('the map by area', () => {
  const areas = [{ code: 'CA-ON', lat: 50, lon: -86 }, { code: 'CA-QC', lat: 52, lon: -72 }, { code: 'CA-NU' }];
  const names: Record<string, string> = { 'CA-ON': 'Ontario', 'CA-QC': 'Quebec', 'CA-NU': 'Nunavut', unknown: 'Not recorded' };
  const label = (key: string) => names[key] ?? key;

  it('sizes circles by the square root of the count, so their area is proportional to it', () => {
    const { bubbles } = areaBubbles({ rows: [{ key: 'CA-ON', cell: { value: 100 } }, { key: 'CA-QC', cell: { value: 25 } }], total: { value: 125 } }, areas, label);
    const on = bubbles.find((b) => b.code === 'CA-ON')!;
    const qc = bubbles.find((b) => b.code === 'CA-QC')!;
    expect((on.radius - 6) / (qc.radius - 6)).toBeCloseTo(2);
    expect(on).toMatchObject({ name: 'Ontario', label: '100', lat: 50, lon: -86, hidden: false });
  });

  it('draws a hidden count as an empty ring of the smallest size, showing only its display', () => {
    const { bubbles } = areaBubbles({ rows: [{ key: 'CA-ON', cell: { value: 40 } }, { key: 'CA-QC', cell: { suppressed: true, display: '<3' } }], total: { suppressed: true, display: 'x' } }, areas, label);
    expect(bubbles.find((b) => b.code === 'CA-QC')).toMatchObject({ hidden: true, radius: 6, label: '<3' });
  });

  it('lists areas with contacts but no configured point, and the unknown area, instead of placing them', () => {
    const { bubbles, unplaced } = areaBubbles({ rows: [{ key: 'CA-NU', cell: { value: 4 } }, { key: 'unknown', cell: { value: 2 } }, { key: 'CA-ON', cell: { value: 0 } }], total: { value: 6 } }, areas, label);
    expect(bubbles.map((b) => b.code)).toEqual(['CA-ON']);
    expect(unplaced).toEqual(['Nunavut', 'Not recorded']);
  });
});
