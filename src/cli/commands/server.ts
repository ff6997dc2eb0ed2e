import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { seedDemo } from '../../server/synthetic/demo.js';
import { CliError, numberOption, output, progressBar } from '../util.js';
import { withRuntime, type GlobalOptions } from '../runtime.js';

export function register(program: Command) {
  program
    .command('start')
    .description('start the Catalyst server (embedded PostgreSQL unless DATABASE_URL is set)')
    .option('--port <port>', 'port to listen on (PORT, default 8080)')
    .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--no-seed', 'do not seed the demo hotline on first start')
    .action(async (opts: { port?: string; host?: string; seed: boolean }, command: Command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
      let config;
      try {
        config = loadConfig(process.env, {
          port: opts.port, host: opts.host, databaseUrl: globals.databaseUrl, dataDir: globals.dataDir, logLevel: globals.logLevel,
          seedDemo: opts.seed ? undefined : 'never',
        });
      } catch (error) {
        throw new CliError((error as Error).message, 2);
      }
      const started = Date.now();
      const server = await startServer(config);
      const url = server.address.replace('://127.0.0.1', '://localhost');
      const lines = [
        '',
        `  Catalyst is ready at ${url}  (${((Date.now() - started) / 1000).toFixed(1)} s, ${server.isEmbedded ? 'embedded PostgreSQL in ' + config.dataDir : 'PostgreSQL from DATABASE_URL'})`,
      ];
      if (server.logins) {
        lines.push('', '  Demo logins (synthetic data; every account enrols a TOTP authenticator at first sign-in):');
        for (const login of server.logins) lines.push(`    ${login.role.padEnd(12)} ${login.email.padEnd(32)} ${login.password}`);
      }
      if (!config.masterKey) {
        lines.push('', `  WARNING: personal data is encrypted with the master key file in ${config.dataDir}.`, '  That is for demos and development only: production must set CATALYST_MASTER_KEY from a secret store.');
      }
      lines.push('', '  Press Ctrl-C to stop.', '');
      process.stderr.write(lines.join('\n') + '\n');
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.shutdown().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async ({ ctx }) => {
        const { applied } = await migrateToLatest(ctx.db);
        output(opts.json, { applied }, () => (applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.'));
      });
    });

  program
    .command('seed')
    .description('seed demo hotlines with synthetic data (never real data)')
    .requiredOption('--demo', 'seed the demo hotlines')
    .option('--size <n>', 'scale of the demo (contacts a year; staff follow from it)', '1000')
    .option('--seed <text>', 'random seed: the same seed gives the same data', 'catalyst-demo')
    .option('--json', 'machine-readable output')
    .action(async (opts: { size: string; seed: string; json?: boolean }, command: Command) => {
      const size = numberOption('size', opts.size, { min: 1, integer: true })!;
      await withRuntime(command.optsWithGlobals(), async ({ ctx }) => {
        await migrateToLatest(ctx.db);
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await seedDemo(ctx, {
          size,
          seed: opts.seed,
          onProgress: (done, total) => {
            bar ??= progressBar('seeding', total, opts.json);
            bar.update(done);
          },
        }).catch((error: Error) => {
          throw new CliError(error.message, 5);
        }).finally(() => bar?.stop());
        output(opts.json, result, () => `Seeded ${result.hotlines.join(', ')} with ${result.staff} synthetic staff and ${result.contacts} contacts.\n` + result.logins.map((l) => `  ${l.role.padEnd(12)} ${l.email}  ${l.password}`).join('\n'));
      });
    });
}
