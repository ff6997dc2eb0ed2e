/**
 * Assessment evaluation benchmark. Budget: under 1 ms (1000 µs) per evaluation for an instrument of 150 items and
 * 60 rules, compiled once. Run: npx tsx bench/assessment.bench.ts [evaluations]
 * Figures go to docs/benchmarks.md with the machine and date.
 */
import os from 'node:os';
import { compileInstrument } from '../src/shared/assessment/compile.js';
import { evaluateAssessment } from '../src/shared/assessment/evaluate.js';
import { assertValidInstrument } from '../src/shared/assessment/instrument.validate.js';
import { seededRandom, syntheticAnswers, syntheticInstrument } from '../src/shared/assessment/synthetic-instrument.js';
import { DEFAULT_INSTRUMENT, defaultInstrumentData } from '../src/server/assessment/default-instrument/index.js';
import type { InstrumentInput, Instrument } from '../src/shared/assessment/instrument.schema.js';

const BUDGET_MICROSECONDS = 1000;
const evaluations = Number(process.argv[2] ?? 20_000);

function measure(label: string, instrument: Instrument, input: InstrumentInput): boolean {
  const compileStart = process.hrtime.bigint();
  const compiled = compileInstrument(instrument);
  const compileMicros = Number(process.hrtime.bigint() - compileStart) / 1000;

  const random = seededRandom(42);
  const answerSets = Array.from({ length: 500 }, () => syntheticAnswers(input, random));
  const people = [{ age: 30 }, { age: 15 }, { ageGroup: 'unknown' as const }];
  for (let i = 0; i < 2000; i++) evaluateAssessment(compiled, answerSets[i % answerSets.length], people[i % 3]); // warm-up

  const samples = new Float64Array(evaluations);
  let sink = 0;
  for (let i = 0; i < evaluations; i++) {
    const start = process.hrtime.bigint();
    const result = evaluateAssessment(compiled, answerSets[i % answerSets.length], people[i % 3]);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
    sink += result.explanation.length;
  }
  samples.sort();
  const mean = samples.reduce((total, value) => total + value, 0) / samples.length;
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const ok = at(0.99) < BUDGET_MICROSECONDS;
  console.log(
    `${label}: ${instrument.items.length} items, ${instrument.rules.length} rules, ${evaluations} evaluations | compile ${compileMicros.toFixed(0)} µs | ` +
      `per evaluation mean ${mean.toFixed(1)} µs, p50 ${at(0.5).toFixed(1)} µs, p99 ${at(0.99).toFixed(1)} µs, max ${samples[samples.length - 1].toFixed(1)} µs ` +
      `| budget p99 < ${BUDGET_MICROSECONDS} µs: ${ok ? 'OK' : 'OVER'} (rules fired: ${sink})`,
  );
  return ok;
}

console.log(`assessment bench · ${new Date().toISOString()} · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
const syntheticInput = syntheticInstrument({ items: 150, rules: 60, seed: 7 });
const results = [
  measure('synthetic', assertValidInstrument(syntheticInput), syntheticInput),
  measure('default', DEFAULT_INSTRUMENT, defaultInstrumentData),
];
if (results.includes(false)) process.exitCode = 1;
