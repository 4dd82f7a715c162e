import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ConnectionState, DbTimeoutError, OperationCanceledError, type DbCommand } from '@asyncdb/core';
import { BUSY_SQL, useSqliteFiles } from './sqlite-test-helpers.js';

/** Walks an error's `cause` chain. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let current = error;
    current !== undefined && current !== null;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push(current);
    if (chain.length > 10) break;
  }
  return chain;
}

/**
 * Starts `run`, lets it work for `headStartMs`, cancels `command`, and resolves the rejection with how long it took
 * after the cancel.
 */
async function cancelWhileRunning(
  command: DbCommand,
  run: () => Promise<unknown>,
  headStartMs: number,
): Promise<{ error: unknown; afterCancelMs: number }> {
  const running = run();
  running.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, headStartMs));
  const cancelledAt = performance.now();
  command.cancel();
  const error = await running.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, afterCancelMs: performance.now() - cancelledAt };
}

describe('one worker thread per connection', () => {
  const files = useSqliteFiles();

  it('the event loop stays responsive while a statement computes for 2 s', async () => {
    const connection = await files.open(`Data Source=${files.path('event-loop.db')}`);
    const command = connection.createCommand(BUSY_SQL);
    command.commandTimeout = 2;
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    const error = await command.executeScalar().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const elapsed = performance.now() - started;
    histogram.disable();
    // The statement really ran for the whole 2 s and was stopped by the command timeout…
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    // …while the event loop kept turning: an engine on this thread would have blocked it for 2 000 ms.
    const maxDelayMs = histogram.max / 1e6;
    console.info(
      `event-loop delay during a 2 s statement: max ${maxDelayMs.toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, mean ${(histogram.mean / 1e6).toFixed(1)} ms`,
    );
    expect(maxDelayMs).toBeLessThan(250);
  }, 30_000);

  it('cancel() interrupts the engine mid-computation (SQLITE_INTERRUPT) and the same connection runs on', async () => {
    const connection = await files.open(`Data Source=${files.path('cancel.db')}`);
    const command = connection.createCommand(BUSY_SQL);
    const { error, afterCancelMs } = await cancelWhileRunning(command, () => command.executeScalar(), 300);
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(causes(error).some((cause) => (cause as { code?: unknown }).code === 'SQLITE_INTERRUPT')).toBe(true);
    expect(afterCancelMs).toBeLessThan(2_000);
    expect(connection.state).toBe(ConnectionState.Open);
    expect(await connection.createCommand('SELECT 41 + 1').executeScalar()).toBe(42n);
  }, 30_000);

  it('a reader abandoned mid-way leaves no interrupt pending and no lock held', async () => {
    const path = files.path('abandon.db');
    const connection = await files.open(`Data Source=${path}`);
    await connection.createCommand('CREATE TABLE t (n integer)').executeNonQuery();
    await connection
      .createCommand(
        'WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 5000) INSERT INTO t SELECT n FROM g',
      )
      .executeNonQuery();
    const reader = await connection.createCommand('SELECT n FROM t ORDER BY n').executeReader();
    expect(await reader.read()).toBe(true);
    await reader.close();
    expect(await connection.createCommand('SELECT count(*) FROM t').executeScalar()).toBe(5000n);
    const writer = await files.open(`Data Source=${path};Default Timeout=1`);
    expect(await writer.createCommand('DELETE FROM t WHERE n > 10').executeNonQuery()).toBe(4990);
  }, 30_000);

  it('a reader canceled mid-stream leaves nothing running: a later canceled statement does not fail the next one with "interrupted"', async () => {
    // Pooling=false: the same worker on purpose, without the pool in the picture.
    const connection = await files.open(`Data Source=${files.path('cancel-reader.db')};Pooling=false`);
    const streaming = connection.createCommand(
      "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200000) SELECT n, hex(zeroblob(100)) FROM g",
    );
    const reader = await streaming.executeReader();
    expect(await reader.read()).toBe(true);
    streaming.cancel();
    const stopped = await (async () => {
      while (await reader.read()) {
        // rows already fetched may still come
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(stopped).toBeInstanceOf(OperationCanceledError);
    await reader.close();
    expect(await connection.createCommand('SELECT 1').executeScalar()).toBe(1n);
    const busy = connection.createCommand(BUSY_SQL);
    const { error } = await cancelWhileRunning(busy, () => busy.executeScalar(), 200);
    expect(error).toBeInstanceOf(OperationCanceledError);
    // Before the fix the failed fetch's statement was stepped again (SQLite re-ran it) and stayed running, so this
    // interrupt stayed pending and failed the next statement with SQLITE_INTERRUPT.
    expect(await connection.createCommand('SELECT 41 + 1').executeScalar()).toBe(42n);
  }, 30_000);

  it('a statement that does not stop within 5 s of the interrupt costs its worker: the command is canceled, the connection is Broken, a new open works', async () => {
    const dataSource = `Data Source=${files.path('sparse.db')}`;
    const connection = await files.open(dataSource);
    // The first row comes at once, the next ones after billions of steps: libsql reads them in one synchronous
    // batch, during which the worker cannot take the interrupt message.
    const command = connection.createCommand(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) ' +
        'SELECT x FROM c WHERE x = 1 OR x % 10000000000 = 0',
    );
    const { error, afterCancelMs } = await cancelWhileRunning(command, () => command.executeReader(), 500);
    // Core reports the cancel the caller asked for; the connection tells that the session was lost with it.
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(afterCancelMs).toBeLessThan(10_000);
    expect(connection.state).toBe(ConnectionState.Broken);
    await connection.close();
    const next = await files.open(dataSource);
    expect(await next.createCommand('SELECT 1').executeScalar()).toBe(1n);
  }, 30_000);
});
