import { DbDataReader } from '@asyncdb/core';

/**
 * A forward-only reader over PostgreSQL results. Mirrors `NpgsqlDataReader`; all behaviour is core's
 * {@link DbDataReader}, fed by the provider's streaming cursor (rows are fetched from a server-side portal in bounded
 * batches as you read).
 */
export class PgDataReader extends DbDataReader {}
