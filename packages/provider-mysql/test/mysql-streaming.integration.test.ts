import { DbError } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory } from '../src/index.js';
import { openConnection, scalar, sequenceSql } from './mysql-test-server.js';

afterAll(async () => {
  await MysqlProviderFactory.instance.clearAllPools();
});

const MB = 1024 * 1024;

describe('streaming', () => {
  it('reads 1 000 000 rows with bounded memory', async () => {
    const connection = await openConnection();
    // ~300 bytes per row: the whole result would need well over 300 MB if it were buffered.
    const reader = await connection
      .createCommand(sequenceSql(1_000_000, ", REPEAT('x', 200) AS payload"))
      .executeReader();
    let count = 0;
    let sum = 0n;
    let baseline = 0;
    let peak = 0;
    while (await reader.read()) {
      count += 1;
      sum += reader.getInt64(0);
      if (reader.getString(1).length !== 200) throw new Error(`row ${count}: wrong payload`);
      if (count === 20_000) baseline = process.memoryUsage().rss;
      if (count % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    await reader.close();
    expect(count).toBe(1_000_000);
    expect(sum).toBe(500_000_500_000n);
    // A generous bound: the garbage of already-read rows may linger until the next GC, but nothing accumulates.
    expect((peak - baseline) / MB).toBeLessThan(150);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await connection.close();
  }, 180_000);

  it('reads a result in several fetches and keeps the order of rows', async () => {
    const connection = await openConnection();
    const reader = await connection
      .createCommand(`SELECT n FROM (${sequenceSql(25_000)}) AS s ORDER BY n`)
      .executeReader();
    let expected = 1n;
    while (await reader.read()) {
      expect(reader.getInt64(0)).toBe(expected);
      expected += 1n;
    }
    expect(expected).toBe(25_001n);
    await reader.close();
    await connection.close();
  });

  it('streams the results of a batch one after the other', async () => {
    const connection = await openConnection();
    const reader = await connection
      .createCommand(`${sequenceSql(3000)}; SELECT 'second' AS s; ${sequenceSql(2500)}`)
      .executeReader();
    const counts: number[] = [];
    do {
      let rows = 0;
      while (await reader.read()) rows += 1;
      counts.push(rows);
    } while (await reader.nextResult());
    await reader.close();
    expect(counts).toEqual([3000, 1, 2500]);
    await connection.close();
  });

  it('reports an error that happens after rows were sent, and the connection stays usable', async () => {
    const connection = await openConnection();
    // The scalar subquery fails (more than one row) only when n reaches 3000, after thousands of rows were sent.
    // The rows must be produced while they are sent: MariaDB's SEQUENCE engine, or MySQL's recursive CTE.
    const source = /mariadb/i.test(connection.serverVersion)
      ? 'SELECT seq AS n FROM seq_1_to_10000'
      : 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10000) SELECT /*+ SET_VAR(cte_max_recursion_depth = 10000) */ n FROM r';
    const reader = await connection
      .createCommand(`SELECT n, IF(n = 3000, (SELECT 1 UNION SELECT 2), n) AS v FROM (${source}) AS s`)
      .executeReader();
    let count = 0;
    const error = await (async () => {
      while (await reader.read()) count += 1;
    })().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).providerCode).toBe(1242);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(3000);
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await connection.close();
  });

  it('skips the unread rows of a large result when moving to the next result', async () => {
    const connection = await openConnection();
    const reader = await connection.createCommand(`${sequenceSql(500_000)}; SELECT 'next' AS s`).executeReader();
    expect(await reader.read()).toBe(true);
    expect(await reader.nextResult()).toBe(true);
    expect(await reader.read()).toBe(true);
    expect(reader.getString(0)).toBe('next');
    await reader.close();
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await connection.close();
  });
});
