import mysql from 'mysql2';
import pg from 'pg';
import { BENCH_TABLE } from './dialects.js';
import type { Endpoint } from './endpoint.js';
import { mysqlConfig, pgConfig } from '../raw/driver-options.js';

/**
 * Creates (or checks) the benchmark table, 1..rows: `id int`, `qty int`, `label varchar(40)` (21 characters),
 * `price double`, `active boolean`. A table that already holds exactly the right rows is kept, so a MariaDB that
 * outlives the run is filled once. Returns the server's version string.
 */
export async function preparePostgresTable(endpoint: Endpoint, rows: number): Promise<string> {
  const client = new pg.Client(pgConfig(endpoint));
  client.on('error', () => {});
  await client.connect();
  try {
    const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '';
    if ((await countRows(() => client.query<{ n: string }>(`SELECT count(*) AS n, max(id) AS m FROM ${BENCH_TABLE}`))) === rows) {
      return version;
    }
    await client.query(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await client.query(
      `CREATE TABLE ${BENCH_TABLE} (id integer PRIMARY KEY, qty integer NOT NULL, label varchar(40) NOT NULL, ` +
        'price double precision NOT NULL, active boolean NOT NULL)',
    );
    await client.query(
      `INSERT INTO ${BENCH_TABLE} SELECT g, g % 1000, 'customer-item-' || lpad(g::text, 7, '0'), (g % 10000) / 100.0 + 0.25, g % 3 = 0 ` +
        `FROM generate_series(1, ${rows}) AS s(g)`,
    );
    await client.query(`VACUUM ANALYZE ${BENCH_TABLE}`);
    return version;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The MySQL/MariaDB counterpart of {@link preparePostgresTable}; rows come from a cross join of digits. */
export async function prepareMysqlTable(endpoint: Endpoint, rows: number): Promise<string> {
  const connection = mysql.createConnection(mysqlConfig(endpoint));
  connection.on('error', () => {});
  const run = <T>(sql: string): Promise<T> =>
    new Promise<T>((resolve, reject) => connection.query(sql, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    const version = (await run<Array<{ v: string }>>('SELECT VERSION() AS v'))[0]?.v ?? '';
    const existing = await countRows(async () => ({
      rows: await run<Array<{ n: number | string; m: number | string | null }>>(`SELECT COUNT(*) AS n, MAX(id) AS m FROM ${BENCH_TABLE}`),
    }));
    if (existing === rows) return version;
    await run(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await run(
      `CREATE TABLE ${BENCH_TABLE} (id INT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(40) NOT NULL, ` +
        'price DOUBLE NOT NULL, active BOOLEAN NOT NULL) ENGINE=InnoDB',
    );
    const digits = '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 ' +
      'UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
    const places = Math.max(1, Math.ceil(Math.log10(rows)));
    const from = Array.from({ length: places }, (_, i) => `${digits} AS d${i}`).join(' CROSS JOIN ');
    const number = Array.from({ length: places }, (_, i) => `d${i}.d * ${10 ** i}`).join(' + ');
    await run(
      `INSERT INTO ${BENCH_TABLE} SELECT n, n % 1000, CONCAT('customer-item-', LPAD(n, 7, '0')), (n % 10000) / 100.0 + 0.25, n % 3 = 0 ` +
        `FROM (SELECT ${number} + 1 AS n FROM ${from}) AS numbers WHERE n <= ${rows}`,
    );
    await run(`ANALYZE TABLE ${BENCH_TABLE}`);
    return version;
  } finally {
    connection.destroy();
  }
}

/** Rows of a table whose ids are exactly 1..count, or -1 when the table is missing or different. */
async function countRows(query: () => Promise<{ rows: ReadonlyArray<{ n: number | string; m?: number | string | null }> }>): Promise<number> {
  try {
    const row = (await query()).rows[0];
    const count = Number(row?.n ?? -1);
    return Number(row?.m ?? -1) === count ? count : -1;
  } catch {
    return -1;
  }
}
