import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import type { StreamingBaseline, StreamingRunner } from './streaming-baseline.js';

const require = createRequire(import.meta.url);

/** libsql's synchronous API (`libsql`, better-sqlite3's interface), as far as the baselines use it. */
interface SyncStatement {
  raw(toggle?: boolean): SyncStatement;
  get(): unknown[] | undefined;
  iterate(): IterableIterator<unknown[]>;
  all(): unknown[][];
}
interface SyncDatabase {
  prepare(sql: string): SyncStatement;
  close(): void;
}

/** Rows per batch a reader asks for: the same as asyncdb's reader and the other engines' cursors. */
const BATCH = 1000;

/**
 * The worker of the raw baseline: libsql's synchronous API in a thread of its own, answering one message per
 * request — what a user who must not block the event loop writes by hand, and the least such a design can cost.
 * Statements are prepared once per text. Evaluated as a script (no module of its own), like asyncdb's worker.
 */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const statements = new Map();
let rows;
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) { statement = db.prepare(sql).raw(true); statements.set(sql, statement); }
  return statement;
};
const take = (max) => {
  const batch = [];
  while (batch.length < max) {
    const next = rows.next();
    if (next.done) { rows = undefined; return { rows: batch, done: true }; }
    batch.push(next.value);
  }
  return { rows: batch, done: false };
};
parentPort.on('message', (message) => {
  try {
    switch (message.op) {
      case 'scalar': parentPort.postMessage({ id: message.id, value: prepared(message.sql).get()?.[0] }); break;
      case 'execute': rows = prepared(message.sql).iterate(); parentPort.postMessage({ id: message.id, ...take(message.maxRows) }); break;
      case 'fetch': parentPort.postMessage({ id: message.id, ...take(message.maxRows) }); break;
      case 'close': db.close(); parentPort.postMessage({ id: message.id }); break;
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message || error) });
  }
});
`;

/** A libsql database in a worker thread, one request at a time. */
class WorkerDatabase {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: Record<string, unknown>): void; reject(error: Error): void }>();
  #next = 0;

  constructor(path: string) {
    this.#worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { driver: require.resolve('libsql'), path } });
    this.#worker.on('message', (message: Record<string, unknown>) => {
      const pending = this.#pending.get(message['id'] as number);
      if (!pending) return;
      this.#pending.delete(message['id'] as number);
      if (typeof message['error'] === 'string') pending.reject(new Error(message['error']));
      else pending.resolve(message);
    });
    this.#worker.on('error', (error) => {
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = (this.#next += 1);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => {});
    await this.#worker.terminate();
  }
}

function openSync(path: string): SyncDatabase {
  const Database = require('libsql') as new (path: string) => SyncDatabase;
  return new Database(path);
}

const NOT_MEASURED = 'not measured on SQLite (apps/bench README, "SQLite")';

/**
 * libsql as a user writes it when the event loop must not block: a worker thread per connection running libsql's
 * synchronous API, one message per request (`src/raw/sqlite.ts`). Only round trips use a subject on SQLite.
 */
export function createSqliteSubject(endpoint: Endpoint): BenchSubject {
  const { selectOne } = DIALECTS.sqlite;
  return {
    name: 'libsql',
    baselines: { roundTrips: 'libsql in a worker, a message per query', pooled: NOT_MEASURED, parallel: NOT_MEASURED },
    async openSession(): Promise<RoundTripSession> {
      const database = new WorkerDatabase(endpoint.database);
      return {
        selectOne: async () => {
          await database.request({ op: 'scalar', sql: selectOne });
        },
        close: () => database.close(),
      };
    },
    pooledSelectOne: () => Promise.reject(new Error(NOT_MEASURED)),
    openParallel: (): Promise<ParallelSessions> => Promise.reject(new Error(NOT_MEASURED)),
    dispose: () => Promise.resolve(),
  };
}

/**
 * libsql's synchronous API on the main thread: the cheapest a query can be — and what asyncdb must not do, since
 * every statement blocks the event loop for its whole duration. The floor, not a fair peer.
 */
export function createSqliteSyncSubject(endpoint: Endpoint): BenchSubject {
  const { selectOne } = DIALECTS.sqlite;
  return {
    name: 'libsql sync',
    baselines: { roundTrips: 'libsql sync on the main thread (blocks the event loop)', pooled: NOT_MEASURED, parallel: NOT_MEASURED },
    async openSession(): Promise<RoundTripSession> {
      const database = openSync(endpoint.database);
      const statement = database.prepare(selectOne).raw(true);
      return {
        selectOne: async () => {
          statement.get();
        },
        close: async () => database.close(),
      };
    },
    pooledSelectOne: () => Promise.reject(new Error(NOT_MEASURED)),
    openParallel: (): Promise<ParallelSessions> => Promise.reject(new Error(NOT_MEASURED)),
    dispose: () => Promise.resolve(),
  };
}

/** Reads every row of `rows` into the sink. */
function sinkAll(rows: Iterable<unknown[]>, sink: Parameters<StreamingRunner['run']>[1]): void {
  for (const row of rows) sink.add(row[0], row[1], row[2], row[3], row[4]);
}

/**
 * Streaming: the worker reads batches of {@link BATCH} rows, one request each (the rows/s baseline); buffered:
 * libsql's synchronous `all()` on the main thread (the memory baseline, what a user writes by default); and the
 * synchronous iterator on the main thread as the floor.
 */
export const sqliteStreaming: StreamingBaseline = {
  streamName: `libsql in a worker, batches of ${BATCH}`,
  bufferedName: 'libsql sync all() (buffered, main thread)',
  async openStream(endpoint) {
    const database = new WorkerDatabase(endpoint.database);
    return {
      async run(sql, sink) {
        let batch = await database.request({ op: 'execute', sql, maxRows: BATCH });
        for (;;) {
          sinkAll(batch['rows'] as unknown[][], sink);
          if (batch['done'] === true) return;
          batch = await database.request({ op: 'fetch', maxRows: BATCH });
        }
      },
      close: () => database.close(),
    };
  },
  async openBuffered(endpoint) {
    const database = openSync(endpoint.database);
    return {
      async run(sql, sink) {
        sinkAll(database.prepare(sql).raw(true).all(), sink);
      },
      close: async () => database.close(),
    };
  },
  alternatives: [
    {
      name: 'libsql sync iterate() (main thread, blocks the event loop)',
      async open(endpoint) {
        const database = openSync(endpoint.database);
        return {
          async run(sql, sink) {
            sinkAll(database.prepare(sql).raw(true).iterate(), sink);
          },
          close: async () => database.close(),
        };
      },
    },
  ],
};
