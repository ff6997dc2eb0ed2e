/**
 * k-anonymity for de-identified record-level exports (the CTDC dataset; docs/suppression.md).
 *
 * Every record's combination of quasi-identifiers (age group, gender, citizenship, country of exploitation, year…)
 * must be shared by at least k records of the released file. The method is full-domain global recoding with
 * record suppression, chosen greedily as in Sweeney's Datafly:
 *
 * 1. Apply the current generalisation level of every quasi-identifier (all start at 0, the value as recorded).
 * 2. If the records in equivalence classes smaller than k are few enough (at most `maxSuppressionRate` of all
 *    records), drop them and stop.
 * 3. Otherwise raise by one level the quasi-identifier with the most distinct values (ties: the first listed), and go
 *    back to 1. When every quasi-identifier is at its last level, the records still in small classes are dropped.
 *
 * Global recoding keeps a column consistent (every record's age is in the same bands), which is what analysts need.
 * Pure and deterministic: the same records and options give the same release.
 */

export interface QuasiIdentifier {
  field: string;
  /**
   * Generalisation hierarchy: `levels[0]` is the identity, each later level coarser (age band → wider band, country →
   * region, year → period), and the last should map everything to one value (usually null).
   */
  levels: readonly ((value: string | null) => string | null)[];
  /** Names of the levels, for reports ("ISO country", "UN region", "suppressed"). */
  levelNames?: readonly string[];
}

export interface KAnonymityOptions {
  k: number;
  /** Largest share of records that may be dropped instead of generalising further. Default 0.05. */
  maxSuppressionRate?: number;
}

export type QiRecord = Record<string, string | null | number | boolean | undefined>;

export interface KAnonymityResult<R extends QiRecord> {
  k: number;
  records: R[];
  /** The level reached by each quasi-identifier. */
  levels: Record<string, number>;
  /** Released records with at least one quasi-identifier coarser than its level-0 value. */
  generalised: number;
  /** Records dropped from the release. */
  suppressed: number;
  /** Size of the smallest equivalence class released (0 when nothing is released). */
  smallestClass: number;
}

const asQiValue = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** The equivalence-class key of a record over the quasi-identifiers (JSON keeps null apart from "null"). */
export function classKey(record: QiRecord, fields: readonly string[]): string {
  return JSON.stringify(fields.map((f) => asQiValue(record[f])));
}

/** Sizes of the equivalence classes of a release, by key. */
export function equivalenceClasses(records: readonly QiRecord[], fields: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const r of records) {
    const key = classKey(r, fields);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

export function isKAnonymous(records: readonly QiRecord[], fields: readonly string[], k: number): boolean {
  return [...equivalenceClasses(records, fields).values()].every((size) => size >= k);
}

export function kAnonymise<R extends QiRecord>(records: readonly R[], quasiIdentifiers: readonly QuasiIdentifier[], options: KAnonymityOptions): KAnonymityResult<R> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1 (got ${k})`);
  const rate = options.maxSuppressionRate ?? 0.05;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`maxSuppressionRate must be between 0 and 1 (got ${rate})`);
  for (const qi of quasiIdentifiers) if (qi.levels.length === 0) throw new Error(`quasi-identifier ${qi.field} has no levels`);
  const fields = quasiIdentifiers.map((q) => q.field);
  const maxSuppressed = Math.floor(rate * records.length);
  const levels = quasiIdentifiers.map(() => 0);

  const recode = (): R[] =>
    records.map((r) => {
      const out: QiRecord = { ...r };
      quasiIdentifiers.forEach((qi, i) => { out[qi.field] = qi.levels[levels[i]](asQiValue(r[qi.field])); });
      return out as R;
    });

  for (;;) {
    const recoded = recode();
    const sizes = equivalenceClasses(recoded, fields);
    const isSmall = (r: R) => sizes.get(classKey(r, fields))! < k;
    const small = recoded.filter(isSmall).length;
    const raisable = quasiIdentifiers.map((qi, i) => i).filter((i) => levels[i] < quasiIdentifiers[i].levels.length - 1);
    if (small <= maxSuppressed || raisable.length === 0) {
      const released: R[] = [];
      let generalised = 0;
      recoded.forEach((r, index) => {
        if (isSmall(r)) return;
        released.push(r);
        // Compared with level 0 (the value as the release format records it), not the raw input.
        if (quasiIdentifiers.some((qi) => levels[quasiIdentifiers.indexOf(qi)] > 0 && asQiValue(r[qi.field]) !== qi.levels[0](asQiValue(records[index][qi.field])))) generalised++;
      });
      const releasedSizes = [...equivalenceClasses(released, fields).values()];
      return {
        k,
        records: released,
        levels: Object.fromEntries(fields.map((f, i) => [f, levels[i]])),
        generalised,
        suppressed: records.length - released.length,
        smallestClass: releasedSizes.length ? Math.min(...releasedSizes) : 0,
      };
    }
    let best = raisable[0];
    let bestDistinct = -1;
    for (const i of raisable) {
      const distinct = new Set(recoded.map((r) => asQiValue(r[fields[i]]))).size;
      if (distinct > bestDistinct) { best = i; bestDistinct = distinct; }
    }
    levels[best]++;
  }
}
