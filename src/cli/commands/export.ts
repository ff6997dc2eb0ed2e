import type { Command } from 'commander';
import { ctdcCsv, exportCtdc, exportHtcds, htcdsCsv, writeExportFile } from '../../server/metrics/export.service.js';
import { CliError, numberOption, output, progressBar } from '../util.js';
import { resolveHotline, withRuntime } from '../runtime.js';

interface ExportOptions {
  hotline?: string;
  out: string;
  includeRestricted?: boolean;
  json?: boolean;
}

const CLI_ACTOR = { id: null, label: 'cli' };

async function write(path: string, content: string) {
  try {
    await writeExportFile(path, content);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
}

/** `catalyst export htcds|ctdc`: data-exchange exports (docs/metrics.md, docs/suppression.md). */
export function register(program: Command): void {
  const exportCommand = program.command('export').description('data-exchange exports: HTCDS 2.0 case-level rows, k-anonymous CTDC dataset');

  exportCommand
    .command('htcds')
    .description('case-level rows with HTCDS 2.0 field names and picklist values (no names, contact details or free text)')
    .option('--hotline <slug>', 'hotline to export (default: the only one)')
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .option('--include-restricted', 'also export restricted cases')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: ExportOptions, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await exportHtcds(runtime.ctx, hotline.id, CLI_ACTOR, {
          includeRestricted: opts.includeRestricted,
          onProgress: (done, total) => { bar ??= progressBar('cases', total, opts.json); bar.update(done); },
        });
        bar?.stop();
        await write(opts.out, htcdsCsv(result.rows));
        output(opts.json, { format: 'htcds', hotline: hotline.slug, out: opts.out, records: result.rows.length, cases: result.cases, excludedRestricted: result.excludedRestricted }, () =>
          `Wrote ${result.rows.length} HTCDS row(s) from ${result.cases} case(s) to ${opts.out}` + (result.excludedRestricted ? ` (${result.excludedRestricted} restricted case(s) left out)` : ''),
        );
      });
    });

  exportCommand
    .command('ctdc')
    .description('de-identified dataset with the CTDC variable set, k-anonymous over age, gender, citizenship, country of exploitation and year')
    .option('--hotline <slug>', 'hotline to export (default: the only one)')
    .requiredOption('--k <k>', 'every combination of quasi-identifiers is shared by at least k records (CTDC used 11)')
    .option('--max-suppression <share>', 'largest share of records that may be dropped rather than generalised further (0..1)', '0.05')
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .option('--include-restricted', 'also export restricted cases')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: ExportOptions & { k: string; maxSuppression: string }, command: Command) => {
      const k = numberOption('k', opts.k, { min: 1, integer: true })!;
      const rate = numberOption('max-suppression', opts.maxSuppression, { min: 0 })!;
      if (rate > 1) throw new CliError(`--max-suppression must be between 0 and 1 (got "${opts.maxSuppression}")`, 2);
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await exportCtdc(runtime.ctx, hotline.id, CLI_ACTOR, {
          k,
          maxSuppressionRate: rate,
          includeRestricted: opts.includeRestricted,
          onProgress: (done, total) => { bar ??= progressBar('cases', total, opts.json); bar.update(done); },
        });
        bar?.stop();
        await write(opts.out, ctdcCsv(result.rows));
        const counts = { format: 'ctdc', hotline: hotline.slug, out: opts.out, k, records: result.records, released: result.released, generalised: result.generalised, suppressed: result.suppressed, excludedRestricted: result.excludedRestricted, levels: result.levels };
        output(opts.json, counts, () =>
          [
            `Wrote ${result.released} CTDC record(s) to ${opts.out}, ${k}-anonymous.`,
            `  records: ${result.records}, generalised: ${result.generalised}, suppressed: ${result.suppressed}` + (result.excludedRestricted ? `, restricted cases left out: ${result.excludedRestricted}` : ''),
            ...Object.entries(result.levels).map(([field, l]) => `  ${field}: ${l.name}`),
          ].join('\n'),
        );
      });
    });
}
