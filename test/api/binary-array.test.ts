import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteaArray } from '../../src/server/db/binary-array.js';
import type { Db } from '../../src/server/db/db.js';
import { createTestDatabase } from '../helpers/db.js';

/** byteaArray (db/binary-array.ts): what PostgreSQL reads from the binary array is exactly what was sent. */
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => ({ db, drop } = await createTestDatabase()));
afterAll(() => drop?.());

const roundTrip = async (values: (Buffer | null)[]) => {
  const { rows } = await sql<{ ord: number; v: Buffer | null; n: number | null; dims: string | null }>`
    select u.ord::int as ord, u.v, cardinality(${byteaArray(values)}::bytea[]) as n, array_dims(${byteaArray(values)}::bytea[]) as dims
    from unnest(${byteaArray(values)}::bytea[]) with ordinality as u(v, ord) order by u.ord`.execute(db);
  return rows;
};

describe('bytea[] parameters in binary form', () => {
  it('keeps every element, null and empty ones included, in order', async () => {
    const values = [randomBytes(32), null, Buffer.alloc(0), Buffer.from('\\x00 "quoted", {braces}'), randomBytes(3000), null];
    const rows = await roundTrip(values);
    expect(rows.map((r) => r.v)).toEqual(values);
    expect(rows[0]).toMatchObject({ n: 6, dims: '[1:6]' });
  });

  it('sends an empty array as an empty array', async () => {
    const { rows } = await sql<{ n: number; empty: boolean }>`select cardinality(${byteaArray([])}::bytea[]) as n, ${byteaArray([])}::bytea[] = '{}'::bytea[] as empty`.execute(db);
    expect(rows[0]).toEqual({ n: 0, empty: true });
  });

  it('round-trips any list of byte strings and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)), { nil: null }), { minLength: 1, maxLength: 20 }), async (values) => {
        expect((await roundTrip(values)).map((r) => r.v)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });
});
