import { UNPARSABLE_SQL } from './unparsable-sql.js';
import { expect } from 'vitest';
import {
  ConnectionState,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  OperationCanceledError,
  type DbConnection,
} from '@asyncdb/core';
import type { ConformanceContext, KeywordOverrides } from '../conformance-context.js';
import { allOf, capabilityGate, gatedIt } from '../capability-gate.js';
import { fixtureGate, requirePart, sessionRecipes, sleepSql } from '../fixture-parts.js';
import { delay } from '../helpers/delay.js';
import { asInteger } from '../helpers/integer.js';
import { watchProcessFaults } from '../helpers/process-faults.js';
import { rejectionOf } from '../helpers/rejection.js';
import { sessionIdOf, waitForActiveStatement } from './session-probes.js';

const CONCURRENT_OPERATIONS = 500;
const POOL_SIZE = 10;
/** Every n-th of the concurrent operations is a syntax error, so failures are part of the leak check. */
const FAILING_EVERY = 50;

/**
 * Group 9 — Pooling and faults: `Max Pool Size`, the acquire timeout, session state reset before reuse, a session
 * killed from outside mid-query and while idle in the pool, and 500 concurrent `beginExecuteReader` calls on a pool
 * of 10 (docs/pooling.md).
 */
export function poolingSuite(context: ConformanceContext): void {
  const { capabilities, factory, fixture } = context;
  const pooling = capabilityGate(capabilities, 'supportsPooling');
  // The tests that count, reuse or wait for the session an open connection holds.
  const pooledSessions = allOf(pooling, fixtureGate(fixture, 'sessionPerConnection'));
  const sleep = fixtureGate(fixture, 'sleep');
  const serverKill = allOf(fixtureGate(fixture, 'sessionIds'), fixtureGate(fixture, 'serverKill'));
  const kill = (sessionId: string | number): string =>
    requirePart(sessionRecipes(fixture).kill, 'session.kill')(sessionId);

  /** A connection on an isolated pool, closed after the test. */
  function pooled(connectionString: string): DbConnection {
    return context.track(factory.createConnection(connectionString));
  }

  async function openIsolated(
    overrides: KeywordOverrides,
  ): Promise<{ connectionString: string; connection: DbConnection }> {
    await context.ready();
    const connectionString = context.isolatedConnectionString(overrides);
    const connection = pooled(connectionString);
    await connection.open();
    return { connectionString, connection };
  }

  gatedIt(
    allOf(pooledSessions, sleep),
    'Max Pool Size is respected: 12 concurrent users of a pool of 3 share at most 3 sessions',
    async () => {
      await context.ready();
      const connectionString = context.isolatedConnectionString({ 'Max Pool Size': 3, 'Connect Timeout': 60 });
      const sessions = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const connection = pooled(connectionString);
          await connection.open();
          try {
            const id = await sessionIdOf(context, connection);
            await context.nonQuery(connection, sleepSql(fixture, 0.2));
            return String(id);
          } finally {
            await connection.close();
          }
        }),
      );
      expect(sessions).toHaveLength(12);
      expect(new Set(sessions).size).toBeLessThanOrEqual(3);
    },
    60_000,
  );

  gatedIt(pooledSessions, 'a connection closed and opened again reuses the pooled session', async () => {
    const { connection } = await openIsolated({ 'Max Pool Size': 1 });
    const first = await sessionIdOf(context, connection);
    await connection.close();
    await connection.open();
    expect(String(await sessionIdOf(context, connection))).toBe(String(first));
  });

  gatedIt(
    pooledSessions,
    'an open waits for a full pool, gets the connection another user closes, and times out with kind pool',
    async () => {
      const { connectionString, connection: holder } = await openIsolated({ 'Max Pool Size': 1, 'Connect Timeout': 2 });
      const waiter = pooled(connectionString);
      const waiting = waiter.open();
      await delay(300);
      expect(waiter.state).toBe(ConnectionState.Connecting);
      await holder.close();
      await waiting;
      expect(asInteger(await context.scalar(waiter, 'SELECT 1'))).toBe(1);
      const late = pooled(connectionString);
      const error = await rejectionOf(late.open());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('pool');
    },
    30_000,
  );

  gatedIt(
    allOf(pooledSessions, fixtureGate(fixture, 'sessionReset')),
    'session state is reset before a pooled connection is reused',
    async () => {
      const recipe = requirePart(fixture.sessionState, 'sessionState');
      const { connection } = await openIsolated({ 'Max Pool Size': 1 });
      const session = await sessionIdOf(context, connection);
      const original = await context.scalar(connection, recipe.read);
      await context.nonQuery(connection, recipe.change);
      const changed = await context.scalar(connection, recipe.read);
      expect(changed, 'sessionState.change must change what sessionState.read returns').not.toEqual(original);
      await connection.close();
      await connection.open();
      expect(String(await sessionIdOf(context, connection)), 'the pool of size 1 hands back the same session').toBe(
        String(session),
      );
      expect(await context.scalar(connection, recipe.read)).toEqual(original);
    },
  );

  gatedIt(
    allOf(sleep, serverKill),
    'a session killed from outside mid-query fails the command with a connection_failure DbError; the next open works',
    async () => {
      const { connection } = await openIsolated({ 'Max Pool Size': 1 });
      const running = connection.createCommand(sleepSql(fixture, 30)).executeNonQuery();
      running.catch(() => {});
      const killed = await waitForActiveStatement(context, connection);
      await context.withConnection((admin) => context.nonQuery(admin, kill(killed)));
      const error = await rejectionOf(running);
      expect(error).toBeInstanceOf(DbError);
      expect(error).not.toBeInstanceOf(OperationCanceledError);
      expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
      expect(connection.state).not.toBe(ConnectionState.Open);
      await connection.close();
      await connection.open();
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
      expect(String(await sessionIdOf(context, connection))).not.toBe(String(killed));
    },
    60_000,
  );

  gatedIt(
    allOf(pooling, serverKill),
    'an idle pooled connection killed from outside never crashes the process; the next open works',
    async () => {
      const faults = watchProcessFaults();
      try {
        const { connection } = await openIsolated({ 'Max Pool Size': 1 });
        const killed = await sessionIdOf(context, connection);
        await connection.close();
        await context.withConnection((admin) => context.nonQuery(admin, kill(killed)));
        // Give the pooled socket time to see the server close it.
        await delay(500);
        await connection.open();
        expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
        expect(String(await sessionIdOf(context, connection))).not.toBe(String(killed));
        expect(faults.uncaughtExceptions).toEqual([]);
        expect(faults.unhandledRejections).toEqual([]);
      } finally {
        faults.stop();
      }
    },
    30_000,
  );

  gatedIt(
    pooling,
    '500 concurrent beginExecuteReader calls on a pool of 10 all complete, leak nothing and leave no unhandled rejection',
    async () => {
      await context.ready();
      const connectionString = context.isolatedConnectionString({
        'Asynchronous Processing': true,
        'Max Pool Size': POOL_SIZE,
        'Connect Timeout': 120,
      });
      const faults = watchProcessFaults();
      const sessions = new Set<string>();
      const connections: DbConnection[] = [];
      try {
        const run = async (index: number): Promise<number> => {
          const connection = factory.createConnection(connectionString);
          connections.push(connection);
          await connection.endOpen(connection.beginOpen());
          try {
            sessions.add(String(connection.sessionId));
            const failing = index % FAILING_EVERY === FAILING_EVERY - 1;
            const command = connection.createCommand(failing ? UNPARSABLE_SQL : `SELECT ${index}`);
            const result = command.beginExecuteReader();
            const reader = await command.endExecuteReader(result);
            try {
              if (!(await reader.read())) throw new Error(`operation ${index} returned no row`);
              return asInteger(reader.getValue(0));
            } finally {
              await reader.close();
            }
          } finally {
            await connection.close();
          }
        };
        const outcomes = await Promise.allSettled(
          Array.from({ length: CONCURRENT_OPERATIONS }, (_, index) => run(index)),
        );

        const failures = outcomes.flatMap((outcome, index) =>
          outcome.status === 'rejected' ? [[index, outcome.reason] as const] : [],
        );
        const unexpected = failures.filter(
          ([index, reason]) => index % FAILING_EVERY !== FAILING_EVERY - 1 || !(reason instanceof DbError),
        );
        expect(unexpected.map(([index, reason]) => `${index}: ${String(reason)}`)).toEqual([]);
        expect(failures).toHaveLength(CONCURRENT_OPERATIONS / FAILING_EVERY);
        outcomes.forEach((outcome, index) => {
          if (outcome.status === 'fulfilled') expect(outcome.value).toBe(index);
        });
        expect(connections.every((connection) => connection.state === ConnectionState.Closed)).toBe(true);
        expect(sessions.size).toBeLessThanOrEqual(POOL_SIZE);

        // Nothing leaked: the whole pool can be taken at once (same connection string, so the same pool), quickly.
        const again = Array.from({ length: POOL_SIZE }, () => pooled(connectionString));
        await Promise.all(again.map((connection) => connection.open({ signal: AbortSignal.timeout(10_000) })));
        for (const connection of again) expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
        await Promise.all(again.map((connection) => connection.close()));

        await delay(100);
        expect(faults.unhandledRejections).toEqual([]);
        expect(faults.uncaughtExceptions).toEqual([]);
        expect(faults.warnings.filter((warning) => warning.code === 'ASYNCDB_END_NOT_CALLED')).toEqual([]);
      } finally {
        faults.stop();
        await Promise.all(connections.map((connection) => connection.close().catch(() => {})));
      }
    },
    180_000,
  );
}
