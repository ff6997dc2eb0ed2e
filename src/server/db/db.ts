import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A repository function accepts the database handle or a transaction, whichever the service holds. */
export type DbOrTx = Db | Tx;

// bigint (int8) columns (sequence numbers, counts) come back as JS numbers: ours stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export function createDb(connectionString: string, { max = 20 }: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max, application_name: 'catalyst' });
  // An idle client that errors (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
