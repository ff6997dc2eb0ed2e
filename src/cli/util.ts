import { SingleBar, Presets } from 'cli-progress';

/** An expected CLI failure: printed as one clear line, exits with `exitCode` (never a stack trace). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Print a result: JSON when `--json` was given, else the human text. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else process.stdout.write(human() + '\n');
}

/** A progress bar on stderr for long work; silent when stderr is not a terminal or when `quiet`. */
export function progressBar(label: string, total: number, quiet = false) {
  const enabled = !quiet && process.stderr.isTTY === true;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  if (enabled) bar.start(total, 0);
  return {
    increment(n = 1) { if (enabled) bar.increment(n); },
    update(v: number) { if (enabled) bar.update(v); },
    stop() { if (enabled) bar.stop(); },
  };
}

/** Parse a numeric CLI option or fail with a message that names it. */
export function numberOption(name: string, raw: string | undefined, { min, integer }: { min?: number; integer?: boolean } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || (min !== undefined && value < min)) {
    throw new CliError(`--${name} must be ${integer ? 'an integer' : 'a number'}${min !== undefined ? ` >= ${min}` : ''} (got "${raw}")`, 2);
  }
  return value;
}
