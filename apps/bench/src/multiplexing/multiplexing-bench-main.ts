/**
 * `npm run multiplexing --workspace=@asyncdb/bench -- [--queries N] [--runs R] [--callers C] [--pool P]`: C callers
 * (default 100) share P sessions (default 10) for N queries, alternated in one process, four ways — asyncdb with
 * `Multiplexing=true`, asyncdb pooled (the default), raw `pg.Pool` (`pool.query`), and postgres.js (`max: P`, which
 * pipelines by itself). Two workloads: `SELECT 1` and a small parameterised query. Reports queries/s, p99 latency and
 * client CPU per query (medians of the runs), and the ratios of multiplexed asyncdb to each other side.
 *
 * Then head-of-line blocking: the same callers running `SELECT 1` while one more caller reads a 200 000-row result
 * slowly (1 ms pause every 1 000 rows), on the multiplexer and on the pool, against a run without the slow reader.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import postgres from 'postgres';
import { PgConnectionStringBuilder, PgProviderFactory } from '@asyncdb/provider-pg';
import { redactUrl, resolvePostgres } from '@asyncdb/test-servers';
import { median, p99, perSecond } from '../stats/stats.js';

/** One workload: the SQL in asyncdb's and in the drivers' spelling, and the parameters of query `i`. */
interface Workload {
  readonly name: string;
  readonly asyncdbSql: string;
  readonly driverSql: string;
  readonly parameters: (i: number) => Array<string | number>;
  readonly names: readonly string[];
}

const WORKLOADS: readonly Workload[] = [
  { name: 'SELECT 1', asyncdbSql: 'SELECT 1', driverSql: 'SELECT 1', parameters: () => [], names: [] },
  {
    name: 'parameterised',
    asyncdbSql: 'SELECT @id::int + 1 AS next, @label::text AS label',
    driverSql: 'SELECT $1::int + 1 AS next, $2::text AS label',
    parameters: (i) => [i, `item-${i % 100}`],
    names: ['@id', '@label'],
  },
];

/** One query of a side: resolves once its result is in. */
type Query = (i: number) => Promise<unknown>;

interface Pass {
  readonly queriesPerSecond: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerQuery: number;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

/** `callers` loops taking the next query number until `queries` have run (a web server's requests). */
async function load(query: Query, callers: number, queries: number): Promise<Pass> {
  const latencies = new Float64Array(queries);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let index = next++; index < queries; index = next++) {
        const begun = performance.now();
        await query(index);
        latencies[index] = performance.now() - begun;
      }
    }),
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    queriesPerSecond: perSecond(queries, ms),
    p99Ms: p99(Array.from(latencies)),
    cpuMicrosPerQuery: (cpu.user + cpu.system) / queries,
  };
}

/** asyncdb as documented: a new connection per query, open, execute, close (pooled or multiplexed). */
function asyncdbQuery(connectionString: string, workload: Workload): Query {
  const factory = PgProviderFactory.instance;
  return async (i) => {
    const connection = factory.createConnection(connectionString);
    await connection.open();
    try {
      const command = connection.createCommand(workload.asyncdbSql);
      const values = workload.parameters(i);
      workload.names.forEach((name, k) => command.parameters.addWithValue(name, values[k]));
      return await command.executeScalar();
    } finally {
      await connection.close();
    }
  };
}

function pgPoolQuery(pool: pg.Pool, workload: Workload): Query {
  return (i) => pool.query(workload.driverSql, workload.parameters(i));
}

function postgresJsQuery(sql: postgres.Sql, workload: Workload): Query {
  // What a tagged template sends (a prepared statement), for a text held in a variable.
  return (i) => sql.unsafe(workload.driverSql, workload.parameters(i), { prepare: true });
}

