import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { buildKeyring, generateMasterKeyText, MASTER_KEY_FILE, PREVIOUS_MASTER_KEYS_FILE, parseMasterKey } from '../../server/crypto/master-key.js';
import { rewrapAllKeys, rotateDataKeys } from '../../server/crypto/keystore.js';
import { reencryptAll } from '../../server/crypto/encrypted-fields.js';
import { appendAudit } from '../../server/audit/audit.js';
import { CliError, output, progressBar } from '../util.js';
import { cliConfig, resolveHotline, withRuntime } from '../runtime.js';

export function register(program: Command) {
  const keys = program.command('keys').description('encryption keys');
  keys
    .command('rotate')
    .description('rotate data keys (default) or re-wrap every key under a new master key (--master); servers keep running')
    .option('--master', 're-wrap all data keys under a new master key instead of adding data key versions')
    .option('--new-master-key-file <file>', 'with --master: file holding the new master key (else CATALYST_NEW_MASTER_KEY, else one is generated for the key-file setup)')
    .option('--reencrypt', 'after a data key rotation, re-encrypt existing values under the new key (progress bar)')
    .option('--hotline <slug>', 'only this hotline (data key rotation)')
    .option('--json', 'machine-readable output')
    .action(async (opts, command: Command) => {
      const globals = command.optsWithGlobals();
      const config = cliConfig(globals);
      await withRuntime(globals, async (runtime) => {
        const { ctx } = runtime;
        if (opts.master) {
          let newKeyText = opts.newMasterKeyFile ? (await fs.readFile(opts.newMasterKeyFile, 'utf8')).trim() : process.env.CATALYST_NEW_MASTER_KEY;
          const usesKeyFile = !config.masterKey;
          if (!newKeyText) {
            if (!usesKeyFile) throw new CliError('Give the new master key with --new-master-key-file or CATALYST_NEW_MASTER_KEY', 2);
            newKeyText = generateMasterKeyText();
          }
          try { parseMasterKey(newKeyText); } catch (error) { throw new CliError((error as Error).message, 2); }
          const oldKeyring = ctx.keys.keyring;
          const keyring = buildKeyring(newKeyText, [...oldKeyring.byId.values()].map((k) => k.key.toString('base64')));
          let bar: ReturnType<typeof progressBar> | undefined;
          const result = await rewrapAllKeys(ctx.db, keyring, (done, total) => { bar ??= progressBar('re-wrapping', total, opts.json); bar.update(done); });
          bar?.stop();
          if (usesKeyFile) {
            // Keep the old key beside the new one until every server has restarted with the new file.
            const dir = config.dataDir;
            await fs.appendFile(path.join(dir, PREVIOUS_MASTER_KEYS_FILE), (await fs.readFile(path.join(dir, MASTER_KEY_FILE), 'utf8')).trim() + '\n', { mode: 0o600 });
            await fs.writeFile(path.join(dir, MASTER_KEY_FILE + '.new'), newKeyText + '\n', { mode: 0o600 });
            await fs.rename(path.join(dir, MASTER_KEY_FILE + '.new'), path.join(dir, MASTER_KEY_FILE));
          }
          await ctx.db.transaction().execute((tx) => appendAudit(tx, { hotlineId: null, actorId: null, actorLabel: 'cli', action: 'keys.rotate_master', details: { rewrapped: result.rewrapped, masterKeyId: result.masterKeyId } }));
          output(opts.json, result, () =>
            `Re-wrapped ${result.rewrapped} keys under master key ${result.masterKeyId}.` +
              (usesKeyFile ? ' The key file was replaced; the old key is kept in master.previous.keys.' : ' Now set CATALYST_MASTER_KEY to the new key and CATALYST_PREVIOUS_MASTER_KEYS to the old one, and restart servers at leisure.'),
          );
          return;
        }
        const hotlineIds = opts.hotline ? [(await resolveHotline(runtime, opts.hotline)).id] : undefined;
        const rotated = await rotateDataKeys(ctx.db, ctx.keys.keyring, hotlineIds).catch((error: Error) => { throw new CliError(error.message, 5); });
        ctx.keys.forget();
        await ctx.db.transaction().execute(async (tx) => {
          for (const r of rotated) await appendAudit(tx, { hotlineId: r.hotlineId, actorId: null, actorLabel: 'cli', action: 'keys.rotate_data', details: { version: r.version } });
        });
        let reencrypted: { checked: number; rewritten: number } | null = null;
        if (opts.reencrypt) {
          const current = new Map(rotated.map((r) => [r.hotlineId, r.version]));
          let bar: ReturnType<typeof progressBar> | undefined;
          reencrypted = await reencryptAll(ctx.db, ctx.keys, current, (done, total) => { bar ??= progressBar('re-encrypting', total, opts.json); bar.update(done); });
          bar?.stop();
        }
        output(opts.json, { rotated, reencrypted }, () =>
          `New data key versions: ${rotated.map((r) => `${r.hotlineId.slice(0, 8)}… v${r.version}`).join(', ')}.` +
            (reencrypted ? ` Re-encrypted ${reencrypted.rewritten} of ${reencrypted.checked} values.` : ' Existing values stay readable; run with --reencrypt to move them to the new key.'),
        );
      });
    });
}
