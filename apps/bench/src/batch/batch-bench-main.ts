/**
 * `npm run batch --workspace=@asyncdb/bench -- [--provider pg|mysql] [--operations N] [--runs R] [--durable 1]`: ten
 * INSERTs, three ways, on one open session each, alternated in one process — asyncdb's `DbBatch` (one round trip),
 * ten sequential `executeNonQuery` calls (ten round trips), and the raw driver (pg with `pipeline: true`: ten queries
 * written back to back; mysql2: ten `execute` calls queued at once, see `mysql-batch-bench.ts`). Reports operations
 * (of ten INSERTs) per second and client CPU per operation; the ratios are DbBatch ÷ the others.
 */
import pg from 'pg';
import { PgConnectionStringBuilder, PgProviderFactory } from '@asyncdb/provider-pg';
import { redactUrl, resolvePostgres } from '@asyncdb/test-servers';
import { INSERTS_PER_OPERATION, argument, compareSides, textArgument, type Side } from './batch-timing.js';
import { BATCH_TABLE, dbBatchSide, sequentialSide } from './asyncdb-batch-sides.js';
import { runMysqlBatchBench } from './mysql-batch-bench.js';

function pipelineSide(client: pg.Client): Side {
  return async (operation) => {
    const inserts: Array<Promise<unknown>> = [];
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      inserts.push(client.query(`INSERT INTO ${BATCH_TABLE} (name) VALUES ($1)`, [`p${operation}-${i}`]));
    }
    await Promise.all(inserts);
  };
}

async function main(): Promise<void> {
  const operations = argument('operations', 2_000);
  const runs = argument('runs', 5);
  // Off by default: ten autocommitted INSERTs wait for ten WAL flushes where a batch (one implicit transaction) waits
  // for one, which would measure the disk rather than the round trips. `--durable 1` keeps synchronous_commit on.
  const durable = argument('durable', 0) === 1;
  const provider = textArgument('provider', 'pg');
  if (provider === 'mysql') return runMysqlBatchBench({ operations, runs, durable });
  if (provider !== 'pg') throw new Error(`--provider must be pg or mysql, not '${provider}'.`);
  const server = await resolvePostgres();
  const url = new URL(server.url);
  const builder = new PgConnectionStringBuilder();
  builder.set('Host', url.hostname);
  builder.set('Port', Number(url.port || 5432));
  builder.set('Username', decodeURIComponent(url.username));
  if (url.password !== '') builder.set('Password', decodeURIComponent(url.password));
  builder.set('Database', decodeURIComponent(url.pathname.slice(1)));
  const batchConnection = PgProviderFactory.instance.createConnection(builder.connectionString);
  const sequentialConnection = PgProviderFactory.instance.createConnection(builder.connectionString);
  const client = new pg.Client({ connectionString: server.url, pipeline: true } as pg.ClientConfig);
  try {
    await batchConnection.open();
    await sequentialConnection.open();
    await client.connect();
    if (!durable) {
      for (const connection of [batchConnection, sequentialConnection]) {
        await connection.createCommand('SET synchronous_commit TO off').executeNonQuery();
      }
      await client.query('SET synchronous_commit TO off');
    }
    await client.query(`DROP TABLE IF EXISTS ${BATCH_TABLE}`);
    await client.query(`CREATE TABLE ${BATCH_TABLE} (id bigserial PRIMARY KEY, name text NOT NULL)`);
    console.log(
      `PostgreSQL ${redactUrl(server.url)}; ${runs} alternated runs of ${operations} operations of ` +
        `${INSERTS_PER_OPERATION} INSERTs; synchronous_commit ${durable ? 'on' : 'off'}`,
    );
    await compareSides(
      [
        ['DbBatch (1 round trip)', dbBatchSide(batchConnection)],
        ['10 × executeNonQuery', sequentialSide(sequentialConnection)],
        ['raw pg pipeline: true', pipelineSide(client)],
      ],
      { operations, runs, between: () => client.query(`TRUNCATE ${BATCH_TABLE}`) },
    );
    await client.query(`DROP TABLE IF EXISTS ${BATCH_TABLE}`);
  } finally {
    await client.end().catch(() => {});
    await batchConnection.close();
    await sequentialConnection.close();
    await PgProviderFactory.instance.clearAllPools();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