/** Reads a 200 000-row result slowly on its own connection of `connectionString`, until `stop` is set. */
async function slowReader(connectionString: string, stop: { value: boolean }): Promise<number> {
  let rows = 0;
  while (!stop.value) {
    await using connection = PgProviderFactory.instance.createConnection(connectionString);
    await connection.open();
    const reader = await connection
      .createCommand("SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g")
      .executeReader();
    while (!stop.value && (await reader.read())) {
      rows += 1;
      if (rows % 1000 === 0) await sleep(1);
    }
    await reader.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const queries = argument('queries', 20_000);
  const runs = argument('runs', 3);
  const callers = argument('callers', 100);
  const poolSize = argument('pool', 10);
  const server = await resolvePostgres();
  const url = new URL(server.url);
  const builder = new PgConnectionStringBuilder();
  builder.set('Host', url.hostname);
  builder.set('Port', Number(url.port || 5432));
  builder.set('Username', decodeURIComponent(url.username));
  if (url.password !== '') builder.set('Password', decodeURIComponent(url.password));
  builder.set('Database', decodeURIComponent(url.pathname.slice(1)));
  builder.set('Max Pool Size', poolSize);
  const pooledString = builder.connectionString;
  builder.set('Multiplexing', true);
  const muxString = builder.connectionString;
  const pool = new pg.Pool({ connectionString: server.url, max: poolSize });
  const sql = postgres(server.url, { max: poolSize, onnotice: () => {} });
  const log = (line: string) => console.log(line);
  try {
    log(
      `PostgreSQL ${redactUrl(server.url)}; ${callers} callers, ${poolSize} sessions, ${queries} queries per run, ` +
        `${runs} alternated runs per side; Node ${process.version}`,
    );
    for (const workload of WORKLOADS) {
      const sides: ReadonlyArray<readonly [string, Query]> = [
        ['asyncdb Multiplexing=true', asyncdbQuery(muxString, workload)],
        ['asyncdb pooled', asyncdbQuery(pooledString, workload)],
        [`raw pg.Pool (max ${poolSize}) pool.query`, pgPoolQuery(pool, workload)],
        [`postgres.js (max ${poolSize})`, postgresJsQuery(sql, workload)],
      ];
      for (const [, query] of sides) await load(query, callers, Math.max(2_000, queries / 10));
      const passes = new Map<string, Pass[]>(sides.map(([name]) => [name, []]));
      for (let run = 0; run < runs; run += 1) {
        for (const [name, query] of sides) passes.get(name)!.push(await load(query, callers, queries));
      }
      log(`\n${workload.name}: ${workload.driverSql}`);
      log(['side', 'queries/s', 'p99 ms', 'client CPU µs/query'].join('\t'));
      const summary = new Map<string, { qps: number; cpu: number }>();
      for (const [name] of sides) {
        const list = passes.get(name)!;
        const qps = median(list.map((pass) => pass.queriesPerSecond));
        const cpu = median(list.map((pass) => pass.cpuMicrosPerQuery));
        summary.set(name, { qps, cpu });
        log([name, qps.toFixed(0), median(list.map((pass) => pass.p99Ms)).toFixed(1), cpu.toFixed(1)].join('\t'));
      }
      const mux = summary.get(sides[0]![0])!;
      for (const [name] of sides.slice(1)) {
        const other = summary.get(name)!;
        log(
          `Multiplexing ÷ ${name}: ${(mux.qps / other.qps).toFixed(2)}× queries/s, ${(mux.cpu / other.cpu).toFixed(2)}× CPU/query`,
        );
      }
    }

    log(`\nhead-of-line: ${callers - 1} callers running SELECT 1 while one more reads 200 000 rows slowly`);
    log(['side', 'slow reader', 'queries/s', 'p99 ms'].join('\t'));
    for (const [name, text] of [
      ['asyncdb Multiplexing=true', muxString],
      ['asyncdb pooled', pooledString],
    ] as const) {
      const query = asyncdbQuery(text, WORKLOADS[0]!);
      for (const withReader of [false, true]) {
        const list: Pass[] = [];
        for (let run = 0; run < runs; run += 1) {
          const stop = { value: false };
          const reading = withReader ? slowReader(text, stop) : Promise.resolve(0);
          if (withReader) await sleep(50);
          list.push(await load(query, callers - 1, queries));
          stop.value = true;
          await reading;
        }
        log(
          [
            name,
            withReader ? 'yes' : 'no',
            median(list.map((pass) => pass.queriesPerSecond)).toFixed(0),
            median(list.map((pass) => pass.p99Ms)).toFixed(1),
          ].join('\t'),
        );
      }
    }
  } finally {
    await pool.end().catch(() => {});
    await sql.end().catch(() => {});
    await PgProviderFactory.instance.clearAllPools();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
