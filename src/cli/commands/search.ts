import type { Command } from 'commander';
import { appendAudit } from '../../server/audit/audit.js';
import { listHotlines } from '../../server/hotlines/hotlines.repo.js';
import { reindexHotline, type ReindexProgress, type ReindexSource } from '../../server/search/reindex.js';
import { CliError, output, progressBar } from '../util.js';
import { resolveHotline, withRuntime } from '../runtime.js';

const SOURCE_LABELS: Record<ReindexSource, string> = { person: 'people', case: 'cases', case_note: 'case notes', contact: 'contacts', case_entity: 'organisations and places' };

export function register(program: Command) {
  const search = program.command('search').description('the search index (names, phones and text as keyed hashes)');
  search
    .command('reindex')
    .description('rebuild the search index from the records (after a change to how tokens are made, or a restore); searching keeps working meanwhile')
    .option('--hotline <slug>', 'only this hotline (default: every hotline)')
    .option('--quiet', 'no progress bar')
    .option('--json', 'machine-readable output')
    .action(async (opts: { hotline?: string; quiet?: boolean; json?: boolean }, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const { ctx } = runtime;
        const hotlines = opts.hotline ? [await resolveHotline(runtime, opts.hotline)] : await listHotlines(ctx.db);
        if (hotlines.length === 0) throw new CliError('There is no hotline yet; nothing to re-index', 4);
        const results: { hotline: string; indexed: Record<string, number>; seconds: number }[] = [];
        for (const hotline of hotlines) {
          const started = performance.now();
          let bar: ReturnType<typeof progressBar> | undefined;
          let current: ReindexSource | undefined;
          const indexed = await reindexHotline(ctx, hotline.id, (p: ReindexProgress) => {
            if (p.source !== current) {
              bar?.stop();
              current = p.source;
              bar = progressBar(`${hotline.slug} ${SOURCE_LABELS[p.source]}`.padEnd(32), Math.max(p.total, 1), opts.quiet || opts.json);
            }
            bar?.update(p.done);
          });
          bar?.stop();
          const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
          await appendAudit(ctx.db, { hotlineId: hotline.id, actorId: null, actorLabel: 'cli', action: 'search.reindex', recordType: 'search', recordId: null, reason: null, details: { indexed, seconds }, ip: null });
          results.push({ hotline: hotline.slug, indexed, seconds });
        }
        output(opts.json, { hotlines: results }, () =>
          results
            .map((r) => `${r.hotline}: re-indexed ${r.indexed.person} people, ${r.indexed.case} cases, ${r.indexed.case_note} case notes, ${r.indexed.contact} contacts, ${r.indexed.case_entity} organisations and places; removed ${r.indexed.removed} stale entries (${r.seconds} s)`)
            .join('\n'),
        );
      });
    });
}
