import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRequirement, deferredStaff } from './requirement.js';
import type { DeferredChannel } from '../../shared/scheduling/schemas.js';

const voice = { id: 'voice', kind: 'voice' as const, ahtSeconds: 180, target: { serviceLevel: 0.8, answerSeconds: 20 } };

describe('computeRequirement', () => {
  it('schedules 20 people for the Call Centre Helper example (14 agents, 30 % shrinkage)', () => {
    // Call Centre Helper "Erlang C formula – made simple" and pyworkforce test_erlang.py: 14 raw, 20 scheduled.
    const r = computeRequirement({ intervalMinutes: 30, channels: [voice], arrivals: { voice: [100] }, shrinkage: 0.3 });
    expect(r.intervals[0]).toMatchObject({ productive: 14, scheduled: 20, isFloorBinding: false });
    expect(r.scheduledStaffHours).toBe(10);
  });

  it('schedules 22 people when occupancy may not exceed 70 % (pyworkforce test_over_occupancy_erlangc)', () => {
    const r = computeRequirement({ channels: [{ ...voice, maxOccupancy: 0.7 }], arrivals: { voice: [100] }, shrinkage: 0.3 });
    expect(r.intervals[0]).toMatchObject({ productive: 15, scheduled: 22 });
  });

  it('keeps at least the safety floor on duty when no contacts are expected', () => {
    const r = computeRequirement({ channels: [voice], arrivals: { voice: [0, 0.01] }, floor: { minimumOnDuty: 2 } });
    expect(r.intervals.map((i) => i.scheduled)).toEqual([2, 2]);
    expect(r.intervals[0].productive).toBe(0);
    expect(r.intervals[0].isFloorBinding).toBe(true);
    // 0.01 contacts still need one person, grossed up to 2 for shrinkage: the workload sets the figure.
    expect(r.intervals[1]).toMatchObject({ productive: 1, isFloorBinding: false });
  });

  it('asks for a supervisor on duty or on call as the floor says', () => {
    const onDuty = computeRequirement({ channels: [voice], arrivals: { voice: [5] }, floor: { supervisor: 'onDuty' } }).intervals[0];
    expect(onDuty).toMatchObject({ supervisorsOnDuty: 1, onCallSupervisors: 0 });
    const onCall = computeRequirement({ channels: [voice], arrivals: { voice: [5] } }).intervals[0];
    expect(onCall).toMatchObject({ supervisorsOnDuty: 0, onCallSupervisors: 1 });
  });

  it('uses Erlang A, needing fewer agents, when callers\' patience is given', () => {
    const withPatience = computeRequirement({ channels: [{ ...voice, patienceSeconds: 300 }], arrivals: { voice: [100] }, shrinkage: 0 });
    expect(withPatience.intervals[0].byChannel.voice).toBe(13);
  });

  it('lets an advocate hold several chats: one chat at a time equals a voice queue, two halve the slots', () => {
    const chat = { id: 'chat', kind: 'chat' as const, ahtSeconds: 1800, target: { serviceLevel: 0.8, answerSeconds: 120 } };
    const one = computeRequirement({ channels: [{ ...chat, maxConcurrentChats: 1 }], arrivals: { chat: [40] }, shrinkage: 0 }).intervals[0].byChannel.chat;
    const asVoice = computeRequirement({ channels: [{ ...voice, id: 'chat', ahtSeconds: 1800, target: chat.target }], arrivals: { chat: [40] }, shrinkage: 0 }).intervals[0].byChannel.chat;
    expect(one).toBe(asVoice);
    const two = computeRequirement({ channels: [{ ...chat, maxConcurrentChats: 2 }], arrivals: { chat: [40] }, shrinkage: 0 }).intervals[0].byChannel.chat;
    expect(two).toBe(Math.ceil(one / 2));
  });

  it('adds channels, then grosses up for shrinkage', () => {
    const sms: DeferredChannel = { id: 'sms', kind: 'deferred', ahtSeconds: 600, responseMinutes: 30, maxOccupancy: 1 };
    // 6 SMS threads of 10 minutes in a half-hour with a 30-minute deadline: 1 hour of work in 0.5 h -> 2 people.
    const r = computeRequirement({ channels: [voice, sms], arrivals: { voice: [100], sms: [6] }, shrinkage: 0.3 });
    expect(r.intervals[0].byChannel.sms).toBeCloseTo(2, 12);
    expect(r.intervals[0]).toMatchObject({ productive: 16, scheduled: 23 });
  });

  it('rejects inconsistent input with messages naming the problem', () => {
    expect(() => computeRequirement({ channels: [voice], arrivals: {} })).toThrow(/no arrivals for channel/);
    expect(() => computeRequirement({ channels: [voice, { ...voice, id: 'v2' }], arrivals: { voice: [1, 2], v2: [1] } })).toThrow(/same number of intervals/);
    expect(() => computeRequirement({ channels: [voice, voice], arrivals: { voice: [1] } })).toThrow(/appears twice/);
    expect(() => computeRequirement({ channels: [voice], arrivals: { voice: [-1] } })).toThrow();
    expect(() => computeRequirement({ channels: [{ ...voice, target: { serviceLevel: 1, answerSeconds: 20 } }], arrivals: { voice: [1] } })).toThrow();
  });

  it('never schedules below the floor or the productive need, and more contacts never need fewer people', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 4 }), (counts, shrinkage, minimumOnDuty) => {
        const base = computeRequirement({ channels: [voice], arrivals: { voice: counts }, shrinkage, floor: { minimumOnDuty } });
        const busier = computeRequirement({ channels: [voice], arrivals: { voice: counts.map((c) => c * 1.1 + 1) }, shrinkage, floor: { minimumOnDuty } });
        base.intervals.forEach((r, i) => {
          expect(r.scheduled).toBeGreaterThanOrEqual(minimumOnDuty);
          expect(r.scheduled).toBeGreaterThanOrEqual(r.productive);
          expect(r.scheduled * (1 - shrinkage)).toBeGreaterThanOrEqual(r.productive - 1e-9);
          expect(busier.intervals[i].scheduled).toBeGreaterThanOrEqual(r.scheduled);
        });
      }),
      { numRuns: 40 },
    );
  });
});

