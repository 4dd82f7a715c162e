import type { ProviderName } from '../cli/names.js';

/** The benchmark's table: id, qty, label, price, active — five columns of the common types. */
export const BENCH_TABLE = 'asyncdb_bench_rows';

/** The SQL each scenario runs, written for one engine. asyncdb and the raw driver always send the same text. */
export interface Dialect {
  /** Scenarios 1, 2 and 4. */
  readonly selectOne: string;
  /** Scenario 3: the first `rows` rows of the benchmark table, five columns. */
  streamRows(rows: number): string;
  /** Scenario 5: a command that takes `ms` on the server and returns one row. */
  sleep(ms: number): string;
}

function rowsQuery(rows: number): string {
  return `SELECT id, qty, label, price, active FROM ${BENCH_TABLE} WHERE id <= ${Math.trunc(rows)}`;
}

/** `WAITFOR DELAY` wants a time of day. */
function waitForDelay(ms: number): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const whole = Math.round(ms);
  return `${pad(Math.floor(whole / 3_600_000))}:${pad(Math.floor(whole / 60_000) % 60)}:${pad(Math.floor(whole / 1000) % 60)}.${pad(whole % 1000, 3)}`;
}

/** Each provider's dialect. */
export const DIALECTS: Readonly<Record<ProviderName, Dialect>> = Object.freeze({
  pg: {
    selectOne: 'SELECT 1',
    streamRows: rowsQuery,
    // pg_sleep returns void, which would make asyncdb look up an unknown type once; select a constant instead.
    sleep: (ms: number) => `SELECT 1 AS slept FROM pg_sleep(${ms / 1000})`,
  },
  mysql: {
    selectOne: 'SELECT 1',
    streamRows: rowsQuery,
    sleep: (ms: number) => `SELECT SLEEP(${ms / 1000}) AS slept`,
  },
  mssql: {
    selectOne: 'SELECT 1',
    streamRows: rowsQuery,
    sleep: (ms: number) => `WAITFOR DELAY '${waitForDelay(ms)}'; SELECT 1 AS slept`,
  },
  sqlite: {
    selectOne: 'SELECT 1',
    streamRows: rowsQuery,
    sleep: () => {
      throw new Error('SQLite has no sleep function; the parallelism scenario does not run on it.');
    },
  },
});
