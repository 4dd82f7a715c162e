import { DbError } from '@asyncdb/core';
import type { PostgresCluster } from '@asyncdb/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory } from '../../src/index.js';
import { clusterConnectionString, startCluster } from './cluster-helpers.js';

let cluster: PostgresCluster;
let factory: PgProviderFactory;

beforeAll(async () => {
  ({ cluster, factory } = await startCluster());
  await cluster.query('primary', 'CREATE TABLE acknowledged (id bigserial PRIMARY KEY, caller int NOT NULL)');
});

afterAll(async () => {
  await factory?.clearAllPools();
  await cluster?.stop();
});

const CALLERS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL failover under load', () => {
  it('50 callers: kill the primary, promote s1 — typed transient failures only, opens reach s1 within 2 s, no acknowledged write lost', async () => {
    const cs = clusterConnectionString(cluster, 'Target Session Attributes=primary;Connect Timeout=5;Max Pool Size=60');
    const s1 = cluster.standbys[0]!;
    const acknowledged: Array<{ id: string; port: number }> = [];
    const failures: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let promoteRequestedAt: number | undefined = undefined;
    let firstOnNewPrimary: number | undefined;
    let running = true;

    const caller = async (index: number): Promise<void> => {
      for (let turn = 0; running; turn++) {
        try {
          await using connection = factory.createConnection(cs);
          await connection.open();
          const port = Number(connection.dataSource.split(':')[1]);
          if (turn % 2 === 0) {
            const insert = connection.createCommand('INSERT INTO acknowledged (caller) VALUES (@caller) RETURNING id');
            insert.parameters.addWithValue('caller', index);
            const id = String(await insert.executeScalar());
            acknowledged.push({ id, port });
          } else {
            const read = connection.createCommand('SELECT count(*) FROM acknowledged WHERE caller = @caller');
            read.parameters.addWithValue('caller', index);
            await read.executeScalar();
          }
          if (port === s1.port && promoteRequestedAt !== undefined && firstOnNewPrimary === undefined)
            firstOnNewPrimary = Date.now();
        } catch (error) {
          failures.push(error);
          await sleep(20);
        }
      }
    };
    const callers = Array.from({ length: CALLERS }, (_, index) => caller(index));
    await sleep(1_500);
    const beforeKill = acknowledged.length;
    await cluster.kill('primary');
    const killedAt = Date.now();
    await sleep(500);
    // A watcher on s1 notes when it leaves recovery (the promotion itself takes the server a while, more so on a
    // loaded machine); the gap is measured from that moment, and also reported from the promotion request.
    await using watcher = new PgProviderFactory().createConnection(
      `Host=${s1.host};Port=${s1.port};Username=postgres;Database=test;Pooling=false`,
    );
    await watcher.open();
    promoteRequestedAt = Date.now();
    const promoting = cluster.promote('s1');
    while ((await watcher.createCommand('SELECT pg_is_in_recovery()').executeScalar()) === true) await sleep(5);
    const promotedAt = Date.now();
    await promoting;
    while (firstOnNewPrimary === undefined && Date.now() - promoteRequestedAt < 10_000) await sleep(10);
    await sleep(1_500);
    running = false;
    await Promise.all(callers);
    process.removeListener('unhandledRejection', onUnhandled);

    const firstOpen = firstOnNewPrimary ?? Number.POSITIVE_INFINITY;
    const gap = Math.max(0, firstOpen - promotedAt);
    const afterFailover = acknowledged.filter((write) => write.port === s1.port).length;
    const onS1 = new Set(
      (await cluster.query<{ id: string }>('s1', 'SELECT id::text AS id FROM acknowledged')).map((row) => row.id),
    );
    const lost = acknowledged.filter((write) => !onS1.has(write.id));
    const untyped = failures.filter((error) => !(error instanceof DbError) || !error.isTransient);
    console.log(
      `[failover] ${CALLERS} callers; ${beforeKill} writes acknowledged before the kill, ${afterFailover} on s1 after; ` +
        `kill → promotion request ${promoteRequestedAt - killedAt} ms, s1 out of recovery ${promotedAt - promoteRequestedAt} ms later; ` +
        `first open on the new primary ${gap} ms after s1 left recovery (${firstOpen - promoteRequestedAt} ms after the request); ` +
        `${failures.length} failures seen by callers (all typed transient: ${untyped.length === 0}); ` +
        `${lost.length} acknowledged writes missing on s1`,
    );
    expect(unhandled).toEqual([]);
    expect(
      untyped.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))),
    ).toEqual([]);
    expect(gap).toBeLessThanOrEqual(2_000);
    expect(afterFailover).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  }, 60_000);
});
