import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { DateOrder } from '../../shared/linkage/person-record.js';
import { generateBenchmark } from '../../server/linkage/benchmark.js';
import { evaluatePairs } from '../../server/linkage/evaluate.js';
import { linkPeople, type LinkageProgress } from '../../server/linkage/link.js';
import { formatIdPairsCsv, formatLinkedPairsCsv, formatPeopleCsv, parseIdPairsCsv, parsePeopleCsv, type CsvResult } from '../../server/linkage/people-csv.js';
import { CliError, numberOption, output, progressBar } from '../util.js';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${what} file not found: ${path}` : `cannot read ${what} file ${path}: ${(error as Error).message}`);
  }
}

function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

function unwrap<T>(result: CsvResult<T>, path: string): T {
  if (!result.ok) throw new CliError(`${path}: ${result.message}`);
  return result.value;
}

/** One progress bar per phase of the batch, on stderr, only for terminals. */
function phaseProgress(quiet: boolean) {
  let phase: LinkageProgress['phase'] | undefined;
  let bar: ReturnType<typeof progressBar> | undefined;
  return {
    report(progress: LinkageProgress) {
      if (progress.phase !== phase) {
        bar?.stop();
        phase = progress.phase;
        bar = progressBar(phase.padEnd(9), progress.total, quiet);
      }
      bar?.update(progress.done);
    },
    stop() { bar?.stop(); },
  };
}

interface RunOptions { input: string; output: string; threshold?: string; reviewThreshold?: string; review?: boolean; dateOrder: string; json?: boolean; quiet?: boolean }
interface BenchmarkOptions { size: string; outDir: string; seed?: string }
interface EvaluateOptions { pairs: string; truth: string; json?: boolean }

export function register(program: Command): void {
  const linkage = program.command('linkage').description('find records that describe the same person (no database is touched)');

  linkage.command('run')
    .description('link a CSV of person records and write the matching pairs')
    .requiredOption('--input <file>', 'CSV of person records (see docs/linkage.md)')
    .requiredOption('--output <file>', 'CSV of pairs to write: id_a,id_b,score,probability,class and field agreement levels')
    .option('--threshold <score>', 'match threshold as a total log2 weight (default: posterior probability 0.9)')
    .option('--review-threshold <score>', 'lower bound of the review band (default: posterior probability 0.05)')
    .option('--review', 'also write pairs in the review band (class "review")')
    .option('--date-order <order>', 'how to read ambiguous dates like 03/04/1990: dmy or mdy', 'dmy')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print the summary as JSON')
    .action((options: RunOptions) => {
      if (options.dateOrder !== 'dmy' && options.dateOrder !== 'mdy') throw new CliError(`--date-order must be dmy or mdy (got "${options.dateOrder}")`, 2);
      const matchThreshold = numberOption('threshold', options.threshold);
      const reviewThreshold = numberOption('review-threshold', options.reviewThreshold);
      const started = performance.now();
      const records = unwrap(parsePeopleCsv(readText(options.input, 'input')), options.input);
      const progress = phaseProgress(options.quiet === true);
      const result = linkPeople(records, { matchThreshold, reviewThreshold, dateOrder: options.dateOrder as DateOrder }, (event) => progress.report(event));
      progress.stop();
      const written = options.review ? result.pairs : result.pairs.filter((pair) => pair.pairClass === 'match');
      writeText(options.output, formatLinkedPairsCsv(written, result.people.map((person) => person.id)));
      const seconds = (performance.now() - started) / 1000;
      const summary = {
        records: result.stats.records,
        candidatePairs: result.stats.candidatePairs,
        matches: result.stats.matches,
        reviews: result.stats.reviews,
        pairsWritten: written.length,
        matchThreshold: Number(result.matchThreshold.toFixed(2)),
        reviewThreshold: Number(result.reviewThreshold.toFixed(2)),
        unreadableDates: result.stats.unreadableDates,
        seconds: Number(seconds.toFixed(2)),
      };
      output(options.json, summary, () => [
        `records          ${summary.records}`,
        `candidate pairs  ${summary.candidatePairs}`,
        `matches          ${summary.matches} (score >= ${summary.matchThreshold})`,
        `review           ${summary.reviews} (score >= ${summary.reviewThreshold})${options.review ? '' : ', not written: add --review'}`,
        ...(summary.unreadableDates > 0 ? [`unreadable dates ${summary.unreadableDates} (treated as missing)`] : []),
        `seconds          ${summary.seconds}`,
        `written          ${options.output}`,
      ].join('\n'));
    });

  linkage.command('benchmark')
    .description('write a synthetic benchmark with known duplicates: people.csv and truth.csv')
    .requiredOption('--size <n>', 'number of records (originals plus duplicates)')
    .requiredOption('--out-dir <dir>', 'directory to write people.csv and truth.csv into')
    .option('--seed <s>', 'seed of the generator (same size and seed, same files)', '42')
    .action((options: BenchmarkOptions) => {
      const size = numberOption('size', options.size, { min: 1, integer: true })!;
      const seed = numberOption('seed', options.seed, { integer: true })!;
      const benchmark = generateBenchmark({ size, seed });
      try {
        mkdirSync(options.outDir, { recursive: true });
      } catch (error) {
        throw new CliError(`cannot create ${options.outDir}: ${(error as Error).message}`);
      }
      writeText(join(options.outDir, 'people.csv'), formatPeopleCsv(benchmark.records));
      writeText(join(options.outDir, 'truth.csv'), formatIdPairsCsv(benchmark.truePairs));
      process.stdout.write(`wrote ${benchmark.records.length} records and ${benchmark.truePairs.length} true pairs to ${options.outDir}\n`);
    });

  linkage.command('evaluate')
    .description('precision, recall and F1 of pairs against a truth file')
    .requiredOption('--pairs <file>', 'pairs CSV (id_a,id_b; rows with class other than "match" are ignored)')
    .requiredOption('--truth <file>', 'true pairs CSV (id_a,id_b)')
    .option('--json', 'print as JSON')
    .action((options: EvaluateOptions) => {
      const predicted = unwrap(parseIdPairsCsv(readText(options.pairs, 'pairs')), options.pairs);
      const truth = unwrap(parseIdPairsCsv(readText(options.truth, 'truth')), options.truth);
      const quality = evaluatePairs(predicted, truth);
      output(options.json, quality, () => [
        `precision  ${quality.precision.toFixed(4)}  (${quality.truePositives} of ${quality.predictedPairs} predicted pairs are true)`,
        `recall     ${quality.recall.toFixed(4)}  (${quality.truePositives} of ${quality.truePairs} true pairs found)`,
        `F1         ${quality.f1.toFixed(4)}`,
      ].join('\n'));
    });
}
