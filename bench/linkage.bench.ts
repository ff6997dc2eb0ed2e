/**
 * Record-linkage benchmark: generate N synthetic person records with known duplicates, go through the
 * CSV format the CLI reads, link them, and print time, quality and peak memory.
 *   npx tsx bench/linkage.bench.ts [--size 300000] [--seed 42]
 * Budget (docs/linkage.md): 300,000 records in under 60 s on 2 cores with F1 >= 0.95.
 */
import os from 'node:os';
import { generateBenchmark } from '../src/server/linkage/benchmark.js';
import { evaluatePairs } from '../src/server/linkage/evaluate.js';
import { linkPeople } from '../src/server/linkage/link.js';
import { formatPeopleCsv, parsePeopleCsv } from '../src/server/linkage/people-csv.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 2) throw new Error(`--${name} must be an integer >= 2`);
  return value;
}

const size = option('size', 300_000);
const seed = option('seed', 42);
const seconds = (since: number) => (performance.now() - since) / 1000;

let started = performance.now();
const benchmark = generateBenchmark({ size, seed });
const generateSeconds = seconds(started);

started = performance.now();
const parsed = parsePeopleCsv(formatPeopleCsv(benchmark.records));
if (!parsed.ok) throw new Error(parsed.message);
const csvSeconds = seconds(started);

started = performance.now();
const result = linkPeople(parsed.value);
const linkSeconds = seconds(started);

const ids = result.people.map((person) => person.id);
const matched = result.pairs.filter((pair) => pair.pairClass === 'match').map((pair) => [ids[pair.a], ids[pair.b]] as [string, string]);
const quality = evaluatePairs(matched, benchmark.truePairs);
const withReview = evaluatePairs(result.pairs.map((pair) => [ids[pair.a], ids[pair.b]] as [string, string]), benchmark.truePairs);

const figures = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`,
  records: size,
  seed,
  truePairs: benchmark.truePairs.length,
  candidatePairs: result.stats.candidatePairs,
  matches: result.stats.matches,
  reviews: result.stats.reviews,
  matchThreshold: Number(result.matchThreshold.toFixed(2)),
  generateSeconds: Number(generateSeconds.toFixed(2)),
  csvRoundTripSeconds: Number(csvSeconds.toFixed(2)),
  linkSeconds: Number(linkSeconds.toFixed(2)),
  linkSecondsByPhase: Object.fromEntries(Object.entries(result.stats.secondsByPhase).map(([phase, value]) => [phase, Number(value.toFixed(2))])),
  precision: Number(quality.precision.toFixed(4)),
  recall: Number(quality.recall.toFixed(4)),
  f1: Number(quality.f1.toFixed(4)),
  recallIncludingReviewBand: Number(withReview.recall.toFixed(4)),
  peakRssMegabytes: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(JSON.stringify(figures, null, 2));
