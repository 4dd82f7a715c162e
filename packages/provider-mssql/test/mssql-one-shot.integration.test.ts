import type { CommandRequest, OneShotKind, OneShotResult } from '@asyncdb/core';
import { executionPathOutcomes, type ExecutionPathCase } from '@asyncdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MssqlConnection, MssqlProviderFactory } from '../src/index.js';
import { connectionString } from './mssql-test-helpers.js';

/** Counts the executions that took the one-shot path. */
class CountingMssqlConnection extends MssqlConnection {
  oneShots = 0;
  protected override executeOnceCore(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    const once = super.executeOnceCore(request, kind);
    if (once) this.oneShots += 1;
    return once;
  }
}

/** Declines the one-shot path: every execution goes through executeCore and core's reader, as before it existed. */
class ReaderPathMssqlConnection extends MssqlConnection {
  protected override executeOnceCore(): undefined {
    return undefined;
  }
}

/** SQL shapes whose executeScalar / executeNonQuery outcome must be the same on both paths. */
const CASES: readonly ExecutionPathCase[] = [
  { name: 'a single value', sql: 'SELECT 1' },
  { name: 'NULL', sql: 'SELECT NULL' },
  { name: 'no row', sql: 'SELECT 1 WHERE 1 = 0' },
  { name: 'several columns and rows', sql: 'SELECT 7, 14 UNION ALL SELECT 8, 16' },
  { name: 'a parameter', sql: 'SELECT @p + 1', parameters: { p: 41 } },
  { name: 'a first result without rows, then one with', sql: 'SELECT 1 WHERE 1 = 0; SELECT 2' },
  { name: 'two results', sql: 'SELECT 1; SELECT 2' },
  { name: 'an error in the first statement', sql: 'SELECT (1' },
  { name: 'an error after a result', sql: 'SELECT 1; SELECT * FROM one_shot_missing_table' },
  { name: 'a converted value (decimal)', sql: 'SELECT CAST(1.5 AS decimal(10, 2))' },
  {
    name: 'DML counts before and after a result (the SELECT count is not one)',
    sql:
      'CREATE TABLE #one_shot (a int); INSERT INTO #one_shot VALUES (1); INSERT INTO #one_shot VALUES (2); ' +
      'SELECT a FROM #one_shot ORDER BY a; UPDATE #one_shot SET a = 3; DROP TABLE #one_shot',
  },
];

let oneShot: CountingMssqlConnection;
let readerPath: ReaderPathMssqlConnection;

beforeAll(async () => {
  oneShot = new CountingMssqlConnection(connectionString());
  readerPath = new ReaderPathMssqlConnection(connectionString());
  await oneShot.open();
  await readerPath.open();
});

afterAll(async () => {
  await oneShot.close();
  await readerPath.close();
  await MssqlProviderFactory.instance.clearAllPools();
});

describe('the one-shot executeScalar/executeNonQuery path gives what the reader path gives', () => {
  it.each(CASES)('$name', async (testCase) => {
    const before = oneShot.oneShots;
    const expected = await executionPathOutcomes(readerPath, testCase);
    const actual = await executionPathOutcomes(oneShot, testCase);
    expect(actual).toEqual(expected);
    expect(oneShot.oneShots - before).toBe(2);
  });

  it('the session is usable after every case, on both paths', async () => {
    expect(await oneShot.createCommand('SELECT 42').executeScalar()).toBe(42);
    expect(await readerPath.createCommand('SELECT 42').executeScalar()).toBe(42);
  });
});