describe('deferredStaff', () => {
  const channel = (responseMinutes: number): DeferredChannel => ({ id: 'email', kind: 'deferred', ahtSeconds: 900, responseMinutes, maxOccupancy: 0.8 });

  it('conserves work: staff-hours equal workload hours divided by occupancy', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 3000 }), fc.boolean(), (arrivals, minutes, cyclic) => {
        const staff = deferredStaff(channel(minutes), arrivals, 30, cyclic);
        const staffHours = staff.reduce((a, b) => a + b, 0) * 0.5;
        const workHours = arrivals.reduce((a, b) => a + b, 0) * 0.25;
        expect(staffHours * 0.8).toBeCloseTo(workHours, 6);
      }),
    );
  });

  it('clears every item before its deadline when work is done earliest-deadline-first', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 600 }), (arrivals, minutes) => {
        const staff = deferredStaff(channel(minutes), arrivals, 30, false);
        const window = Math.max(1, Math.floor(minutes / 30));
        // Items (deadline = last interval allowed, hours left), served EDF with the capacity the requirement provides.
        const open: { deadline: number; hours: number }[] = [];
        staff.forEach((people, t) => {
          open.push({ deadline: Math.min(arrivals.length - 1, t + window - 1), hours: arrivals[t] * 0.25 });
          let capacity = people * 0.5 * 0.8;
          open.sort((a, b) => a.deadline - b.deadline);
          for (const item of open) {
            const done = Math.min(capacity, item.hours);
            item.hours -= done;
            capacity -= done;
          }
          for (const item of open) if (item.deadline === t) expect(item.hours).toBeLessThan(1e-9);
        });
      }),
    );
  });
});
