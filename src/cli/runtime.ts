import { loadConfig, type Config } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { openRuntime, type Runtime } from '../server/runtime.js';
import { findHotlineBySlug, listHotlines } from '../server/hotlines/hotlines.repo.js';
import { CliError } from './util.js';

export interface GlobalOptions {
  databaseUrl?: string;
  dataDir?: string;
  logLevel?: string;
}

export function cliConfig(opts: GlobalOptions): Config {
  try {
    return loadConfig(process.env, { databaseUrl: opts.databaseUrl, dataDir: opts.dataDir, logLevel: opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn' });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** Runs `work` with a database connection (starting the embedded cluster if needed) and always closes it. */
export async function withRuntime<T>(opts: GlobalOptions, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = cliConfig(opts);
  const log = createLogger(config.logLevel, process.stderr as any);
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, log, { poolSize: 4 });
  } catch (error) {
    throw new CliError(`Cannot open the database: ${(error as Error).message}`, 3);
  }
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** The hotline a command works on: the one named, or the only one there is. */
export async function resolveHotline(runtime: Runtime, slug: string | undefined) {
  if (slug) {
    const hotline = await findHotlineBySlug(runtime.ctx.db, slug);
    if (!hotline) throw new CliError(`No hotline with slug "${slug}"`, 4);
    return hotline;
  }
  const all = await listHotlines(runtime.ctx.db);
  if (all.length === 1) return (await findHotlineBySlug(runtime.ctx.db, all[0].slug))!;
  if (all.length === 0) throw new CliError('There is no hotline yet; run `catalyst seed --demo` or create one', 4);
  throw new CliError(`Several hotlines exist (${all.map((h) => h.slug).join(', ')}); choose one with --hotline <slug>`, 2);
}
