import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { PERSON_RECORD_COLUMNS, type PersonRecord } from '../../shared/linkage/person-record.js';
import { FIELDS, levelName } from './comparison.js';
import type { LinkedPair } from './link.js';

/** Why a CSV file could not be used; each code has one clear message for the person running the tool. */
export type CsvProblemCode = 'malformed_csv' | 'missing_column' | 'empty_id' | 'duplicate_id';
export type CsvResult<T> = { ok: true; value: T } | { ok: false; code: CsvProblemCode; message: string };

function parseRows(text: string): CsvResult<{ header: string[]; rows: string[][] }> {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][];
  } catch (error) {
    return { ok: false, code: 'malformed_csv', message: `not a readable CSV file: ${(error as Error).message}` };
  }
  if (rows.length === 0) return { ok: false, code: 'malformed_csv', message: 'the file is empty (a header row is required)' };
  // Header names are matched loosely: "ID", " Given Names " and "given-names" all work.
  const header = rows[0].map((name) => name.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  return { ok: true, value: { header, rows: rows.slice(1) } };
}

/**
 * Read person records from CSV text with a header row. Only `id` is required; other known columns
 * (PERSON_RECORD_COLUMNS) are optional, unknown columns are ignored. Ids must be unique and non-empty.
 */
export function parsePeopleCsv(text: string): CsvResult<PersonRecord[]> {
  const parsed = parseRows(text);
  if (!parsed.ok) return parsed;
  const { header, rows } = parsed.value;
  const columnIndex = new Map<string, number>();
  header.forEach((name, index) => { if (!columnIndex.has(name)) columnIndex.set(name, index); });
  const idIndex = columnIndex.get('id');
  if (idIndex === undefined) return { ok: false, code: 'missing_column', message: 'the header has no "id" column' };
  const present = PERSON_RECORD_COLUMNS.filter((column) => column !== 'id' && columnIndex.has(column));
  const records: PersonRecord[] = [];
  const seen = new Set<string>();
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex];
    const line = rowIndex + 2; // 1-based, after the header
    const id = (row[idIndex] ?? '').trim();
    if (!id) return { ok: false, code: 'empty_id', message: `row ${line} has an empty id` };
    if (seen.has(id)) return { ok: false, code: 'duplicate_id', message: `id "${id}" appears more than once (again on row ${line})` };
    seen.add(id);
    const record: PersonRecord = { id };
    for (const column of present) {
      const value = row[columnIndex.get(column)!];
      if (value !== undefined && value.trim() !== '') record[column] = value;
    }
    records.push(record);
  }
  return { ok: true, value: records };
}

export function formatPeopleCsv(records: readonly PersonRecord[]): string {
  return stringify(records.map((record) => PERSON_RECORD_COLUMNS.map((column) => record[column] ?? '')), { header: true, columns: [...PERSON_RECORD_COLUMNS] });
}

/** Pairs as id_a,id_b (the truth file of a benchmark, or any list of pairs). */
export function formatIdPairsCsv(pairs: ReadonlyArray<readonly [string, string]>): string {
  return stringify(pairs.map(([a, b]) => [a, b]), { header: true, columns: ['id_a', 'id_b'] });
}

/** Linked pairs with score, probability, class and the agreement level of every compared field. */
export function formatLinkedPairsCsv(pairs: readonly LinkedPair[], ids: readonly string[]): string {
  const columns = ['id_a', 'id_b', 'score', 'probability', 'class', ...FIELDS];
  const rows = pairs.map((pair) => [
    ids[pair.a], ids[pair.b], pair.score.toFixed(2), pair.probability.toFixed(4), pair.pairClass,
    ...FIELDS.map((_, field) => levelName(pair.pattern, field)),
  ]);
  return stringify(rows, { header: true, columns });
}

/**
 * Read pairs from CSV with id_a and id_b columns. When a `class` column is present only rows whose class
 * is "match" are kept, so the output of `linkage run --review` can be evaluated as it is.
 */
export function parseIdPairsCsv(text: string): CsvResult<Array<[string, string]>> {
  const parsed = parseRows(text);
  if (!parsed.ok) return parsed;
  const { header, rows } = parsed.value;
  const a = header.indexOf('id_a');
  const b = header.indexOf('id_b');
  if (a < 0 || b < 0) return { ok: false, code: 'missing_column', message: 'the header needs "id_a" and "id_b" columns' };
  const classIndex = header.indexOf('class');
  const pairs: Array<[string, string]> = [];
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex];
    if (classIndex >= 0 && (row[classIndex] ?? '').trim() !== 'match') continue;
    const idA = (row[a] ?? '').trim();
    const idB = (row[b] ?? '').trim();
    if (!idA || !idB) return { ok: false, code: 'empty_id', message: `row ${rowIndex + 2} has an empty id` };
    pairs.push([idA, idB]);
  }
  return { ok: true, value: pairs };
}
