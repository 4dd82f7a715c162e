import {
  ConnectionState,
  ConnectionStringError,
  DbError,
  DbTimeoutError,
  OperationCanceledError,
  clearPool,
} from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgConnectionStringBuilder, PgProviderFactory, type PgConnection } from '../src/index.js';
import { pgReplayStats } from '../src/pg-one-shot.js';
import {
  backendState,
  connectionString,
  eventually,
  execute,
  rows,
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
    // Evicted by the session's life-long listener as soon as the socket closes, before any open asks for it.
    await eventually(async () => PgProviderFactory.instance.pools.poolOf(builder).counts.total === 0);

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

  it('refuses Min Pool Size above Max Pool Size with the ADO.NET message', async () => {
    const error = await openConnection(poolOf({ 'Min Pool Size': 3, 'Max Pool Size': 2 })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect((error as Error).message).toContain('min pool size cannot be greater than the max pool size');
  });

  it('keeps Min Pool Size sessions open, created in the background once the pool is used', async () => {
    const keywords = poolOf({ 'Min Pool Size': 3 });
    const connection = await openConnection(keywords);
    const count = (): Promise<bigint> =>
      withObserver((observer) =>
        scalar<bigint>(observer, 'SELECT count(*) FROM pg_stat_activity WHERE application_name = @name', {
          name: keywords['Application Name'],
        }),
      );
    await eventually(async () => (await count()) === 3n);
    await connection.close();
    expect(await count()).toBe(3n);
  });

  // Issue 13 item 9: pg-pool handed idle clients out on the next tick, so a burst on a warm pool ignored the pool wait.
  /** The test server as a host list of one host with its own port: the open takes the multi-host path. */
  function hostListOf(): Keywords {
    const builder = new PgConnectionStringBuilder(connectionString());
    return { Host: `${builder.host ?? 'localhost'}:${builder.port}` };
  }

  it.each([
    ['a connection string of one host (core takes from the pool directly)', (): Keywords => ({})],
    ['a host list (the open picks the host, then takes from its pool)', hostListOf],
  ])(
    'a burst of opens on a warm pool, %s: the waiting ones fail at Connect Timeout as pool timeouts, an aborted one at once',
    async (_path, extra) => {
      const keywords = poolOf({ 'Max Pool Size': 2, 'Connect Timeout': 1, ...extra() });
      const warm = await Promise.all([openConnection(keywords), openConnection(keywords)]);
      await Promise.all(warm.map((connection) => connection.close()));

      const started = Date.now();
      const settle = (promise: Promise<unknown>): Promise<{ outcome: unknown; ms: number }> =>
        promise.then(
          (outcome) => ({ outcome, ms: Date.now() - started }),
          (outcome: unknown) => ({ outcome, ms: Date.now() - started }),
        );
      const controller = new AbortController();
      const aborted = PgProviderFactory.instance.createConnection(connectionString(keywords));
      const burst = [
        settle(openConnection(keywords)),
        settle(openConnection(keywords)),
        settle(openConnection(keywords)),
        settle(aborted.open({ signal: controller.signal })),
      ];
      setTimeout(() => controller.abort('enough'), 100);
      const [first, second, third, fourth] = (await Promise.all(burst)) as Array<{ outcome: unknown; ms: number }>;
      expect(first!.outcome).toHaveProperty('state', ConnectionState.Open);
      expect(second!.outcome).toHaveProperty('state', ConnectionState.Open);
      expect(third!.outcome).toBeInstanceOf(DbTimeoutError);
      expect((third!.outcome as DbTimeoutError).kind).toBe('pool');
      expect(third!.ms).toBeGreaterThanOrEqual(950);
      expect(fourth!.outcome).toBeInstanceOf(OperationCanceledError);
      expect(fourth!.ms).toBeLessThan(900);
      for (const held of [first!, second!]) await (held.outcome as { close(): Promise<void> }).close();
      // Neither the pool timeout nor the abort marked the host down: the next open gets a session at once.
      const after = await openConnection(keywords);
      expect(await scalar(after, 'SELECT 1')).toBe(1);
      await after.close();
    },
  );

  // Issue 13 item 9, the burst of the hostile probe: many opens and Begin operations at once on a pool of 2, and every
  // one either completes or fails with the typed pool timeout — none hangs, none fails otherwise.
  it.each([
    ['one host', (): Keywords => ({})],
    ['a host list', hostListOf],
  ])(
    '60 concurrent opens and beginExecuteScalar on a pool of 2 (%s) all complete or time out as pool timeouts',
    async (_path, extra) => {
      const keywords = poolOf({
        'Max Pool Size': 2,
        'Connect Timeout': 1,
        'Asynchronous Processing': true,
        ...extra(),
      });
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, async (_, index) => {
          try {
            const connection = await openConnection(keywords);
            try {
              const command = connection.createCommand();
              command.commandText = 'SELECT pg_sleep(0.05)::text || @i';
              command.parameters.addWithValue('i', index);
              const value =
                index % 2 === 0
                  ? await command.endExecuteScalar(command.beginExecuteScalar())
                  : await command.executeScalar();
              return value === `${index}` ? 'done' : `wrong value ${String(value)}`;
            } finally {
              await connection.close();
            }
          } catch (error) {
            return error instanceof DbTimeoutError && error.kind === 'pool'
              ? 'pool timeout'
              : `failed: ${String(error)}`;
          }
        }),
      );
      const unexpected = outcomes.filter((outcome) => outcome !== 'done' && outcome !== 'pool timeout');
      expect(unexpected).toEqual([]);
      expect(outcomes).toContain('done');
    },
  );

  // Issue 13 item 10: a session killed while idle must never reach the next caller once its socket has told us.
  it('never hands out a session killed while idle once the server has closed it: 20 kills, 0 failures', async () => {
    const { failures } = await killIdleAndReuse(poolOf({ 'Max Pool Size': 1 }), { awaitGoodbye: true }, selectTwo);
    expect(failures).toEqual([]);
  });

  // Issue 13 item 10, the window no hand-out check closes: the server's goodbye (FATAL 57P01, then EOF) still in
  // flight when the session is reused at once. The checkout's first command is answered by that goodbye before
  // anything else, so it never ran: it is replayed on a new connection, transparently.
  it('the first command on a session killed while idle and reused at once is replayed: 20 kills, 0 failures', async () => {
    const { failures, replayed } = await killIdleAndReuse(
      poolOf({ 'Max Pool Size': 1 }),
      { awaitGoodbye: false },
      selectTwo,
    );
    expect(failures).toEqual([]);
    console.log(`pg: idle session killed and reused at once: ${replayed}/20 first commands replayed, 0 failed`);
  });

  it('a first BEGIN on a session killed while idle is replayed, and the transaction works on the new session', async () => {
    const { failures } = await killIdleAndReuse(
      poolOf({ 'Max Pool Size': 1 }),
      { awaitGoodbye: false },
      async (next) => {
        const transaction = await next.beginTransaction();
        const command = next.createCommand('SELECT 2');
        command.transaction = transaction;
        expect(await command.executeScalar()).toBe(2);
        await transaction.commit();
      },
    );
    expect(failures).toEqual([]);
  });

  it('a replayed first INSERT is written once: 20 kills, 20 rows', async () => {
    const table = `replay_${uniqueName('t').replace(/\W/g, '_')}`;
    await withObserver((observer) => execute(observer, `CREATE TABLE ${table} (n int)`));
    try {
      let round = 0;
      const { failures } = await killIdleAndReuse(
        poolOf({ 'Max Pool Size': 1 }),
        { awaitGoodbye: false },
        async (next) => {
          round += 1;
          expect(await execute(next, `INSERT INTO ${table} VALUES (@n)`, { n: round })).toBe(1);
        },
      );
      expect(failures).toEqual([]);
      const written = await withObserver((observer) =>
        rows(observer, `SELECT count(*)::int, count(DISTINCT n)::int FROM ${table}`),
      );
      expect(written).toEqual([[20, 20]]);
    } finally {
      await withObserver((observer) => execute(observer, `DROP TABLE ${table}`));
    }
  });

  // With a target role the reused session's first query is the role check: a goodbye there says nothing about the host.
  it('a role check on a session killed while idle moves it to a new connection and never marks the host down', async () => {
    // Host Recheck Seconds=0: the role is asked on every open, so the reused session's first query is the role check.
    const keywords = poolOf({ 'Max Pool Size': 1, 'Target Session Attributes': 'primary', 'Host Recheck Seconds': 0 });
    const { failures } = await killIdleAndReuse(keywords, { awaitGoodbye: false }, selectTwo);
    expect(failures).toEqual([]);
    const builder = new PgConnectionStringBuilder(connectionString(keywords));
    const hosts = PgProviderFactory.instance.hostSets.get(builder.hostEndpoints, builder.hostRecheckSeconds * 1000);
    expect(hosts.endpoints.filter((endpoint) => hosts.isDown(endpoint))).toEqual([]);
  });

  // The reader (cursor) path replays the same way: its first group of messages is sent again on the new connection.
  it('a first executeReader on a session killed while idle and reused at once is replayed: 20 kills, 0 failures', async () => {
    const { failures, replayed } = await killIdleAndReuse(
      poolOf({ 'Max Pool Size': 1 }),
      { awaitGoodbye: false },
      async (next) => {
        const command = next.createCommand();
        command.commandText = 'SELECT n FROM generate_series(1, 3) AS n';
        await using reader = await command.executeReader();
        const values: unknown[] = [];
        while (await reader.read()) values.push(reader.getValue(0));
        expect(values).toEqual([1, 2, 3]);
      },
    );
    expect(failures).toEqual([]);
    console.log(
      `pg: idle session killed and reused at once by a reader: ${replayed}/20 first readers replayed, 0 failed`,
    );
  });

  // A replayed first command runs again on the new connection: what it leaves in the session must still be reset
  // before the next checkout (the replay used to forget what the reader's statement had marked dirty).
  it.each([
    [
      'reader',
      (next: PgConnection) =>
        next
          .createCommand(CREATE_TEMP)
          .executeReader()
          .then((r) => r.close()),
    ],
    ['executeNonQuery', (next: PgConnection) => next.createCommand(CREATE_TEMP).executeNonQuery()],
  ])(
    'a replayed first %s that creates a temporary table still owes the reset: the next checkout is clean',
    async (_, run) => {
      const { failures, replayed } = await killIdleAndReuse(
        poolOf({ 'Max Pool Size': 1 }),
        { awaitGoodbye: false },
        async (next) => {
          await run(next);
        },
        async (after) => {
          expect(await scalar(after, "SELECT to_regclass('pg_temp.replay_dirt') IS NULL")).toBe(true);
        },
      );
      expect(failures).toEqual([]);
      expect(replayed).toBeGreaterThan(0);
    },
  );
});

