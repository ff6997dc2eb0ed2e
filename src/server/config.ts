import path from 'node:path';
import { z } from 'zod';

/** Everything Catalyst reads from its environment, validated once at start-up. */
const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  databaseUrl: z.string().url().optional(),
  dataDir: z.string().min(1).default('./data'),
  embeddedPgPort: z.coerce.number().int().min(1).max(65535).default(54329),
  masterKey: z.string().optional(),
  previousMasterKeys: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  publicUrl: z.string().url().optional(),
  trustProxy: z.coerce.boolean().default(false),
  seedDemo: z.enum(['auto', 'never']).default('auto'),
  /** Sign-in attempts allowed per client address per minute (password and second-factor steps each). */
  signInRatePerMinute: z.coerce.number().int().min(1).default(10),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw = {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.CATALYST_DATA_DIR,
    embeddedPgPort: env.CATALYST_PG_PORT,
    masterKey: env.CATALYST_MASTER_KEY || undefined,
    previousMasterKeys: env.CATALYST_PREVIOUS_MASTER_KEYS || undefined,
    logLevel: env.LOG_LEVEL,
    publicUrl: env.CATALYST_PUBLIC_URL || undefined,
    trustProxy: env.CATALYST_TRUST_PROXY,
    seedDemo: env.CATALYST_SEED_DEMO,
    signInRatePerMinute: env.CATALYST_SIGNIN_RATE_PER_MINUTE,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}
