import type { CompiledInstrument } from '../../shared/assessment/compile.js';
import { publishedConfig } from '../config-store.js';
import type { DbOrTx } from '../db/db.js';
import { DEFAULT_JURISDICTIONS } from '../protocols/defaults/jurisdictions.js';
import { jurisdictionRulesSchema, type JurisdictionRules } from '../protocols/jurisdiction.schema.js';
import type { Protocol } from '../protocols/protocol.schema.js';
import { publishedInstrumentFor, publishedProtocolsFor } from './config.service.js';

/**
 * The hotline's assessment configuration: its newest published instrument and protocol set, else the shipped defaults
 * (the id and version used are stored with each result); the jurisdiction pack is `consent-first` unless the hotline
 * published a `jurisdiction` config.
 */
const CONSENT_FIRST = DEFAULT_JURISDICTIONS.find((pack) => pack.id === 'consent-first')!;

/** The newest published instrument of the hotline (edited in the admin screens, config.service.ts), else the default. */
export async function instrumentFor(db: DbOrTx, hotlineId: string): Promise<CompiledInstrument> {
  return publishedInstrumentFor(db, hotlineId);
}

export async function protocolsFor(db: DbOrTx, hotlineId: string): Promise<readonly Protocol[]> {
  return publishedProtocolsFor(db, hotlineId);
}

export async function jurisdictionFor(db: DbOrTx, hotlineId: string): Promise<{ rules: JurisdictionRules; version: number }> {
  const { data } = await publishedConfig(db, hotlineId, 'jurisdiction', jurisdictionRulesSchema, CONSENT_FIRST);
  return { rules: data, version: data.version };
}
