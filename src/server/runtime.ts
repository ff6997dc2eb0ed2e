import type { Logger } from 'pino';
import type { Config } from './config.js';
import { RuleCache, type AppContext } from './context.js';
import { createDb } from './db/db.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { KeyStore } from './crypto/keystore.js';
import { loadMasterKeyring } from './crypto/master-key.js';
import { SessionCache } from './auth/sessions.js';

export interface Runtime {
  ctx: AppContext;
  isEmbedded: boolean;
  isFirstStart: boolean;
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL — the one in DATABASE_URL, or the embedded cluster under the data directory, started here —
 * and loads the master keyring. Every command (server or CLI) goes through this one door.
 */
export async function openRuntime(config: Config, log: Logger, opts: { poolSize?: number } = {}): Promise<Runtime> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let isFirstStart = false;
  if (!url) {
    const embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    isFirstStart = embedded.isFirstStart;
  }
  try {
    const keyring = await loadMasterKeyring(
      { masterKey: config.masterKey, previousMasterKeys: config.previousMasterKeys, dataDir: config.dataDir, createIfMissing: !config.databaseUrl },
      (message) => log.warn(message),
    );
    const db = createDb(url, { max: opts.poolSize });
    const ctx: AppContext = { config, db, keys: new KeyStore(db, keyring), log, rules: new RuleCache(db), sessions: new SessionCache(), live: null, databaseUrl: url };
    return {
      ctx,
      isEmbedded: !!stopEmbedded,
      isFirstStart,
      async close() {
        await db.destroy();
        await stopEmbedded?.();
      },
    };
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
}
