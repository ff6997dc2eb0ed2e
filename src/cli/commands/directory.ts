import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { partnerProfileSchema, VETTING_STATUSES, ACCEPTS_FLAGS } from '../../shared/directory/needs.js';
import { appendAudit } from '../../server/audit/audit.js';
import { configureNeed, countServices, exportServices, importDirectory, installDefaultNeeds, listNeeds, readImportSource, setPartnerProfile } from '../../server/directory/directory.service.js';
import { CliError, output, progressBar } from '../util.js';
import { resolveHotline, withRuntime } from '../runtime.js';

const CLI_ACTOR = { id: null, label: `cli:${process.env.USER ?? 'operator'}` };

export function register(program: Command) {
  const directory = program.command('directory').description('the partner directory (Open Referral HSDS 3.0): import, export, vetting');

  directory
    .command('import')
    .description('import HSDS 3.0 JSON (a service, organization, list or page) or a tabular datapackage folder (CSV); rejected rows are reported, the rest imported')
    .argument('<source>', 'an HSDS JSON file, or a datapackage folder with CSV files')
    .option('--hotline <slug>', 'hotline (default: the only one)')
    .option('--json', 'machine-readable report')
    .action(async (source: string, opts, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        const collected = await readImportSource(source);
        if (!collected.ok) throw new CliError(collected.error.message, collected.error.code === 'not_found' ? 4 : 2);
        // The bar starts once validation is done and the number of rows to write is known.
        let bar: ReturnType<typeof progressBar> | undefined;
        const report = await importDirectory(runtime.ctx.db, hotline.id, collected.value, CLI_ACTOR, (done, all) => {
          bar ??= progressBar(`Importing ${all} rows`, all, opts.json);
          bar.update(done);
        });
        bar?.stop();
        output(opts.json, { hotline: hotline.slug, ...report }, () => {
          const lines = [`Imported into ${hotline.slug}: ${Object.entries(report.imported).filter(([, n]) => n).map(([e, n]) => `${n} ${e}`).join(', ') || 'nothing'}.`];
          for (const r of report.rejected) lines.push(`REJECTED ${r.source} (${r.entity}${r.id ? ` ${r.id}` : ''}): ${r.reason}`);
          for (const w of report.warnings) lines.push(`warning  ${w.source} (${w.entity} ${w.id}): ${w.reason}`);
          for (const n of report.notices) lines.push(`note     ${n}`);
          lines.push(`${report.rejected.length} row(s) rejected, ${report.warnings.length} warning(s). New organizations are "prospective" partners until vetted.`);
          return lines.join('\n');
        });
        if (report.rejected.length) process.exitCode = 1;
      });
    });

  directory
    .command('export')
    .description('export every service as an HSDS 3.0 service object (nested organization, locations, phones), one JSON file per service')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--format <format>', 'export format (only hsds-json)', 'hsds-json')
    .option('--hotline <slug>', 'hotline (default: the only one)')
    .option('--json', 'machine-readable summary')
    .action(async (opts, command: Command) => {
      if (opts.format !== 'hsds-json') throw new CliError(`--format must be hsds-json (got "${opts.format}")`, 2);
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        await fs.mkdir(opts.out, { recursive: true });
        const total = await countServices(runtime.ctx.db, hotline.id);
        const bar = progressBar('Exporting', total, opts.json);
        let written = 0;
        for await (const batch of exportServices(runtime.ctx.db, hotline.id)) {
          for (const service of batch) {
            await fs.writeFile(path.join(opts.out, `${service.id as string}.json`), JSON.stringify(service, null, 2) + '\n');
            written++;
          }
          bar.update(written);
        }
        bar.stop();
        await runtime.ctx.db.transaction().execute((tx) => appendAudit(tx, { hotlineId: hotline.id, actorId: null, actorLabel: CLI_ACTOR.label, action: 'directory.export', recordType: 'directory', details: { format: 'hsds-json', services: written } }));
        output(opts.json, { hotline: hotline.slug, format: 'hsds-json', out: path.resolve(opts.out), services: written }, () => `Exported ${written} service(s) from ${hotline.slug} to ${path.resolve(opts.out)}.`);
      });
    });

  directory
    .command('needs')
    .description("list the hotline's need taxonomy, or change one need: rename it (--en, --es, --fr together), retire or restore it, or add a new one")
    .argument('[key]', 'the need to change or add (e.g. shelter, or a new key such as debt_advice)')
    .option('--hotline <slug>', 'hotline (default: the only one)')
    .option('--en <label>', 'English label')
    .option('--es <label>', 'Spanish label')
    .option('--fr <label>', 'French label')
    .option('--retire', 'stop offering this need for matching')
    .option('--restore', 'offer a retired need again')
    .option('--json', 'machine-readable output')
    .action(async (key: string | undefined, opts, command: Command) => {
      const given = [opts.en, opts.es, opts.fr].filter((v) => v !== undefined).length;
      if (given !== 0 && given !== 3) throw new CliError('Give all three labels: --en, --es and --fr', 2);
      if (opts.retire && opts.restore) throw new CliError('--retire and --restore exclude each other', 2);
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        if (key) {
          const result = await configureNeed(runtime.ctx.db, hotline.id, { key, labels: given ? { en: opts.en, es: opts.es, fr: opts.fr } : undefined, isActive: opts.retire ? false : opts.restore ? true : undefined }, CLI_ACTOR);
          if (!result.ok) throw new CliError(result.error.message, 2);
        } else await runtime.ctx.db.transaction().execute((tx) => installDefaultNeeds(tx, hotline.id));
        const needs = await listNeeds(runtime.ctx.db, hotline.id);
        output(opts.json, { hotline: hotline.slug, needs }, () => needs.map((n) => `${n.isActive ? ' ' : 'x'} ${n.key.padEnd(22)} ${n.labels.en} / ${n.labels.es} / ${n.labels.fr}`).join('\n'));
      });
    });

  directory
    .command('partner')
    .description("set Catalyst's partner data for an HSDS organization: vetting, review date, MoU, what it accepts, referral protocol")
    .requiredOption('--organization <id>', 'HSDS organization id')
    .option('--hotline <slug>', 'hotline (default: the only one)')
    .option('--status <status>', `vetting status: ${VETTING_STATUSES.join(', ')}`)
    .option('--evidence <text>', 'vetting evidence (what was checked, by whom)')
    .option('--review-due <yyyy-mm-dd>', 'next re-verification date')
    .option('--mou-signed <yyyy-mm-dd>', 'MoU signature date')
    .option('--mou-expires <yyyy-mm-dd>', 'MoU expiry date')
    .option('--accepts <flags>', `comma-separated flag=yes|no: ${ACCEPTS_FLAGS.join(', ')}`)
    .option('--protocol-file <file>', 'referral protocol text, read from a file')
    .option('--time-zone <iana>', 'IANA time zone for opening hours, e.g. America/Toronto')
    .option('--json', 'machine-readable output')
    .action(async (opts, command: Command) => {
      const accepts: Record<string, boolean> = {};
      for (const part of String(opts.accepts ?? '').split(',').filter(Boolean)) {
        const [flag, value] = part.split('=').map((s) => s.trim());
        if (!(ACCEPTS_FLAGS as readonly string[]).includes(flag) || !['yes', 'no'].includes(value)) throw new CliError(`--accepts: "${part}" must be flag=yes|no with a flag among ${ACCEPTS_FLAGS.join(', ')}`, 2);
        accepts[flag] = value === 'yes';
      }
      const parsed = partnerProfileSchema.safeParse({
        vettingStatus: opts.status, vettingEvidence: opts.evidence, reviewDueOn: opts.reviewDue, mouSignedOn: opts.mouSigned, mouExpiresOn: opts.mouExpires,
        accepts: Object.keys(accepts).length ? accepts : undefined, referralProtocol: opts.protocolFile ? await fs.readFile(opts.protocolFile, 'utf8') : undefined, timeZone: opts.timeZone,
      });
      if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 2);
      if (parsed.data.timeZone && !isTimeZone(parsed.data.timeZone)) throw new CliError(`--time-zone: unknown time zone "${parsed.data.timeZone}"`, 2);
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        const result = await setPartnerProfile(runtime.ctx.db, hotline.id, String(opts.organization).toLowerCase(), parsed.data, CLI_ACTOR);
        if (!result.ok) throw new CliError(result.error.message, 4);
        output(opts.json, { hotline: hotline.slug, organizationId: result.value.organizationId, updated: Object.keys(parsed.data).filter((k) => (parsed.data as Record<string, unknown>)[k] !== undefined) }, () => `Updated partner ${result.value.organizationId} in ${hotline.slug}.`);
      });
    });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
