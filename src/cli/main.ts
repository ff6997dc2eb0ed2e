import { Command, CommanderError } from 'commander';
import { EmbeddedPostgresError } from '../server/db/embedded.js';
import { CliError } from './util.js';
import * as server from './commands/server.js';
import * as users from './commands/users.js';
import * as audit from './commands/audit.js';
import * as keys from './commands/keys.js';
import * as staffing from './commands/staffing.js';
import * as assess from './commands/assess.js';
import * as exporting from './commands/export.js';
import * as linkage from './commands/linkage.js';
import * as directory from './commands/directory.js';
import * as search from './commands/search.js';

export function buildProgram(): Command {
  const program = new Command('catalyst')
    .description('Catalyst: operations platform for national human trafficking hotlines')
    .version('0.1.0')
    .option('--database-url <url>', 'PostgreSQL to use (DATABASE_URL); default: the embedded one')
    .option('--data-dir <dir>', 'data directory for the embedded database and key file (CATALYST_DATA_DIR)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug (LOG_LEVEL)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const module of [server, users, audit, keys, staffing, assess, linkage, directory, exporting, search]) module.register(program);
  // Sub-commands inherit exitOverride so errors come back here instead of exiting mid-way.
  const propagate = (command: Command) => command.commands.forEach((c) => { c.exitOverride(); propagate(c); });
  propagate(program);
  return program;
}

async function main() {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof CliError || error instanceof EmbeddedPostgresError) {
      process.stderr.write(`catalyst: ${error.message}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
      return;
    }
    // Anything may be thrown (a library rejected with nothing): the report itself must not fail.
    process.stderr.write(`catalyst: unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main();
