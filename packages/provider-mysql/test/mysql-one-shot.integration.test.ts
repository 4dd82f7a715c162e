import type { CommandRequest, OneShotKind, OneShotSink } from '@asyncdb/core';
import { executionPathOutcomes, type ExecutionPathCase } from '@asyncdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlConnection, MysqlProviderFactory } from '../src/index.js';
import { connectionString } from './mysql-test-server.js';

/** Counts the executions that took the one-shot path. */
class CountingMysqlConnection extends MysqlConnection {
  oneShots = 0;
  protected override startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    const started = super.startOnceCore(request, kind, sink);
    if (started) this.oneShots += 1;
    return started;
  }
}

/** Declines the one-shot path: every execution goes through executeCore and core's reader, as before it existed. */
class ReaderPathMysqlConnection extends MysqlConnection {
  protected override startOnceCore(): boolean {
    return false;
  }
}

const table = `one_shot_${process.pid}`;
const TEMP = `CREATE TEMPORARY TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, x INT)`;
const DROP = `DROP TEMPORARY TABLE ${table}`;

/** SQL shapes whose executeScalar / executeNonQuery outcome must be the same on both paths. */
const CASES: readonly ExecutionPathCase[] = [
  { name: 'a single value', sql: 'SELECT 1' },
  { name: 'NULL', sql: 'SELECT NULL' },
  { name: 'no row', sql: 'SELECT 1 FROM DUAL WHERE FALSE' },
  { name: 'several columns and rows', sql: 'SELECT 7, 14 UNION ALL SELECT 8, 16 UNION ALL SELECT 9, 18' },
  { name: 'a parameter', sql: 'SELECT @p + 1', parameters: { p: 41 } },
  { name: 'a parameter used twice', sql: 'SELECT CONCAT(@p, @p)', parameters: { p: 'ab' } },
  { name: 'a first result without rows, then one with', sql: 'SELECT 1 FROM DUAL WHERE FALSE; SELECT 2' },
  {
    name: 'DML and a SELECT in one batch',
    sql: `${TEMP}; INSERT INTO ${table} (x) VALUES (1), (2), (3); UPDATE ${table} SET x = x + 1 WHERE x > 1; SELECT SUM(x) FROM ${table}; ${DROP}`,
  },
  { name: 'DML that changes no row', sql: `${TEMP}; DELETE FROM ${table}; ${DROP}` },
  { name: 'DDL only', sql: `${TEMP}; ${DROP}` },
  { name: 'only a comment', sql: '-- nothing to run' },
  { name: 'bigint and decimal', sql: 'SELECT CAST(9007199254740993 AS SIGNED), CAST(1.50 AS DECIMAL(5,2))' },
  { name: 'a user variable (not a parameter)', sql: 'SET @one_shot_v = 5; SELECT @one_shot_v * 2' },
  { name: 'a statement with a warning', sql: "SELECT CAST('12abc' AS SIGNED)" },
  { name: 'an unpreparable statement', sql: 'SHOW STATUS LIKE "Uptime_since_flush_status_none"' },
  { name: 'an error in the first statement', sql: 'SELECT * FROM one_shot_missing_table; SELECT 2' },
  { name: 'an error after a result', sql: 'SELECT 1; SELECT * FROM one_shot_missing_table' },
  {
    name: 'an error after DML',
    sql: `${TEMP}; INSERT INTO ${table} (x) VALUES (1); SELECT * FROM one_shot_missing_table`,
  },
  { name: 'a syntax error', sql: 'SELECT (1' },
  // The single-statement fast path (MysqlResultCursor.once): rows left when the value is found, read or dropped.
  { name: 'a long read (ended by close once the buffer fills)', sql: 'SELECT seq FROM seq_1_to_200000' },
  { name: 'a long read with a parameter', sql: 'SELECT seq + @p FROM seq_1_to_50000', parameters: { p: 1 } },
  { name: 'a few rows', sql: 'SELECT seq FROM seq_1_to_1500' },
  { name: 'an error with a parameter', sql: 'SELECT * FROM one_shot_missing_table WHERE x = @p', parameters: { p: 1 } },
];

let oneShot: CountingMysqlConnection;
let readerPath: ReaderPathMysqlConnection;

beforeAll(async () => {
  oneShot = new CountingMysqlConnection(MysqlProviderFactory.instance, connectionString());
  readerPath = new ReaderPathMysqlConnection(MysqlProviderFactory.instance, connectionString());
  await oneShot.open();
  await readerPath.open();
  // Both sessions start without the temporary table, whatever a failed case left.
  for (const connection of [oneShot, readerPath]) {
    await connection.createCommand(`DROP TEMPORARY TABLE IF EXISTS ${table}`).executeNonQuery();
  }
});

afterAll(async () => {
  await oneShot.close();
  await readerPath.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

describe('the one-shot executeScalar/executeNonQuery path gives what the reader path gives', () => {
  it.each(CASES)('$name', async (testCase) => {
    const before = oneShot.oneShots;
    const expected = await executionPathOutcomes(readerPath, testCase);
    const actual = await executionPathOutcomes(oneShot, testCase);
    const taken = oneShot.oneShots - before;
    // A case that failed half-way may leave the temporary table behind on both sessions alike: drop it.
    for (const connection of [oneShot, readerPath]) {
      await connection.createCommand(`DROP TEMPORARY TABLE IF EXISTS ${table}`).executeNonQuery();
    }
    expect(actual).toEqual(expected);
    expect(taken).toBe(2);
  });

  it('the session is usable after every case, on both paths', async () => {
    expect(await oneShot.createCommand('SELECT 42').executeScalar()).toBe(42);
    expect(await readerPath.createCommand('SELECT 42').executeScalar()).toBe(42);
  });
});
