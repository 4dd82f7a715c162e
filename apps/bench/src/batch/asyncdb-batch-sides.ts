import type { DbConnection } from '@asyncdb/core';
import { INSERTS_PER_OPERATION, type Side } from './batch-timing.js';

/** The table every batch bench writes to. */
export const BATCH_TABLE = 'asyncdb_bench_batch';

/** asyncdb's `DbBatch` of ten INSERTs, written once for every provider (the point of asyncdb). */
export function dbBatchSide(connection: DbConnection): Side {
  return async (operation) => {
    const batch = connection.createBatch();
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      batch.batchCommands
        .add(`INSERT INTO ${BATCH_TABLE} (name) VALUES (@name)`)
        .parameters.addWithValue('@name', `b${operation}-${i}`);
    }
    await batch.executeNonQuery();
  };
}

/** The same ten INSERTs as ten sequential `executeNonQuery` calls: ten round trips. */
export function sequentialSide(connection: DbConnection): Side {
  return async (operation) => {
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      const command = connection.createCommand(`INSERT INTO ${BATCH_TABLE} (name) VALUES (@name)`);
      command.parameters.addWithValue('@name', `s${operation}-${i}`);
      await command.executeNonQuery();
    }
  };
}
