import { describe, expect, it } from 'vitest';
import { calculateStaffing, serviceLevelCurve } from './calculator.js';
import { DEFAULT_HOUR_OF_WEEK_PROFILE } from '../../shared/scheduling/default-profile.js';
import type { VoiceChannel } from '../../shared/scheduling/schemas.js';

const hotline = {
  channels: [
    { id: 'voice', kind: 'voice' as const, annualContacts: 52_000, ahtSeconds: 720, target: { serviceLevel: 0.8, answerSeconds: 30 } },
    { id: 'chat', kind: 'chat' as const, annualContacts: 20_000, ahtSeconds: 1800, maxConcurrentChats: 2, target: { serviceLevel: 0.8, answerSeconds: 120 } },
    { id: 'tips', kind: 'deferred' as const, annualContacts: 5_000, ahtSeconds: 1200, responseMinutes: 240 },
  ],
  annualCostPerFte: 48_000,
  currency: 'USD',
};

describe('calculateStaffing', () => {
  it('ships a default profile with a weight for each of the 168 hours of the week', () => {
    expect(DEFAULT_HOUR_OF_WEEK_PROFILE).toHaveLength(168);
    expect(DEFAULT_HOUR_OF_WEEK_PROFILE.every((w) => w > 0)).toBe(true);
  });

  it('spreads the annual contacts over a typical week of 336 half-hours', () => {
    const result = calculateStaffing(hotline);
    expect(result.requirement.intervals).toHaveLength(336);
    expect(result.channels[0].contactsPerWeek).toBeCloseTo((52_000 * 7) / 365.25, 6);
    expect(result.channels[2].contactsPerWeek).toBeCloseTo((5_000 * 7) / 365.25, 6);
  });

  it('turns required hours into FTE and cost through the scheduling overhead and full-time week', () => {
    const result = calculateStaffing(hotline);
    expect(result.paidHoursPerWeek).toBeCloseTo(result.requiredStaffHoursPerWeek * 1.05, 9);
    expect(result.fte).toBeCloseTo(result.paidHoursPerWeek / 37.5, 9);
    expect(result.annualCost).toBeCloseTo(result.fte * 48_000, 6);
    expect(result.currency).toBe('USD');
    // About 1,000 calls, 380 chats and 100 tips a week need far more than the floor, and far less than 24/7 peak staffing.
    expect(result.requiredStaffHoursPerWeek).toBeGreaterThan(result.floorStaffHoursPerWeek);
    expect(result.requiredStaffHoursPerWeek).toBeLessThan(result.peakScheduled * 168);
  });

  it('costs exactly the safety floor when no contacts are expected', () => {
    const result = calculateStaffing({ channels: [{ ...hotline.channels[0], annualContacts: 0 }], fullTimeHoursPerWeek: 40, schedulingOverhead: 0 });
    expect(result.requiredStaffHoursPerWeek).toBe(2 * 168);
    expect(result.fte).toBeCloseTo(8.4, 12);
    expect(result.annualCost).toBeNull();
  });

  it('puts the peak where the profile peaks: a weekday afternoon, not the night', () => {
    const result = calculateStaffing(hotline);
    const peakHourOfDay = Math.floor(result.channels[0].peakInterval / 2) % 24;
    expect(peakHourOfDay).toBeGreaterThanOrEqual(10);
    expect(peakHourOfDay).toBeLessThanOrEqual(17);
  });

  it('honours a channel\'s own profile: all contacts in one hour need staff only then', () => {
    const profile = new Array<number>(168).fill(0);
    profile[50] = 1;
    const result = calculateStaffing({ channels: [{ ...hotline.channels[0], profile }], floor: { minimumOnDuty: 1 }, shrinkage: 0 });
    const busy = result.requirement.intervals.filter((r) => r.productive > 0).map((r) => r.interval);
    expect(busy).toEqual([100, 101]);
  });

  it('rejects a profile of the wrong length', () => {
    expect(() => calculateStaffing({ ...hotline, profile: [1, 2, 3] })).toThrow();
  });
});

describe('serviceLevelCurve', () => {
  const channel: VoiceChannel = { id: 'voice', kind: 'voice', ahtSeconds: 180, target: { serviceLevel: 0.8, answerSeconds: 20 }, maxOccupancy: 1, serviceLevelBasis: 'offered' };

  it('runs from overload to past the requirement, rising with each person, crossing the target at the requirement', () => {
    const curve = serviceLevelCurve(channel, 200);
    expect(curve[0]).toMatchObject({ staff: 10, serviceLevel: 0, asaSeconds: null });
    const at14 = curve.find((p) => p.staff === 14)!;
    const at13 = curve.find((p) => p.staff === 13)!;
    expect(at14.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(at13.serviceLevel).toBeLessThan(0.8);
    expect(curve.at(-1)!.staff).toBe(18);
    for (let i = 1; i < curve.length; i++) expect(curve[i].serviceLevel).toBeGreaterThan(curve[i - 1].serviceLevel);
  });

  it('reports abandonment when patience is given', () => {
    const curve = serviceLevelCurve({ ...channel, patienceSeconds: 300 }, 200);
    expect(curve.every((p) => p.abandonment !== null && p.abandonment >= 0 && p.abandonment <= 1)).toBe(true);
    expect(curve.find((p) => p.staff === 14)!.abandonment).toBeCloseTo(0.013984, 6);
  });
});
