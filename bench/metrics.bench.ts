/**
 * Privacy-safe statistics benchmark (issue 8): small-cell suppression of the tables a report publishes, and
 * k-anonymisation of a CTDC-sized record set. Database-free: the dashboard budgets (p95 < 200 ms per view, monthly PDF
 * < 5 s, with 1,000,000 contacts and 200,000 cases) include suppression of every published table, so suppression must
 * stay a small share of them. Run: npx tsx bench/metrics.bench.ts [records]
 * Figures go to docs/benchmarks.md with the machine and date.
 */
import os from 'node:os';
import { CTDC_QUASI_IDENTIFIERS, toCtdcRow } from '../src/shared/metrics/ctdc.js';
import { kAnonymise } from '../src/server/metrics/kanonymity.js';
import { suppressLinear, twoWayTable } from '../src/server/metrics/suppression.js';

const records = Number(process.argv[2] ?? 200_000);
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];

/** Counts skewed like hotline data: most cells large, a tail of small ones. */
function table(rows: number, cols: number, scale: number) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() < 0.15 ? Math.floor(random() * 3) : Math.floor(random() ** 3 * scale))));
}

async function timeSuppression(label: string, rows: number, cols: number, scale: number, runs = 20) {
  const samples: number[] = [];
  let hidden = 0;
  for (let i = 0; i < runs; i++) {
    const t = twoWayTable(table(rows, cols, scale));
    const start = performance.now();
    const result = await suppressLinear(t);
    samples.push(performance.now() - start);
    hidden += result.primary.length + result.complementary.length + result.widened.length;
  }
  samples.sort((a, b) => a - b);
  const p95 = samples[Math.min(samples.length - 1, Math.floor(0.95 * samples.length))];
  console.log(`suppression ${label} (${rows}×${cols} + totals): median ${samples[samples.length >> 1].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, mean hidden cells ${(hidden / runs).toFixed(1)}`);
}

console.log(`metrics bench — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, ${new Date().toISOString()}`);
await suppressLinear(twoWayTable([[1, 5], [7, 9]])); // load HiGHS once
await timeSuppression('channel × month', 7, 12, 400);
await timeSuppression('hour × weekday heatmap', 24, 7, 300);
await timeSuppression('area × typology type', 32, 25, 200, 5);

const countries = ['MX', 'GT', 'HN', 'SV', 'US', 'CA', 'PH', 'IN', 'CN', 'UA', 'NG', 'VE', 'CO', 'HT', 'RO'];
const sources = Array.from({ length: records }, () =>
  toCtdcRow({
    openedAt: new Date(Date.UTC(2020 + Math.floor(random() * 5), Math.floor(random() * 12), 1)),
    traffickingTypes: random() < 0.5 ? ['sex'] : random() < 0.8 ? ['labour'] : ['sex', 'labour'],
    polarisType: 1 + Math.floor(random() * 25),
    gender: pick(['female', 'female', 'male', 'non_binary', 'unknown']),
    ageRange: null,
    ageYears: random() < 0.8 ? Math.floor(8 + random() * 55) : null,
    nationality: pick(countries),
    hotlineCountry: 'MX',
  }),
);
for (const k of [5, 11]) {
  const start = performance.now();
  const result = kAnonymise(sources, CTDC_QUASI_IDENTIFIERS, { k });
  console.log(`k-anonymity k=${k}, ${records} records: ${(performance.now() - start).toFixed(0)} ms, generalised ${result.generalised}, suppressed ${result.suppressed}, levels ${JSON.stringify(result.levels)}`);
}
