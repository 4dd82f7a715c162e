/**
 * `npm run batch --workspace=@asyncdb/bench -- [--operations N] [--runs R]`: ten INSERTs, three ways, on one open
 * session each, alternated in one process — asyncdb's `DbBatch` (one round trip), ten sequential `executeNonQuery`
 * calls (ten round trips), and raw `pg` with `pipeline: true` (ten queries written back to back). Reports operations
 * (of ten INSERTs) per second and client CPU per operation; the ratios are DbBatch ÷ the others.
 */
import pg from 'pg';
import { PgConnectionStringBuilder, PgProviderFactory, type PgConnection } from '@asyncdb/provider-pg';
import { redactUrl, resolvePostgres } from '@asyncdb/test-servers';
import { median, perSecond } from '../stats/stats.js';

const INSERTS_PER_OPERATION = 10;
const TABLE = 'asyncdb_bench_batch';

/** One timed pass of a side: wall-clock operations per second and client CPU microseconds per operation. */
interface Pass {
  readonly opsPerSecond: number;
  readonly cpuMicrosPerOp: number;
}

type Side = (operation: number) => Promise<void>;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

async function timed(side: Side, operations: number): Promise<Pass> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let operation = 0; operation < operations; operation += 1) await side(operation);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { opsPerSecond: perSecond(operations, ms), cpuMicrosPerOp: (cpu.user + cpu.system) / operations };
}

function dbBatchSide(connection: PgConnection): Side {
  return async (operation) => {
    const batch = connection.createBatch();
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      batch.batchCommands
        .add(`INSERT INTO ${TABLE} (name) VALUES (@name)`)
        .parameters.addWithValue('@name', `b${operation}-${i}`);
    }
    await batch.executeNonQuery();
  };
}

function sequentialSide(connection: PgConnection): Side {
  return async (operation) => {
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      const command = connection.createCommand(`INSERT INTO ${TABLE} (name) VALUES (@name)`);
      command.parameters.addWithValue('@name', `s${operation}-${i}`);
      await command.executeNonQuery();
    }
  };
}

function pipelineSide(client: pg.Client): Side {
  return async (operation) => {
    const inserts: Array<Promise<unknown>> = [];
    for (let i = 0; i < INSERTS_PER_OPERATION; i += 1) {
      inserts.push(client.query(`INSERT INTO ${TABLE} (name) VALUES ($1)`, [`p${operation}-${i}`]));
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
    await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await client.query(`CREATE TABLE ${TABLE} (id bigserial PRIMARY KEY, name text NOT NULL)`);
    const sides: ReadonlyArray<readonly [string, Side]> = [
      ['DbBatch (1 round trip)', dbBatchSide(batchConnection)],
      ['10 × executeNonQuery', sequentialSide(sequentialConnection)],
      ['raw pg pipeline: true', pipelineSide(client)],
    ];
    // Untimed warm-up, so V8 has optimised every side before anything is measured.
    for (const [, side] of sides) await timed(side, Math.max(500, operations / 10));
    const passes = new Map<string, Pass[]>(sides.map(([name]) => [name, []]));
    for (let run = 0; run < runs; run += 1) {
      for (const [name, side] of sides) {
        const pass = await timed(side, operations);
        passes.get(name)!.push(pass);
        await client.query(`TRUNCATE ${TABLE}`);
      }
    }
    console.log(
      `PostgreSQL ${redactUrl(server.url)}; ${runs} alternated runs of ${operations} operations of ` +
        `${INSERTS_PER_OPERATION} INSERTs; synchronous_commit ${durable ? 'on' : 'off'}`,
    );
    console.log(['side', 'ops/s (median)', 'client CPU µs/op (median)'].join('\t'));
    const summary = sides.map(([name]) => {
      const list = passes.get(name)!;
      const ops = median(list.map((pass) => pass.opsPerSecond));
      const cpu = median(list.map((pass) => pass.cpuMicrosPerOp));
      console.log([name, ops.toFixed(0), cpu.toFixed(1)].join('\t'));
      return { ops, cpu };
    });
    const [batch, sequential, pipeline] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
    console.log(
      `DbBatch ÷ 10 × executeNonQuery: ${(batch.ops / sequential.ops).toFixed(2)}× ops/s, ${(batch.cpu / sequential.cpu).toFixed(2)}× CPU/op`,
    );
    console.log(
      `DbBatch ÷ raw pg pipeline: ${(batch.ops / pipeline.ops).toFixed(2)}× ops/s, ${(batch.cpu / pipeline.cpu).toFixed(2)}× CPU/op`,
    );
    await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
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
