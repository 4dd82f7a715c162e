import { poolKeyOf } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder, MysqlProviderFactory } from '../src/index.js';
import { mysqlResetStats } from '../src/mysql-session.js';
import { connectionString, nonQuery, openConnection, scalar, useWatcher } from './mysql-test-server.js';

// Issue 12, design item 6: a pooled session is reset (COM_RESET_CONNECTION + settings) only when its checkout may
// have changed it. A dirty session is still reset before anyone else gets it; a provably clean one is not.

const watcher = useWatcher();
afterAll(async () => {
  await MysqlProviderFactory.instance.clearAllPools();
});

/** A pool of one session of its own, so that each open gets the session the previous close gave back. */
function poolOf(name: string): string {
  return `Max Pool Size=1;Application Name=dirt-${name}`;
}

/** Runs `sql` on a pooled checkout, closes it, waits for its reset (if any), and tells whether it was reset. */
async function checkout(keywords: string, sql: string): Promise<{ reset: boolean; id: unknown }> {
  const connection = await openConnection(keywords);
  const id = connection.sessionId;
  await nonQuery(connection, sql);
  const before = mysqlResetStats.resets;
  await connection.close();
  // The reset runs after close() returns; the next open of a pool of one waits for it.
  const next = await openConnection(keywords);
  await next.close();
  return { reset: mysqlResetStats.resets > before, id };
}

describe('reset only what is dirty (mysql)', () => {
  it('a checkout that ran only plain reads is pooled without COM_RESET_CONNECTION, in UTC still', async () => {
    const keywords = poolOf('clean');
    const first = await checkout(keywords, 'SELECT 1');
    expect(first.reset).toBe(false);
    const second = await checkout(keywords, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'x'");
    expect(second.id).toBe(first.id);
    expect(second.reset).toBe(false);
    const connection = await openConnection(keywords);
    expect(await scalar(connection, 'SELECT @@session.time_zone')).toBe('+00:00');
    await connection.close();
  });

  it('a clean checkout is idle in the pool as soon as close() returns; a dirty one is still being reset', async () => {
    const keywords = poolOf('sync-close');
    const counts = () =>
      MysqlProviderFactory.instance.pools.countsOf(
        poolKeyOf(new MysqlConnectionStringBuilder(connectionString(keywords))),
      );
    const clean = await openConnection(keywords);
    await scalar(clean, 'SELECT 1');
    await clean.close();
    // No reset round trip: the session went back to the pool inside close().
    expect(counts()).toMatchObject({ idle: 1, busy: 0 });
    const dirty = await openConnection(keywords);
    await nonQuery(dirty, 'SET @tk_sync = 1');
    await dirty.close();
    // COM_RESET_CONNECTION runs after close() returns: the session is not idle until the server answered.
    expect(counts()).toMatchObject({ idle: 0, busy: 1 });
    const next = await openConnection(keywords);
    expect(Number(await scalar(next, 'SELECT @tk_sync IS NULL'))).toBe(1);
    await next.close();
  });

  it.each([
    ['a user variable (SET)', 'SET @tk_v = 1', 'SELECT @tk_v IS NOT NULL', 0],
    ['a user variable (:=)', 'SELECT @tk_w := 1', 'SELECT @tk_w IS NOT NULL', 0],
    ['a temporary table', 'CREATE TEMPORARY TABLE tk_dirt_tmp (a INT)', 'SELECT 1', 1],
    ['a session variable', "SET SESSION sql_mode = 'ANSI_QUOTES'", "SELECT @@session.sql_mode LIKE '%ANSI_QUOTES%'", 0],
    ['a GET_LOCK lock', "DO GET_LOCK('tk_dirt_lock', 0)", "SELECT IS_USED_LOCK('tk_dirt_lock') IS NOT NULL", 0],
    ['a prepared statement', "PREPARE tk_dirt_p FROM 'SELECT 1'", 'SELECT 1', 1],
    ['a transaction left open', 'START TRANSACTION', 'SELECT @@in_transaction', 0],
  ])('%s makes the session dirty: it is reset before the next user sees it', async (name, sql, probe, expected) => {
    const keywords = poolOf(name.replace(/\W+/g, '-').slice(0, 40));
    const first = await checkout(keywords, sql);
    expect(first.reset).toBe(true);
    const next = await openConnection(keywords);
    expect(next.sessionId).toBe(first.id);
    expect(Number(await scalar(next, probe))).toBe(expected);
    await next.close();
  });

  it('a prepared statement is gone after the reset', async () => {
    const keywords = poolOf('prepared-gone');
    await checkout(keywords, "PREPARE tk_dirt_q FROM 'SELECT 1'");
    const next = await openConnection(keywords);
    await expect(nonQuery(next, 'EXECUTE tk_dirt_q')).rejects.toThrow(/Unknown prepared statement/i);
    await next.close();
  });

  it('a temporary table is gone after the reset', async () => {
    const keywords = poolOf('temporary-gone');
    await checkout(keywords, 'CREATE TEMPORARY TABLE tk_dirt_gone (a INT)');
    const next = await openConnection(keywords);
    await expect(scalar(next, 'SELECT COUNT(*) FROM tk_dirt_gone')).rejects.toThrow(/doesn't exist/);
    await next.close();
  });

  it('the lock a dirty session held is free for another session once it is back in the pool', async () => {
    const keywords = poolOf('lock-free');
    await checkout(keywords, "DO GET_LOCK('tk_dirt_lock2', 0)");
    const [[free]] = (await watcher().query({
      sql: "SELECT IS_FREE_LOCK('tk_dirt_lock2')",
      rowsAsArray: true,
    })) as unknown as [[number]];
    expect(Number(free)).toBe(1);
  });
});
