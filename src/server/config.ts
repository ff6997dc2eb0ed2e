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
  /** Inbound SMTP listener (email channel): off unless a port is set. */
  smtpPort: z.coerce.number().int().min(0).max(65535).optional(),
  smtpHost: z.string().min(1).default('127.0.0.1'),
  /** PEM files offering STARTTLS on the inbound listener (both or neither). */
  smtpTlsKeyFile: z.string().min(1).optional(),
  smtpTlsCertFile: z.string().min(1).optional(),
  /** Default outbound relay for email replies (smtp://user:pass@host:587 or smtps://…:465) when an access point has none. */
  smtpRelayUrl: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  /**
   * Map tiles for the directory map (off by default: with none, the map draws country outlines and area labels that
   * ship with the app). An https URL template with {z}, {x}, {y} (and optionally {s}); its host is added to the CSP.
   */
  mapTileUrl: z.string().regex(/^https:\/\/[^/\s]+\/\S*\{z\}\S*\{x\}\S*\{y\}/, 'must be an https URL template with {z}, {x} and {y}').optional(),
  /** The attribution the tile provider asks for (plain text). */
  mapTileAttribution: z.string().trim().max(300).optional(),
  /** First retry delay of a failed email reply send (doubles per attempt). */
  emailRetryBaseMs: z.coerce.number().int().min(10).default(2000),
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
    smtpPort: env.CATALYST_SMTP_PORT || undefined,
    smtpHost: env.CATALYST_SMTP_HOST || undefined,
    smtpTlsKeyFile: env.CATALYST_SMTP_TLS_KEY_FILE || undefined,
    smtpTlsCertFile: env.CATALYST_SMTP_TLS_CERT_FILE || undefined,
    smtpRelayUrl: env.CATALYST_SMTP_RELAY_URL || undefined,
    emailRetryBaseMs: env.CATALYST_EMAIL_RETRY_BASE_MS || undefined,
    mapTileUrl: env.CATALYST_MAP_TILE_URL || undefined,
    mapTileAttribution: env.CATALYST_MAP_TILE_ATTRIBUTION || undefined,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}
