import mysql from 'mysql2/promise';
import { MysqlConnectionStringBuilder, MysqlProviderFactory } from '@asyncdb/provider-mysql';
import { redactUrl, resolveMysql } from '@asyncdb/test-servers';
import { INSERTS_PER_OPERATION, compareSides, type Side } from './batch-timing.js';
import { BATCH_TABLE, dbBatchSide, sequentialSide } from './asyncdb-batch-sides.js';

/** mysql2 itself: ten `execute` calls at once (it queues them and sends each once the previous one is answered). */
function mysql2Side(client: mysql.Connection): Side {
  return async (operation) => {
    const inserts: Array<Promise<unknown>> = [];
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      inserts.push(client.execute(`INSERT INTO ${BATCH_TABLE} (name) VALUES (?)`, [`m${operation}-${i}`]));
    }
    await Promise.all(inserts);
  };
}

/**
 * The MySQL/MariaDB batch bench: asyncdb's `DbBatch` (one pipelined write), ten sequential `executeNonQuery` calls
 * (ten round trips — what a `DbBatch` cost before issue 16), and raw mysql2 with ten `execute` calls queued at once.
 * The table is `ENGINE=MEMORY` unless `durable` (InnoDB): ten autocommitted InnoDB INSERTs wait for ten log flushes
 * on every side, which measures the disk rather than the round trips.
 */
export async function runMysqlBatchBench(options: {
  readonly operations: number;
  readonly runs: number;
  readonly durable: boolean;
}): Promise<void> {
  const server = await resolveMysql();
  const builder = new MysqlConnectionStringBuilder(server.url);
  builder.set('Pooling', false);
  const batchConnection = MysqlProviderFactory.instance.createConnection(builder.connectionString);
  const sequentialConnection = MysqlProviderFactory.instance.createConnection(builder.connectionString);
  const client = await mysql.createConnection(server.url);
  try {
    await batchConnection.open();
    await sequentialConnection.open();
    await client.query(`DROP TABLE IF EXISTS ${BATCH_TABLE}`);
    await client.query(
      `CREATE TABLE ${BATCH_TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL) ` +
        `ENGINE=${options.durable ? 'InnoDB' : 'MEMORY'}`,
    );
    console.log(
      `MySQL ${redactUrl(server.url)} (${batchConnection.serverVersion}); ${options.runs} alternated runs of ` +
        `${options.operations} operations of ${INSERTS_PER_OPERATION} INSERTs; ` +
        `table ENGINE=${options.durable ? 'InnoDB' : 'MEMORY'}`,
    );
    await compareSides(
      [
        ['DbBatch (1 round trip)', dbBatchSide(batchConnection)],
        ['10 × executeNonQuery', sequentialSide(sequentialConnection)],
        ['raw mysql2 10 × execute', mysql2Side(client)],
      ],
      { ...options, between: () => client.query(`TRUNCATE TABLE ${BATCH_TABLE}`) },
    );
    await client.query(`DROP TABLE IF EXISTS ${BATCH_TABLE}`);
  } finally {
    await client.end().catch(() => {});
    await batchConnection.close();
    await sequentialConnection.close();
    await server.stop();
  }
}
