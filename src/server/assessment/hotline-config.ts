import { compileInstrument, type CompiledInstrument } from '../../shared/assessment/compile.js';
import { publishedConfig } from '../config-store.js';
import type { DbOrTx } from '../db/db.js';
import { DEFAULT_JURISDICTIONS } from '../protocols/defaults/jurisdictions.js';
import { DEFAULT_PROTOCOLS } from '../protocols/defaults/index.js';
import { jurisdictionRulesSchema, type JurisdictionRules } from '../protocols/jurisdiction.schema.js';
import type { Protocol } from '../protocols/protocol.schema.js';
import { DEFAULT_INSTRUMENT } from './default-instrument/index.js';

/**
 * The hotline's assessment configuration. For now every hotline uses the shipped default instrument and protocols
 * (their id and version are stored with each result); the jurisdiction pack is `consent-first` unless the hotline
 * published a `jurisdiction` config. Hotline-published instruments and protocols come with their editors.
 */
const compiledDefault = compileInstrument(DEFAULT_INSTRUMENT);
const CONSENT_FIRST = DEFAULT_JURISDICTIONS.find((pack) => pack.id === 'consent-first')!;

export async function instrumentFor(_db: DbOrTx, _hotlineId: string): Promise<CompiledInstrument> {
  return compiledDefault;
}

export async function protocolsFor(_db: DbOrTx, _hotlineId: string): Promise<readonly Protocol[]> {
  return DEFAULT_PROTOCOLS;
}

export async function jurisdictionFor(db: DbOrTx, hotlineId: string): Promise<{ rules: JurisdictionRules; version: number }> {
  const { data } = await publishedConfig(db, hotlineId, 'jurisdiction', jurisdictionRulesSchema, CONSENT_FIRST);
  return { rules: data, version: data.version };
}
