import { Connection, Request, type ConnectionConfiguration } from 'tedious';

/**
 * Helpers for tests that drive the server with the real tedious client: promise wrappers around its
 * callback API, and a collector that records everything a request emits.
 */

/** The connection options every test uses: plain TCP (encrypt false), the fake engine's credentials. */
export function clientConfig(
  port: number,
  overrides: Partial<ConnectionConfiguration['options']> = {},
  password = 'secret',
): ConnectionConfiguration {
  return {
    server: '127.0.0.1',
    authentication: { type: 'default', options: { userName: 'tester', password } },
    options: {
      port,
      encrypt: false,
      trustServerCertificate: true,
      database: 'testdb',
      connectTimeout: 5000,
      requestTimeout: 15000,
      ...overrides,
    },
  };
}

/** Connects; rejects with tedious' error (e.g. the login failure). */
export function connect(config: ConnectionConfiguration): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const connection = new Connection(config);
    connection.on('error', () => undefined); // errors after connect are reported by each request
    connection.connect((error) => (error ? reject(error) : resolve(connection)));
  });
}

/** Closes a connection and waits for its 'end' event. */
export function disconnect(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    if (connection.closed) return resolve();
    connection.once('end', () => resolve());
    connection.close();
  });
}

/** Everything one request emitted. */
export interface Collected {
  error: (Error & { number?: number; code?: string }) | undefined;
  rowCount: number | undefined;
  /** Rows per result set (a new set starts at each columnMetadata). */
  resultSets: unknown[][][];
  columns: Array<
    Array<{
      colName: string;
      type: { name: string };
      dataLength?: number;
      precision?: number;
      scale?: number;
      flags: number;
    }>
  >;
  dones: Array<{
    event: 'done' | 'doneInProc' | 'doneProc';
    rowCount: number | undefined;
    more: boolean;
    returnStatus?: number;
  }>;
  returnValues: Array<{ name: string; value: unknown }>;
}

/** Attaches a collector to a request and returns a promise of what it gathered once it completes. */
export function collect(build: (callback: (error: Error | null | undefined, rowCount?: number) => void) => Request): {
  request: Request;
  done: Promise<Collected>;
} {
  const collected: Collected = {
    error: undefined,
    rowCount: undefined,
    resultSets: [],
    columns: [],
    dones: [],
    returnValues: [],
  };
  let resolve!: (value: Collected) => void;
  const done = new Promise<Collected>((r) => (resolve = r));
  const request = build((error, rowCount) => {
    collected.error = error ?? undefined;
    collected.rowCount = rowCount;
    resolve(collected);
  });
  request.on('columnMetadata', (columns) => {
    collected.columns.push(columns as unknown as Collected['columns'][number]);
    collected.resultSets.push([]);
  });
  request.on('row', (columns) => {
    collected.resultSets.at(-1)?.push((columns as unknown as Array<{ value: unknown }>).map((column) => column.value));
  });
  request.on('done', (rowCount, more) => collected.dones.push({ event: 'done', rowCount, more }));
  request.on('doneInProc', (rowCount, more) => collected.dones.push({ event: 'doneInProc', rowCount, more }));
  request.on('doneProc', (rowCount, more, returnStatus) =>
    collected.dones.push({ event: 'doneProc', rowCount, more, returnStatus: returnStatus as number | undefined }),
  );
  request.on('returnValue', (name, value) => collected.returnValues.push({ name, value }));
  return { request, done };
}

/** Runs a SQL_BATCH and collects its results. */
export function execBatch(connection: Connection, sql: string): Promise<Collected> {
  const { request, done } = collect((callback) => new Request(sql, callback));
  connection.execSqlBatch(request);
  return done;
}

/** Turns a tedious callback API call into a promise. */
export function call<T = void>(
  invoke: (callback: (error: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => invoke((error, value) => (error ? reject(error) : resolve(value as T))));
}
