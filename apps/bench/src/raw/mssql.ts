import mssql from 'mssql';
import { Connection, Request } from 'tedious';

/** A row as tedious emits it (without `useColumnNames`): one `{ value }` per column. */
type TediousRow = ReadonlyArray<{ readonly value: unknown }>;
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import { mssqlPoolConfig, tediousConfig } from './driver-options.js';
import type { StreamingBaseline } from './streaming-baseline.js';
import { timeAll } from './time-all.js';

function connect(endpoint: Endpoint): Promise<Connection> {
  const connection = new Connection(tediousConfig(endpoint));
  connection.on('error', () => {});
  return new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve(connection))));
}

function close(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    if (connection.closed) return resolve();
    connection.once('end', () => resolve());
    connection.close();
  });
}

/**
 * One SQL batch on a tedious connection (`execSqlBatch`: what asyncdb sends for a command without parameters).
 * `onRow` receives each row as tedious emits it.
 */
function batch(connection: Connection, sql: string, onRow?: (columns: TediousRow) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new Request(sql, (error) => (error ? reject(error) : resolve()));
    if (onRow) request.on('row', onRow);
    connection.execSqlBatch(request);
  });
}

/** An `mssql` ConnectionPool, connected, whose errors are observed (a dead idle connection must not crash). */
function connectPool(endpoint: Endpoint, max: number): Promise<mssql.ConnectionPool> {
  const pool = new mssql.ConnectionPool(mssqlPoolConfig(endpoint, max));
  pool.on('error', () => {});
  return pool.connect();
}

/**
 * tedious as a competent user writes it: one reused connection and a `Request` per batch; the `mssql` package's
 * `ConnectionPool` (`pool.request().batch()`) for pooling, since tedious has no pool of its own; N connections and
 * `Promise.all` in parallel.
 */
export function createMssqlSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const { selectOne } = DIALECTS.mssql;
  let pool: Promise<mssql.ConnectionPool> | undefined;
  return {
    name: 'tedious',
    baselines: {
      roundTrips: 'tedious execSqlBatch',
      pooled: 'mssql ConnectionPool request().batch()',
      parallel: 'tedious execSqlBatch × N, Promise.all',
    },

    async openSession(): Promise<RoundTripSession> {
      const connection = await connect(endpoint);
      return { selectOne: () => batch(connection, selectOne), close: () => close(connection) };
    },

    async pooledSelectOne(): Promise<void> {
      pool ??= connectPool(endpoint, poolSize);
      await (await pool).request().batch(selectOne);
    },

    async openParallel(count: number, sql: string): Promise<ParallelSessions> {
      const connections = await Promise.all(Array.from({ length: count }, () => connect(endpoint)));
      return {
        runAll: () => timeAll(connections.map((connection) => () => batch(connection, sql))),
        close: async () => {
          await Promise.all(connections.map(close));
        },
      };
    },

    dispose: async () => {
      const active = pool;
      pool = undefined;
      await (await active)?.close();
    },
  };
}

/** Streaming with tedious' `row` events; buffered with the `mssql` package's default (a recordset in memory). */
export const mssqlStreaming: StreamingBaseline = {
  streamName: "tedious Request 'row' events",
  bufferedName: 'mssql request().batch() (buffered recordset)',
  async openStream(endpoint) {
    const connection = await connect(endpoint);
    return {
      run: (sql, sink) =>
        batch(connection, sql, (columns) =>
          sink.add(columns[0]?.value, columns[1]?.value, columns[2]?.value, columns[3]?.value, columns[4]?.value),
        ),
      close: () => close(connection),
    };
  },
  async openBuffered(endpoint) {
    const pool = await connectPool(endpoint, 1);
    return {
      async run(sql, sink) {
        const result = await pool.request().batch<Row>(sql);
        for (const row of result.recordset) sink.add(row.id, row.qty, row.label, row.price, row.active);
      },
      close: () => pool.close(),
    };
  },
};

interface Row {
  readonly id: number;
  readonly qty: number;
  readonly label: string;
  readonly price: number;
  readonly active: boolean;
}
