import type { Command } from 'commander';
import { verifyAudit } from '../../server/audit/audit.js';
import { CliError, output, progressBar } from '../util.js';
import { resolveHotline, withRuntime } from '../runtime.js';

export function register(program: Command) {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('recompute the hash chains and name every edited or deleted row (exit code 6 if any)')
    .option('--hotline <slug>', 'only this hotline (default: every chain)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { hotline?: string; json?: boolean }, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotlineId = opts.hotline ? (await resolveHotline(runtime, opts.hotline)).id : undefined;
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await verifyAudit(runtime.ctx.db, {
          hotlineId,
          onProgress: (done, total) => {
            bar ??= progressBar('verifying', total, opts.json);
            bar.update(done);
          },
        });
        bar?.stop();
        output(opts.json, result, () =>
          result.ok ? `Audit log intact: ${result.checked} rows verified.` : `AUDIT LOG TAMPERED: ${result.problems.length} problem(s) in ${result.checked} rows\n` + result.problems.map((p) => `  - ${p.message}`).join('\n'),
        );
        if (!result.ok) throw new CliError('audit verification failed', 6);
      });
    });
}
