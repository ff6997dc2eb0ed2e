/**
 * Scheduling benchmarks: `npx tsx bench/scheduling.bench.ts`.
 * Budgets (docs/scheduling.md): Erlang C for up to 1,000 agents under 1 ms; requirement → shifts
 * for a 336-interval week and about 60 staff under 20 s, within 2 % of the LP lower bound on paid hours.
 */
import { availableParallelism, cpus } from 'node:os';
import { calculateStaffing } from '../src/server/scheduling/calculator.js';
import { erlangC, leastAgentsErlangC } from '../src/server/scheduling/erlang.js';
import { erlangAMetrics } from '../src/server/scheduling/erlang-a.js';
import { loadHighs, solveShiftCovering } from '../src/server/scheduling/shift-covering.js';
import type { ShiftPattern } from '../src/shared/scheduling/schemas.js';

function microseconds(run: () => unknown, minimumMs = 200): number {
  run();
  let iterations = 0;
  const started = performance.now();
  while (performance.now() - started < minimumMs) {
    run();
    iterations++;
  }
  return ((performance.now() - started) * 1000) / iterations;
}

console.log(`Scheduling benchmark — ${new Date().toISOString()} — Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'})\n`);

console.log('Erlang C (95 % utilisation)        µs per call   budget 1,000 µs');
for (const agents of [10, 50, 100, 200, 500, 1000]) {
  const perCall = microseconds(() => erlangC(agents, agents * 0.95));
  console.log(`  C(${agents}, ${agents * 0.95})`.padEnd(36) + perCall.toFixed(2).padStart(11) + (perCall < 1000 ? '   ok' : '   OVER BUDGET'));
}
for (const load of [10, 100, 950]) {
  const perCall = microseconds(() => leastAgentsErlangC({ arrivalsPerHour: load * 20, ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }));
  console.log(`  least agents for A = ${load}`.padEnd(36) + perCall.toFixed(2).padStart(11));
}
console.log('\nErlang A (patience 120 s, SL at 20 s) µs per call');
for (const agents of [14, 100, 480, 1000]) {
  const perCall = microseconds(() => erlangAMetrics({ arrivalsPerHour: agents * 0.95 * 20, ahtSeconds: 180, patienceSeconds: 120, agents, targetSeconds: 20 }));
  console.log(`  N = ${agents}`.padEnd(36) + perCall.toFixed(2).padStart(11));
}

// A mid-sized hotline: 1,900 calls and 1,000 chats a week, web tips, 25 % shrinkage, two on duty at all times.
let started = performance.now();
const calculation = calculateStaffing({
  channels: [
    { id: 'voice', kind: 'voice', annualContacts: 1900 * 52, ahtSeconds: 720, target: { serviceLevel: 0.8, answerSeconds: 30 } },
    { id: 'chat', kind: 'chat', annualContacts: 1000 * 52, ahtSeconds: 1800, maxConcurrentChats: 2, target: { serviceLevel: 0.8, answerSeconds: 120 } },
    { id: 'tips', kind: 'deferred', annualContacts: 6000, ahtSeconds: 1200, responseMinutes: 240 },
  ],
  shrinkage: 0.25,
  fullTimeHoursPerWeek: 37.5,
  schedulingOverhead: 0,
});
const requirementMs = performance.now() - started;
const required = calculation.requirement.intervals.map((r) => r.scheduled);
console.log(`\nRequirement: 336 half-hours × 3 channels in ${requirementMs.toFixed(1)} ms; Σ ${calculation.requiredStaffHoursPerWeek} staff-hours/week, ${required.reduce((a, b) => Math.min(a, b))}–${Math.max(...required)} per interval, ${calculation.fte.toFixed(1)} FTE at 37.5 h`);

const everyHalfHour = Array.from({ length: 48 }, (_, i) => i * 30);
const halfHourBreak = (earliest: number, latest: number) => ({ lengthMinutes: 30, isPaid: false, earliestStartMinutes: earliest, latestStartMinutes: latest });
const patterns: ShiftPattern[] = [
  { id: '8h', lengthMinutes: 480, startMinutesOfDay: everyHalfHour, breaks: [halfHourBreak(180, 300)] },
  { id: '10h', lengthMinutes: 600, startMinutesOfDay: everyHalfHour, breaks: [halfHourBreak(240, 360)] },
  { id: '12h', lengthMinutes: 720, startMinutesOfDay: everyHalfHour, breaks: [halfHourBreak(180, 240), halfHourBreak(420, 480)] },
];
started = performance.now();
await loadHighs();
const loadMs = performance.now() - started;
for (const [label, shiftPatterns] of [
  ['8/10/12 h, half-hourly starts, no breaks', patterns.map((p) => ({ ...p, breaks: [] }))],
  ['8/10/12 h, half-hourly starts, 30-min unpaid breaks in windows', patterns],
] as const) {
  started = performance.now();
  const result = await solveShiftCovering({ intervalMinutes: 30, required, patterns: [...shiftPatterns], timeLimitSeconds: 20, relativeGap: 0.02 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status === 'uncoverable' || result.status === 'noSolution') {
    console.log(`\nShift covering (${label}): ${result.status}: ${result.message}`);
    continue;
  }
  const people = result.shifts.reduce((sum, s) => sum + s.count, 0);
  console.log(`\nShift covering: ${label}`);
  console.log(`  ${result.candidateShifts} candidate shifts × 336 intervals; HiGHS WASM load ${loadMs.toFixed(0)} ms (once)`);
  console.log(`  ${result.status} in ${seconds.toFixed(2)} s (budget 20 s): ${result.paidHours} paid hours in ${people} shifts`);
  console.log(`  LP lower bound ${result.lpBound.toFixed(1)} h → gap ${(result.gapToLpBound * 100).toFixed(2)} % (budget 2 %); HiGHS bound ${result.mipBound.toFixed(1)} h`);
  console.log(`  ≈ ${(result.paidHours / 37.5).toFixed(1)} FTE; coverage re-checked in integers: every interval met`);
}
console.log('\nAssignment of named staff: not built yet (see docs/scheduling.md).');
