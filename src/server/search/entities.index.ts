import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import './search.tables.js';
import { hashAll, nameTokens, stemTexts, tokenHasher, type NameParts, type TokenHasher } from './tokens.js';

/** What is known about an organisation or a place on a case; stored encrypted (`case_entity.details`). */
export interface EntityDetails {
  name: string;
  aliases?: string[];
  industry?: string;
  address?: { street?: string; city?: string; postcode?: string; country?: string };
  coordinates?: { lat: number; lon: number };
  description?: string;
}

/** An organisation's or place's names, as name parts: the words survive typos and scripts like a person's. */
export function entityNameParts(d: EntityDetails): NameParts {
  return { familyNames: d.name, aliases: d.aliases };
}

/** Name tokens (fuzzy) of its names, text tokens (stems) of its names, industry, address and description. */
export async function placeTokens(db: DbOrTx, hash: TokenHasher, d: EntityDetails): Promise<{ name: number[]; text: number[] }> {
  const text = [d.name, ...(d.aliases ?? []), d.industry, d.address?.street, d.address?.city, d.address?.postcode, d.description].filter(Boolean).join('\n');
  const [stems] = await stemTexts(db, [text]);
  return { name: nameTokens(hash, entityNameParts(d)), text: hashAll(hash, stems.map((s) => `t:${s}`)) };
}

/** Index one organisation or place (called in the transaction that writes it). */
export async function indexEntity(tx: DbOrTx, ctx: AppContext, hotlineId: string, entityId: string, caseId: string, d: EntityDetails) {
  const hash = await tokenHasher(ctx, hotlineId);
  const tokens = await placeTokens(tx, hash, d);
  await tx
    .insertInto('search_doc')
    .values({ record_type: 'case_entity', record_id: entityId, hotline_id: hotlineId, case_id: caseId, name_tokens: tokens.name, text_tokens: tokens.text, indexed_at: new Date() })
    .onConflict((oc) => oc.columns(['record_type', 'record_id']).doUpdateSet({ name_tokens: tokens.name, text_tokens: tokens.text, case_id: caseId, indexed_at: new Date() }))
    .execute();
}
