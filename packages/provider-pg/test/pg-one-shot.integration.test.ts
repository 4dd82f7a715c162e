import type { CommandRequest, OneShotKind, OneShotSink } from '@asyncdb/core';
import { executionPathOutcomes, type ExecutionPathCase } from '@asyncdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgConnection, PgProviderFactory } from '../src/index.js';
import { connectionString } from './pg-integration-helpers.js';

/** Counts the executions that took the one-shot path. */
class CountingPgConnection extends PgConnection {
  oneShots = 0;
  protected override startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    const started = super.startOnceCore(request, kind, sink);
    if (started) this.oneShots += 1;
    return started;
  }
}

/** Declines the one-shot path: every execution goes through executeCore and core's reader, as before it existed. */
class ReaderPathPgConnection extends PgConnection {
  protected override startOnceCore(): boolean {
    return false;
  }
}

const TEMP = 'CREATE TEMP TABLE one_shot_t (id serial PRIMARY KEY, x int)';

/** SQL shapes whose executeScalar / executeNonQuery outcome must be the same on both paths. */
const CASES: readonly ExecutionPathCase[] = [
  { name: 'a single value', sql: 'SELECT 1' },
  { name: 'NULL', sql: 'SELECT NULL::int' },
  { name: 'no row', sql: 'SELECT 1 WHERE false' },
  { name: 'several columns and rows', sql: 'SELECT x, x * 2 FROM generate_series(7, 9) AS x' },
  { name: 'a parameter', sql: 'SELECT @p::int + 1', parameters: { p: 41 } },
  { name: 'a parameter used twice', sql: 'SELECT @p || @p', parameters: { p: 'ab' } },
  { name: 'a first result without rows, then one with', sql: 'SELECT 1 WHERE false; SELECT 2' },
  { name: 'a result without columns first', sql: 'SELECT; SELECT 5' },
  {
    name: 'DML and a SELECT in one batch',
    sql: `${TEMP}; INSERT INTO one_shot_t (x) VALUES (1), (2), (3); UPDATE one_shot_t SET x = x + 1 WHERE x > 1; SELECT sum(x) FROM one_shot_t; DROP TABLE one_shot_t`,
  },
  {
    name: 'INSERT … RETURNING',
    sql: `${TEMP}; INSERT INTO one_shot_t (x) VALUES (10), (20) RETURNING x; DROP TABLE one_shot_t`,
  },
  { name: 'DML that changes no row', sql: `${TEMP}; DELETE FROM one_shot_t; DROP TABLE one_shot_t` },
  { name: 'DDL only', sql: `${TEMP}; DROP TABLE one_shot_t` },
  { name: 'only a comment', sql: '-- nothing to run' },
  { name: 'a type the session has not met', sql: "SELECT '(1,2)'::point" },
  { name: 'an array', sql: "SELECT '{1,2,3}'::int4[]" },
  { name: 'bigint and numeric', sql: 'SELECT 9007199254740993::int8, 1.50::numeric' },
  { name: 'COPY TO STDOUT', sql: 'COPY (SELECT 1) TO STDOUT' },
  { name: 'an error in the first statement', sql: 'SELECT 1/0; SELECT 2' },
  { name: 'an error after a result', sql: 'SELECT 1; SELECT 1/0' },
  { name: 'an error after DML', sql: `${TEMP}; INSERT INTO one_shot_t (x) VALUES (1); SELECT 1/0` },
  { name: 'a syntax error', sql: 'SELECT (1' },
  { name: 'an error with a parameter', sql: 'SELECT @p::int / 0', parameters: { p: 1 } },
  { name: 'a statement after an error', sql: `SELECT 1/0; ${TEMP}` },
];

let oneShot: CountingPgConnection;
let readerPath: ReaderPathPgConnection;

beforeAll(async () => {
  oneShot = new CountingPgConnection(connectionString());
  readerPath = new ReaderPathPgConnection(connectionString());
  await oneShot.open();
  await readerPath.open();
});

afterAll(async () => {
  await oneShot.close();
  await readerPath.close();
  await PgProviderFactory.instance.clearAllPools();
});

describe('the one-shot executeScalar/executeNonQuery path gives what the reader path gives', () => {
  it.each(CASES)('$name', async (testCase) => {
    const before = oneShot.oneShots;
    const expected = await executionPathOutcomes(readerPath, testCase);
    const actual = await executionPathOutcomes(oneShot, testCase);
    expect(actual).toEqual(expected);
    // Text with no statement is declined (core's reader handles it); everything else went one-shot.
    expect(oneShot.oneShots - before).toBe(testCase.sql.startsWith('--') ? 0 : 2);
  });

  it('the session is usable after every case, on both paths', async () => {
    expect(await oneShot.createCommand('SELECT 42').executeScalar()).toBe(42);
    expect(await readerPath.createCommand('SELECT 42').executeScalar()).toBe(42);
  });

  it('declines output parameters (core reads a cursor instead)', async () => {
    const before = oneShot.oneShots;
    const command = oneShot.createCommand('SELECT 1');
    const output = command.createParameter();
    output.parameterName = '@out';
    output.direction = 'Output';
    command.parameters.add(output);
    expect(await command.executeScalar()).toBe(1);
    expect(oneShot.oneShots).toBe(before);
  });
});