const CREATE_TEMP = 'CREATE TEMP TABLE replay_dirt (n int)';

/** The first command of most rounds: a scalar on the reused session. */
async function selectTwo(next: PgConnection): Promise<void> {
  expect(await scalar(next, 'SELECT 2')).toBe(2);
}

/**
 * 20 rounds of: open, close (the session goes idle), pg_terminate_backend it, optionally wait until the backend is
 * gone, open again and run `first` on the reused connection. Returns the errors of the rounds that failed and how
 * many first commands were replayed; checks after each round that the next open works (and passes `check`).
 */
async function killIdleAndReuse(
  keywords: Keywords,
  { awaitGoodbye }: { awaitGoodbye: boolean },
  first: (next: PgConnection) => Promise<void>,
  check?: (after: PgConnection) => Promise<void>,
): Promise<{ failures: unknown[]; replayed: number }> {
  const failures: unknown[] = [];
  const replayedBefore = pgReplayStats.replayed;
  await withObserver(async (observer) => {
    for (let round = 0; round < 20; round++) {
      const connection = await openConnection(keywords);
      const pid = connection.sessionId;
      await connection.close();
      await scalar(observer, 'SELECT pg_terminate_backend(@pid)', { pid });
      if (awaitGoodbye) await eventually(async () => (await backendState(pid)) === null);
      const next = await openConnection(keywords);
      try {
        await first(next);
        expect(next.state).toBe(ConnectionState.Open);
        expect(next.sessionId).not.toBe(pid);
      } catch (error) {
        failures.push(error);
      } finally {
        await next.close();
      }
      const after = await openConnection(keywords);
      await check?.(after);
      expect(await scalar(after, 'SELECT 3')).toBe(3);
      await after.close();
    }
  });
  return { failures, replayed: pgReplayStats.replayed - replayedBefore };
}
