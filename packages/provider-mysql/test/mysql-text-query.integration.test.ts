import type { DbConnection } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textQueries } from '../src/mysql-text-query.js';
import { openConnection } from './mysql-test-server.js';

/** Everything a reader yields for `sql`: each result's column names and types, its rows, and the records affected. */
async function readAll(connection: DbConnection, sql: string): Promise<unknown> {
  const results: unknown[] = [];
  try {
    await using reader = await connection.createCommand(sql).executeReader();
    do {
      const columns = Array.from({ length: reader.fieldCount }, (_, i) => [reader.getName(i), reader.getDataTypeName(i)]);
      const rows: unknown[][] = [];
      while (await reader.read()) rows.push(Array.from({ length: reader.fieldCount }, (_, i) => reader.getValue(i)));
      results.push({ columns, rows });
    } while (await reader.nextResult());
    results.push({ recordsAffected: reader.recordsAffected });
  } catch (error) {
    const failure = error as { name: string; message: string; providerCode?: unknown; sqlState?: unknown };
    results.push({ error: [failure.name, failure.message, failure.providerCode, failure.sqlState] });
  }
  return results;
}

const table = `text_query_${process.pid}`;
/** Statements without parameters, each read on both paths; the session is the same for both (one connection). */
const STATEMENTS = [
  'SELECT 1',
  'SELECT NULL, 1.5, CAST(1.50 AS DECIMAL(5,2)), 9007199254740993, -1, 18446744073709551615',
  "SELECT 'é€😀', x'00ff', DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.123456', TIME '-838:59:59'",
  "SELECT JSON_OBJECT('a', 1), CAST(1 AS UNSIGNED), b'101', 2e308 IS NULL",
  'SELECT 1 AS __proto__, 2 AS constructor, 3 AS `__defineGetter__`',
  'SELECT seq FROM seq_1_to_2500',
  `CREATE TEMPORARY TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))`,
  `INSERT INTO ${table} (v) VALUES ('a'), ('b'), ('c')`,
  `UPDATE ${table} SET v = 'z' WHERE id > 1`,
  `SELECT * FROM ${table} ORDER BY id`,
  "SELECT CAST('12abc' AS SIGNED)",
  'SELECT * FROM text_query_missing_table',
  'SELECT (1',
  `CREATE PROCEDURE IF NOT EXISTS text_query_results() BEGIN SELECT 1 AS a; SELECT 'two' AS b, 2 AS c; END`,
  'CALL text_query_results()',
  `DROP TEMPORARY TABLE ${table}`,
];

describe('text statements run as asyncdb COM_QUERY commands (mysql-text-query.ts)', () => {
  let connection: DbConnection;
  beforeAll(async () => {
    connection = await openConnection('Pooling=false');
  });
  afterAll(async () => {
    textQueries.enabled = true;
    await connection?.createCommand('DROP PROCEDURE IF EXISTS text_query_results').executeNonQuery();
    await connection?.close();
  });

  it('gives every statement the same results, values, counts and errors as mysql2 query()', async () => {
    // The whole list on one path, then on the other: each run starts and ends with no table (the second changes the
    // same rows as the first).
    const run = async (enabled: boolean): Promise<unknown[]> => {
      textQueries.enabled = enabled;
      const before = textQueries.started;
      const outcomes: unknown[] = [];
      for (const sql of STATEMENTS) outcomes.push({ sql, outcome: await readAll(connection, sql) });
      expect(textQueries.started - before).toBe(enabled ? STATEMENTS.length : 0);
      return outcomes;
    };
    const throughMysql2 = await run(false);
    const own = await run(true);
    expect(own).toEqual(throughMysql2);
  });

  it('keeps the session in step after an error, a long read cut short and a killed statement', async () => {
    const scalar = (sql: string) => connection.createCommand(sql).executeScalar();
    await expect(scalar('SELECT * FROM text_query_missing_table')).rejects.toThrow(/doesn't exist/);
    expect(await scalar('SELECT seq FROM seq_1_to_300000')).toBe(1n);
    const abort = new AbortController();
    const sleeping = connection.createCommand('SELECT SLEEP(5)').executeScalar({ signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await expect(sleeping).rejects.toThrow();
    expect(await scalar("SELECT 'still in step'")).toBe('still in step');
  });
});
