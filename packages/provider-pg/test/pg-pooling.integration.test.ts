import { ConnectionState, DbError, DbTimeoutError, OperationCanceledError, clearPool } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgConnectionStringBuilder, PgProviderFactory } from '../src/index.js';
import {
  backendState,
  connectionString,
  eventually,
  execute,
  openConnection,
  scalar,
  uniqueName,
  withObserver,
  type Keywords,
} from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

/** Keywords giving each test its own pool. */
function poolOf(extra: Keywords = {}): Keywords {
  return { 'Application Name': uniqueName('asyncdb-pool'), ...extra };
}

describe('pooling', () => {
  it('hands the same backend to the next open of the same connection string', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1 });
    const first = await openConnection(keywords);
    const pid = first.sessionId;
    await first.close();
    const second = await openConnection(keywords);
    expect(second.sessionId).toBe(pid);
    await second.close();
  });

  it('keys pools by the canonical connection string (keyword order and synonyms do not matter)', async () => {
    const application = uniqueName('asyncdb-canonical');
    const builder = new PgConnectionStringBuilder(
      connectionString({ 'Max Pool Size': 1, 'Application Name': application }),
    );
    const first = await openConnection({ 'Max Pool Size': 1, 'Application Name': application });
    const pid = first.sessionId;
    await first.close();
    const reordered = [...builder.entries()]
      .reverse()
      .map(([key, value]) => `${key === 'Application Name' ? 'App' : key}=${value}`)
      .join(';');
    const second = PgProviderFactory.instance.createConnection(reordered);
    await second.open();
    expect(second.sessionId).toBe(pid);
    await second.close();
  });

  it('never opens more than Max Pool Size sessions, and times out waiting as a pool timeout', async () => {
    const keywords = poolOf({ 'Max Pool Size': 3, 'Connect Timeout': 1 });
    const held = await Promise.all([openConnection(keywords), openConnection(keywords), openConnection(keywords)]);
    const error = await openConnection(keywords).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('pool');
    expect((error as DbTimeoutError).message).toContain('obtaining a connection from the pool');
    const count = await withObserver((observer) =>
      scalar<bigint>(observer, 'SELECT count(*) FROM pg_stat_activity WHERE application_name = @name', {
        name: keywords['Application Name'],
      }),
    );
    expect(count).toBe(3n);
    await Promise.all(held.map((connection) => connection.close()));
  });

  it('gives a waiting open the session another connection returns', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1, 'Connect Timeout': 30 });
    const holder = await openConnection(keywords);
    const pid = holder.sessionId;
    const waiting = openConnection(keywords);
    await holder.close();
    const next = await waiting;
    expect(next.sessionId).toBe(pid);
    await next.close();
  });

  it('gives a session a canceled open would have received back to the pool', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1, 'Connect Timeout': 30 });
    const holder = await openConnection(keywords);
    const pid = holder.sessionId;
    const waiting = openConnection(keywords).catch((caught: unknown) => caught);
    const controller = new AbortController();
    const canceled = PgProviderFactory.instance.createConnection(connectionString(keywords));
    const opening = canceled.open({ signal: controller.signal }).catch((caught: unknown) => caught);
    controller.abort();
    expect(await opening).toBeInstanceOf(OperationCanceledError);
    await holder.close();
    const next = (await waiting) as Awaited<ReturnType<typeof openConnection>>;
    expect(next.sessionId).toBe(pid);
    await next.close();
    const last = await openConnection(keywords);
    expect(last.sessionId).toBe(pid);
    await last.close();
  });

  it('closes a connection with a half-read reader and pools its session clean', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1 });
    const connection = await openConnection(keywords);
    const pid = connection.sessionId;
    const reader = await connection.createCommand('SELECT g FROM generate_series(1, 100000) g').executeReader();
    expect(await reader.read()).toBe(true);
    await connection.close();
    expect(reader.isClosed).toBe(true);
    expect(await backendState(pid)).toBe('idle');
    const next = await openConnection(keywords);
    expect(next.sessionId).toBe(pid);
    expect(await scalar(next, 'SELECT 1')).toBe(1);
    await next.close();
  });

  it('resets SET values, temporary tables, prepared statements and advisory locks before reuse', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1, Timezone: 'Europe/Paris', 'Search Path': 'pg_catalog, public' });
    const first = await openConnection(keywords);
    const pid = first.sessionId;
    await execute(
      first,
      "SET statement_timeout = '1234s'; SET TimeZone = 'Asia/Tokyo'; CREATE TEMP TABLE leftover (id int)",
    );
    await execute(first, 'PREPARE leftover_plan AS SELECT 1; SELECT pg_advisory_lock(4242)');
    await first.close();

    const second = await openConnection(keywords);
    expect(second.sessionId).toBe(pid);
    expect(await scalar(second, 'SHOW statement_timeout')).toBe('0');
    expect(await scalar(second, "SELECT to_regclass('pg_temp.leftover') IS NULL")).toBe(true);
    expect(await scalar(second, 'SELECT count(*) FROM pg_prepared_statements')).toBe(0n);
    expect(
      await scalar(second, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"),
    ).toBe(0n);
    // The settings of the connection string travel in the startup packet, so RESET ALL restores them, not the server's.
    expect(await scalar(second, 'SHOW TimeZone')).toBe('Europe/Paris');
    expect(await scalar(second, 'SHOW search_path')).toBe('pg_catalog, public');
    await second.close();
  });

  it('keeps session state with No Reset On Close=true', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1, 'No Reset On Close': true });
    const first = await openConnection(keywords);
    await execute(first, "SET statement_timeout = '77s'");
    await first.close();
    const second = await openConnection(keywords);
    expect(await scalar(second, 'SHOW statement_timeout')).toBe('77s');
    await second.close();
  });

  it('rolls back a transaction left open when the connection closes, even with No Reset On Close', async () => {
    for (const noReset of [false, true]) {
      const table = uniqueName('pool_tx');
      const keywords = poolOf({ 'Max Pool Size': 1, 'No Reset On Close': noReset });
      const setup = await openConnection(keywords);
      await execute(setup, `CREATE TABLE ${table} (id int)`);
      const transaction = await setup.beginTransaction();
      await transaction.createCommand(`INSERT INTO ${table} VALUES (1)`).executeNonQuery();
      await setup.close();

      const next = await openConnection(keywords);
      expect(await scalar(next, `SELECT count(*) FROM ${table}`)).toBe(0n);
      expect(await scalar(next, 'SELECT txid_current_if_assigned() IS NULL')).toBe(true);
      await execute(next, `DROP TABLE ${table}`);
      await next.close();
    }
  });

  it('evicts an idle pooled session killed by the server, without an uncaught error, and opens a new one', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1 });
    const builder = new PgConnectionStringBuilder(connectionString(keywords));
    const first = await openConnection(keywords);
    const pid = first.sessionId;
    await first.close();

    await withObserver((observer) => scalar(observer, 'SELECT pg_terminate_backend(@pid)', { pid }));
    await eventually(async () => (PgProviderFactory.instance.pools.poolOf(builder)?.evicted ?? 0) === 1);

    const second = await openConnection(keywords);
    expect(second.sessionId).not.toBe(pid);
    expect(await scalar(second, 'SELECT 1')).toBe(1);
    await second.close();
  });

  it('marks an open connection Broken when the server kills its session, and recovers on the next open', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1 });
    const connection = await openConnection(keywords);
    const pid = connection.sessionId;
    const broken = new Promise<void>((resolve) =>
      connection.on('stateChange', (event) => {
        if (event.currentState === ConnectionState.Broken) resolve();
      }),
    );
    await withObserver((observer) => scalar(observer, 'SELECT pg_terminate_backend(@pid)', { pid }));
    await broken;
    const error = await scalar(connection, 'SELECT 1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);

    const next = await openConnection(keywords);
    expect(next.sessionId).not.toBe(pid);
    await next.close();
  });

  it('fails a running command with a connection failure when the server kills its session', async () => {
    const keywords = poolOf({ 'Max Pool Size': 1 });
    const connection = await openConnection(keywords);
    const pid = connection.sessionId;
    const running = scalar(connection, 'SELECT pg_sleep(30)').catch((caught: unknown) => caught);
    await eventually(async () => (await backendState(pid)) === 'active');
    await withObserver((observer) => scalar(observer, 'SELECT pg_terminate_backend(@pid)', { pid }));
    const error = (await running) as Error;
    expect(error).toBeInstanceOf(Error);
    const dbError = error instanceof DbError ? error : (error.cause as DbError);
    expect(dbError.category).toBe('connection_failure');
    await connection.close();
  });

  it('clears a pool: idle sessions close, and the next open starts a new one', async () => {
    const keywords = poolOf({ 'Max Pool Size': 2 });
    const first = await openConnection(keywords);
    const pid = first.sessionId;
    await first.close();
    expect(await backendState(pid)).toBe('idle');
    await PgProviderFactory.instance.clearPool(connectionString(keywords));
    await eventually(async () => (await backendState(pid)) === null);
    const second = await openConnection(keywords);
    expect(second.sessionId).not.toBe(pid);
    // core's clearPool(connection) reaches the same pool; a session in use is closed when it is returned.
    await clearPool(second);
    const inUse = second.sessionId;
    expect(await scalar(second, 'SELECT 1')).toBe(1);
    await second.close();
    await eventually(async () => (await backendState(inUse)) === null);
  });

  it('opens a new session each time with Pooling=false and ends it on close', async () => {
    const keywords = poolOf({ Pooling: false });
    const first = await openConnection(keywords);
    const pid = first.sessionId;
    await first.close();
    await eventually(async () => (await backendState(pid)) === null);
    const second = await openConnection(keywords);
    expect(second.sessionId).not.toBe(pid);
    await second.close();
  });
});
