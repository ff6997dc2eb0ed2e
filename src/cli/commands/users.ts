import type { Command } from 'commander';
import { ROLES, type Role } from '../../shared/roles.js';
import { createUser, resetPassword, setUserActive } from '../../server/users/users.service.js';
import { presentUser } from '../../server/users/users.present.js';
import { CliError, output } from '../util.js';
import { resolveHotline, withRuntime } from '../runtime.js';

const CLI_ACTOR = { id: null, label: `cli:${process.env.USER ?? 'operator'}` };

export function register(program: Command) {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('create')
    .description('create a staff account (prints a temporary password unless --password is given)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--hotline <slug>', 'hotline (default: the only one)')
    .option('--password <password>', 'initial password (else a temporary one that must be changed at first sign-in)')
    .option('--locale <locale>', 'en, es or fr', 'en')
    .option('--json', 'machine-readable output')
    .action(async (opts, command: Command) => {
      const roles = String(opts.role).split(',').map((r) => r.trim()) as Role[];
      const bad = roles.filter((r) => !ROLES.includes(r));
      if (bad.length) throw new CliError(`Unknown role(s): ${bad.join(', ')} (choose from ${ROLES.join(', ')})`, 2);
      if (!['en', 'es', 'fr'].includes(opts.locale)) throw new CliError('--locale must be en, es or fr', 2);
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const hotline = await resolveHotline(runtime, opts.hotline);
        const result = await createUser(runtime.ctx, hotline.id, { email: opts.email, displayName: opts.name, roles, locale: opts.locale, password: opts.password }, CLI_ACTOR);
        if (!result.ok) throw new CliError(result.error.message, 5);
        const value = { user: presentUser(result.value.user), temporaryPassword: result.value.temporaryPassword };
        output(opts.json, value, () => `Created ${value.user.email} (${roles.join(', ')}) in ${hotline.slug}.` + (value.temporaryPassword ? `\nTemporary password (shown once): ${value.temporaryPassword}` : ''));
      });
    });

  const findByEmail = async (runtime: Parameters<Parameters<typeof withRuntime>[1]>[0], email: string) => {
    const row = await runtime.ctx.db.selectFrom('app_user').select(['id', 'hotline_id', 'email']).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    if (!row) throw new CliError(`No user with email ${email}`, 4);
    return row;
  };

  user
    .command('reset-password')
    .description('issue a temporary password (the user must change it at next sign-in) and end their sessions')
    .requiredOption('--email <email>', 'the user')
    .option('--json', 'machine-readable output')
    .action(async (opts, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const row = await findByEmail(runtime, opts.email);
        const result = await resetPassword(runtime.ctx, row.hotline_id, row.id, CLI_ACTOR);
        if (!result.ok) throw new CliError(result.error.message, 5);
        output(opts.json, { email: row.email, temporaryPassword: result.value.temporaryPassword }, () => `Temporary password for ${row.email} (shown once): ${result.value.temporaryPassword}`);
      });
    });

  user
    .command('deactivate')
    .description('deactivate a staff account and end its sessions')
    .requiredOption('--email <email>', 'the user')
    .option('--json', 'machine-readable output')
    .action(async (opts, command: Command) => {
      await withRuntime(command.optsWithGlobals(), async (runtime) => {
        const row = await findByEmail(runtime, opts.email);
        const result = await setUserActive(runtime.ctx, row.hotline_id, row.id, false, CLI_ACTOR);
        if (!result.ok) throw new CliError(result.error.message, 5);
        output(opts.json, { user: presentUser(result.value) }, () => `Deactivated ${row.email}.`);
      });
    });
}
