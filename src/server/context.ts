import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { KeyStore } from './crypto/keystore.js';
import { getRuleSet } from './permissions/repo.js';
import type { RuleSet } from '../shared/permissions.js';
import type { SessionCache } from './auth/sessions.js';
import type { LiveHub } from './queue/live.js';

/** What every part of the server is handed: configuration, the database, the key store and the logger. */
export interface AppContext {
  config: Config;
  db: Db;
  keys: KeyStore;
  log: Logger;
  rules: RuleCache;
  sessions: SessionCache;
  /** Live events between servers (LISTEN/NOTIFY) and to consoles; started by the server, absent in one-shot CLI runs. */
  live: LiveHub | null;
  databaseUrl: string;
}

const RULES_TTL_MS = 5_000;

/** Rule sets change rarely and are read on every request: keep each one for a few seconds. */
export class RuleCache {
  private entries = new Map<string, { rules: RuleSet; version: number; at: number }>();
  constructor(private db: Db) {}

  async get(hotlineId: string) {
    const hit = this.entries.get(hotlineId);
    if (hit && Date.now() - hit.at < RULES_TTL_MS) return hit;
    const fresh = { ...(await getRuleSet(this.db, hotlineId)), at: Date.now() };
    this.entries.set(hotlineId, fresh);
    return fresh;
  }

  invalidate(hotlineId: string) {
    this.entries.delete(hotlineId);
  }
}
