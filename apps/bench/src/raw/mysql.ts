import mysql from 'mysql2';
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import { mysqlConfig } from './driver-options.js';
import type { StreamingBaseline } from './streaming-baseline.js';
import { timeAll } from './time-all.js';

async function connect(endpoint: Endpoint): Promise<mysql.Connection> {
  const connection = mysql.createConnection(mysqlConfig(endpoint));
  connection.on('error', () => {});
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  return connection;
}

/**
 * mysql2's callback API promisified by hand — `mysql2/promise` creates an `Error` per query for its stack traces,
 * which would make the baseline slower than the driver really is.
 */
function query<T = unknown>(connection: mysql.Connection | mysql.PoolConnection, sql: string): Promise<T> {
  return new Promise<T>((resolve, reject) => connection.query(sql, (error, result) => (error ? reject(error) : resolve(result as T))));
}

function end(connection: mysql.Connection): Promise<void> {
  return new Promise((resolve) => connection.end(() => resolve()));
}

/** A mysql2 pool that keeps its connections (no idle pruning during a run) and never crashes on a dead idle one. */
function createPool(endpoint: Endpoint, size: number): mysql.Pool {
  const pool = mysql.createPool({ ...mysqlConfig(endpoint), connectionLimit: size, maxIdle: size });
  pool.on('connection', (connection) => connection.on('error', () => {}));
  return pool;
}

/**
 * mysql2 as a competent user writes it: one reused connection and `connection.query` (text protocol, like asyncdb for
 * a statement without parameters); a pool with `getConnection`/`release`; N connections and `Promise.all`.
 */
export function createMysqlSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const { selectOne } = DIALECTS.mysql;
  let pool: mysql.Pool | undefined;
  return {
    name: 'mysql2',
    baselines: {
      roundTrips: 'mysql2 connection.query',
      pooled: 'mysql2 pool getConnection/query/release',
      parallel: 'mysql2 connection.query × N, Promise.all',
    },

    async openSession(): Promise<RoundTripSession> {
      const connection = await connect(endpoint);
      return { selectOne: () => query(connection, selectOne).then(() => undefined), close: () => end(connection) };
    },

    async pooledSelectOne(): Promise<void> {
      pool ??= createPool(endpoint, poolSize);
      const active = pool;
      const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
        active.getConnection((error, taken) => (error ? reject(error) : resolve(taken))),
      );
      try {
        await query(connection, selectOne);
      } finally {
        connection.release();
      }
    },

    async openParallel(count: number, sql: string): Promise<ParallelSessions> {
      const connections = await Promise.all(Array.from({ length: count }, () => connect(endpoint)));
      return {
        runAll: () => timeAll(connections.map((connection) => () => query(connection, sql))),
        close: async () => {
          await Promise.all(connections.map(end));
        },
      };
    },

    dispose: async () => {
      const active = pool;
      pool = undefined;
      if (active) await new Promise<void>((resolve) => active.end(() => resolve()));
    },
  };
}

/**
 * Streaming with `connection.query()`'s `'result'` events, each row handled as it is parsed (the fastest way mysql2
 * offers, and bounded: nothing is buffered beyond the socket's chunk); buffered with the default `connection.query`.
 * (`query().stream()` read with `for await` was measured too and is slower: a baseline must not be.)
 */
export const mysqlStreaming: StreamingBaseline = {
  streamName: "mysql2 query() 'result' events",
  bufferedName: 'mysql2 connection.query (buffered)',
  async openStream(endpoint) {
    const connection = await connect(endpoint);
    return {
      run: (sql, sink) =>
        new Promise<void>((resolve, reject) => {
          connection
            .query(sql)
            .on('result', (row) => {
              const values = row as Row;
              sink.add(values.id, values.qty, values.label, values.price, values.active);
            })
            .on('error', reject)
            .on('end', () => resolve());
        }),
      close: () => end(connection),
    };
  },
  async openBuffered(endpoint) {
    const connection = await connect(endpoint);
    return {
      async run(sql, sink) {
        for (const row of await query<Row[]>(connection, sql)) sink.add(row.id, row.qty, row.label, row.price, row.active);
      },
      close: () => end(connection),
    };
  },
};

interface Row {
  readonly id: number;
  readonly qty: number;
  readonly label: string;
  readonly price: number;
  readonly active: number;
}
