import postgres from 'postgres';
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import type { StreamingRunner } from './streaming-baseline.js';
import { timeAll } from './time-all.js';

/** Rows per cursor batch: the batch asyncdb's reader and the pg-cursor baseline use. */
const CURSOR_BATCH = 1000;

/** A postgres.js instance on `endpoint` with at most `max` connections (they open lazily). */
function connect(endpoint: Endpoint, max: number): postgres.Sql {
  return postgres({
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    ...(endpoint.password === '' ? {} : { password: endpoint.password }),
    ...(endpoint.database === '' ? {} : { database: endpoint.database }),
    max,
    onnotice: () => {},
  });
}

/**
 * What `` sql`SELECT 1` `` sends, for a text the benchmark holds in a variable: postgres.js runs a tagged template as a
 * named prepared statement (extended protocol, parsed once per connection), while `sql.unsafe(text)` without
 * parameters would use the simple protocol. The options make `unsafe` do what the tagged template a user writes does.
 */
function query(sql: postgres.Sql, text: string): postgres.PendingQuery<postgres.Row[]> {
  return sql.unsafe(text, [], { prepare: true });
}

/** Opens `count` connections now: postgres.js opens one per query in flight until `max`, so `count` at once does. */
async function warm(sql: postgres.Sql, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => query(sql, DIALECTS.pg.selectOne)));
}

/**
 * postgres.js (the `postgres` package, 3.x) as its README teaches it: one `sql` instance, tagged-template queries,
 * no checkout — it holds its own pool of `max` connections and pipelines queries onto them. Round trips use an
 * instance of one connection; the pooled scenarios (2 and 4) one shared instance of `poolSize`; parallelism an
 * instance of N connections.
 */
export function createPostgresJsSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const { selectOne } = DIALECTS.pg;
  let shared: postgres.Sql | undefined;
  return {
    name: 'postgres.js',
    baselines: {
      roundTrips: 'postgres.js sql`SELECT 1` (max 1)',
      pooled: `postgres.js sql\`SELECT 1\` (max ${poolSize}, no checkout)`,
      parallel: 'postgres.js sql`…` × N (max N), Promise.all',
    },

    async openSession(): Promise<RoundTripSession> {
      const sql = connect(endpoint, 1);
      await warm(sql, 1);
      return {
        selectOne: async () => {
          await query(sql, selectOne);
        },
        close: () => sql.end({ timeout: 5 }),
      };
    },

    async pooledSelectOne(): Promise<void> {
      shared ??= connect(endpoint, poolSize);
      await query(shared, selectOne);
    },

    async openParallel(count: number, text: string): Promise<ParallelSessions> {
      const sql = connect(endpoint, count);
      await warm(sql, count);
      return {
        runAll: () => timeAll(Array.from({ length: count }, () => () => query(sql, text).then(() => undefined))),
        close: () => sql.end({ timeout: 5 }),
      };
    },

    dispose: async () => {
      const active = shared;
      shared = undefined;
      await active?.end({ timeout: 5 });
    },
  };
}

/** Streaming with postgres.js's `.cursor(1000)` (a portal read 1 000 rows at a time), read with `for await`. */
export async function openPostgresJsStream(endpoint: Endpoint): Promise<StreamingRunner> {
  const sql = connect(endpoint, 1);
  await warm(sql, 1);
  return {
    async run(text, sink) {
      for await (const rows of sql.unsafe(text).cursor(CURSOR_BATCH)) {
        for (const row of rows) sink.add(row['id'], row['qty'], row['label'], row['price'], row['active']);
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
