import { ConnectionState, DbTimeoutError, OperationCanceledError } from '@asyncdb/core';
import { startFaultProxy, type FaultProxy } from '@asyncdb/testkit';
import { afterEach, expect, it } from 'vitest';
import type { PgConnection } from '../src/index.js';
import { backendState, eventually, openConnection, pgUrl } from './pg-integration-helpers.js';

/** Core's grace period for a provider to settle after an abort (core's CANCEL_GRACE_MS). */
const CANCEL_GRACE_MS = 5_000;

const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

/** An unpooled connection to the test server through a fault proxy. */
async function openThroughProxy(): Promise<{ connection: PgConnection; proxy: FaultProxy }> {
  const url = new URL(pgUrl());
  const proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  proxies.push(proxy);
  const connection = await openConnection({ Host: proxy.host, Port: proxy.port, Pooling: false });
  return { connection, proxy };
}

/** Starts `run`, waits until the backend executes it, stalls the network, and times how long `run` takes to fail. */
async function stalledFailure(
  connection: PgConnection,
  proxy: FaultProxy,
  run: () => Promise<unknown>,
): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const outcome = run().then(
    () => undefined,
    (error: unknown) => error,
  );
  await eventually(async () => (await backendState(connection.sessionId)) === 'active');
  proxy.stall();
  const error = await outcome;
  return { error, elapsedMs: Date.now() - started };
}

// Issue 13, item 8: on a network that went silent, an aborted command gets one grace period (CANCEL_GRACE_MS) to
// settle, not one per wait: the reader's close used to start a second full grace behind the hung fetch.
// The bound is deadline + one grace + 3 s of slack for a loaded machine; two graces would be deadline + 10 s.
it('a command timeout on a stalled network rejects within one grace period, and the connection is Broken', async () => {
  const { connection, proxy } = await openThroughProxy();
  const command = connection.createCommand('SELECT pg_sleep(30)');
  command.commandTimeout = 1;
  const { error, elapsedMs } = await stalledFailure(connection, proxy, () => command.executeScalar());
  expect(error).toBeInstanceOf(DbTimeoutError);
  expect(elapsedMs).toBeLessThan(1_000 + CANCEL_GRACE_MS + 3_000);
  expect(connection.state).toBe(ConnectionState.Broken);
  const closing = Date.now();
  await connection.close();
  expect(Date.now() - closing).toBeLessThan(2_000);
});

it('an aborted reader on a stalled network rejects within one grace period', async () => {
  const { connection, proxy } = await openThroughProxy();
  const controller = new AbortController();
  const { error, elapsedMs } = await stalledFailure(connection, proxy, async () => {
    setTimeout(() => controller.abort(), 500);
    const reader = await connection
      .createCommand('SELECT 1 UNION ALL SELECT 2 FROM pg_sleep(30)')
      .executeReader({ signal: controller.signal });
    while (await reader.read());
  });
  expect(error).toBeInstanceOf(OperationCanceledError);
  expect(elapsedMs).toBeLessThan(500 + CANCEL_GRACE_MS + 3_000);
  expect(connection.state).toBe(ConnectionState.Broken);
  await connection.close();
});
