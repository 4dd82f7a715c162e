import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import { pgConfig } from './driver-options.js';
import { timeAll } from './time-all.js';
import type { StreamingBaseline } from './streaming-baseline.js';

/** Rows per `cursor.read()`: the same batch size asyncdb's reader asks its provider for. */
const CURSOR_BATCH = 1000;

async function connectClient(endpoint: Endpoint): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(endpoint));
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A `pg.Pool` with the 'error' listener pg's documentation requires (an idle client that dies must not crash). */
function createPool(endpoint: Endpoint, max: number): pg.Pool {
  const pool = new pg.Pool({ ...pgConfig(endpoint), max });
  pool.on('error', () => {});
  return pool;
}

/**
 * `pg` as a competent user writes it: one reused `pg.Client` and `client.query(text)` (the simple protocol, one
 * round trip) for round trips; `pg.Pool` `connect()`/`release()` for pooling; N clients and `Promise.all` in parallel.
 */
export function createPgSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const { selectOne } = DIALECTS.pg;
  let pool: pg.Pool | undefined;
  return {
    name: 'pg',
    baselines: { roundTrips: 'pg.Client#query', pooled: 'pg.Pool connect/query/release', parallel: 'pg.Client#query × N, Promise.all' },

    async openSession(): Promise<RoundTripSession> {
      const client = await connectClient(endpoint);
      return {
        selectOne: async () => {
          await client.query(selectOne);
        },
        close: () => client.end(),
      };
    },

    async pooledSelectOne(): Promise<void> {
      pool ??= createPool(endpoint, poolSize);
      const client = await pool.connect();
      try {
        await client.query(selectOne);
      } finally {
        client.release();
      }
    },

    async openParallel(count: number, sql: string): Promise<ParallelSessions> {
      const clients = await Promise.all(Array.from({ length: count }, () => connectClient(endpoint)));
      return {
        runAll: () => timeAll(clients.map((client) => () => client.query(sql))),
        close: async () => {
          await Promise.all(clients.map((client) => client.end()));
        },
      };
    },

    dispose: async () => {
      await pool?.end();
      pool = undefined;
    },
  };
}

/** Streaming with `pg-cursor` (batches of {@link CURSOR_BATCH}); buffered with the default `client.query`. */
export const pgStreaming: StreamingBaseline = {
  streamName: `pg-cursor read(${CURSOR_BATCH})`,
  bufferedName: 'pg client.query (buffered)',
  async openStream(endpoint) {
    const client = await connectClient(endpoint);
    return {
      async run(sql, sink) {
        const cursor = client.query(new Cursor<Row>(sql));
        for (;;) {
          const rows = await cursor.read(CURSOR_BATCH);
          if (rows.length === 0) break;
          for (const row of rows) sink.add(row.id, row.qty, row.label, row.price, row.active);
        }
        await cursor.close();
      },
      close: () => client.end(),
    };
  },
  async openBuffered(endpoint) {
    const client = await connectClient(endpoint);
    return {
      async run(sql, sink) {
        const result = await client.query<Row>(sql);
        for (const row of result.rows) sink.add(row.id, row.qty, row.label, row.price, row.active);
      },
      close: () => client.end(),
    };
  },
  // pg's pipeline mode is not here: it refuses pg-cursor (a portal cannot share a pipelined connection), and its
  // buffered query is the plain one's.
  alternatives: [
    {
      name: 'postgres.js .cursor(1000)',
      open: async (endpoint) => (await import('./postgres-js.js')).openPostgresJsStream(endpoint),
    },
  ],
};

interface Row {
  readonly id: number;
  readonly qty: number;
  readonly label: string;
  readonly price: number;
  readonly active: boolean;
}
