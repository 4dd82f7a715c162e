import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory } from '../src/index.js';
import { pgResetStats } from '../src/pg-session-reset.js';
import { execute, openConnection, scalar, uniqueName, withObserver } from './pg-integration-helpers.js';

// Issue 12, design item 6: a pooled session's DISCARD ALL is owed only when the checkout may have changed the
// session. A dirty session is still reset (its state never reaches the next user); a provably clean one is not.

const view = uniqueName('tk_dirt_view');
beforeAll(async () => {
  // A read whose text shows nothing, but which changes a setting the server reports (ParameterStatus).
  await withObserver((observer) =>
    execute(observer, `CREATE VIEW ${view} AS SELECT set_config('application_name', 'changed-by-a-view', false) AS v`),
  );
});
afterAll(async () => {
  await withObserver((observer) => execute(observer, `DROP VIEW IF EXISTS ${view}`));
  await PgProviderFactory.instance.clearAllPools();
});

/** A pool of one session of its own, so that each open gets the session the previous close gave back. */
function poolOf(name: string): Record<string, string | number> {
  return { 'Max Pool Size': 1, 'Application Name': `dirt-${name}` };
}

/** Runs `sql` on a pooled checkout, closes it, and tells whether the close owed the session a reset. */
async function checkout(keywords: Record<string, string | number>, sql: string): Promise<{ reset: boolean; pid: unknown }> {
  const connection = await openConnection(keywords);
  const pid = connection.sessionId;
  await execute(connection, sql);
  const before = pgResetStats.deferred;
  await connection.close();
  return { reset: pgResetStats.deferred === before + 1, pid };
}

describe('reset only what is dirty (pg)', () => {
  it('a checkout that ran only plain reads is pooled without DISCARD ALL', async () => {
    const keywords = poolOf('clean');
    const first = await checkout(keywords, 'SELECT 1');
    expect(first.reset).toBe(false);
    const second = await checkout(keywords, "SELECT count(*) FROM pg_class WHERE relname = 'x'");
    expect(second.pid).toBe(first.pid);
    expect(second.reset).toBe(false);
  });

  it.each([
    ['a temporary table', 'CREATE TEMP TABLE tk_dirt_tmp (a int)', "SELECT count(*)::int FROM pg_class WHERE relname = 'tk_dirt_tmp' AND relnamespace = pg_my_temp_schema()", 0],
    ['a SET', "SET work_mem = '7MB'", "SELECT (current_setting('work_mem') = '7MB')::int", 0],
    ['a custom setting (set_config, session-wide)', "SELECT set_config('tk.v', 'x', false)", "SELECT (coalesce(current_setting('tk.v', true), '') = 'x')::int", 0],
    ['a session advisory lock', 'SELECT pg_advisory_lock(424242)', "SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", 0],
    ['a prepared statement', 'PREPARE tk_dirt_p AS SELECT 1', 'SELECT count(*)::int FROM pg_prepared_statements', 0],
    ['a transaction left open', 'BEGIN', 'SELECT (pg_current_xact_id_if_assigned() IS NOT NULL)::int', 0],
    ['a setting changed out of sight (a view), reported by ParameterStatus', `SELECT * FROM ${view}`, "SELECT (current_setting('application_name') = 'changed-by-a-view')::int", 0],
  ])('%s makes the session dirty: it is reset before the next user sees it', async (name, sql, probe, expected) => {
    const keywords = poolOf(name.replace(/\W+/g, '-').slice(0, 40));
    const first = await checkout(keywords, sql);
    expect(first.reset).toBe(true);
    const next = await openConnection(keywords);
    expect(next.sessionId).toBe(first.pid);
    expect(Number(await scalar(next, probe))).toBe(expected);
    await next.close();
  });
});
