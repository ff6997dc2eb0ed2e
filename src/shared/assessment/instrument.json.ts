import { parseInstrument, type ParseInstrumentResult } from './instrument.validate.js';
import type { Instrument } from './instrument.schema.js';

/**
 * JSON import/export of instruments. Export is a stable serialisation: object keys sorted, arrays in their
 * meaningful order, two-space indent and a final newline, so the same instrument always gives the same bytes and
 * versions diff cleanly in review.
 */
export function exportInstrument(instrument: Instrument): string {
  return stableStringify(instrument) + '\n';
}

export function importInstrument(json: string): ParseInstrumentResult {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ code: 'invalid_json', subject: 'instrument', path: '(root)', message: `not valid JSON: ${message}` }] };
  }
  return parseInstrument(raw);
}

export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}
