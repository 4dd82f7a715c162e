import { DbError, type DbProviderFactory } from '@asyncdb/core';
import { startPostgresCluster } from '@asyncdb/test-servers';
import type { Cleanup } from '../cleanup.js';
import { describeError } from '../describe-error.js';
import type { Output } from '../output.js';

/** How long each phase of the failover scenario lasts, and how many callers run. */
export interface FailoverOptions {
  /** Callers running Begin/End queries in a loop; default 20. */
  readonly callers?: number;
  /** Seconds of traffic before the primary is killed; default 4. */
  readonly beforeSeconds?: number;
  /** Seconds of traffic after the standby is promoted; default 5. */
  readonly afterSeconds?: number;
}

/** What the scenario measured. */
export interface FailoverOutcome {
  /** Milliseconds from the promotion's end to the first write acknowledged by the new primary. */
  readonly gapMs: number | undefined;
  /** Milliseconds from the kill of the primary to the first write acknowledged by the new primary: the outage. */
  readonly outageMs: number | undefined;
  readonly ratePerSecondBefore: number;
  readonly ratePerSecondAfter: number;
  readonly failures: number;
  /** Failures that were not a transient DbError (should be 0). */
  readonly untypedFailures: number;
}

/**
 * The failover scenario (`npm run demo -- failover`, opt-in: it starts its own primary and hot standby from Debian's
 * PostgreSQL binaries). Callers open `Host=primary,s1;Target Session Attributes=primary` and run one INSERT each
 * through BeginOpen/EndOpen and BeginExecuteScalar/EndExecuteScalar, in a loop; a line per second shows the rate,
 * the failures and the server that answered. Then the primary is killed (immediate shutdown), s1 promoted, and the
 * gap until the first write on s1 and the recovered rate are shown as they happen.
 */
export async function runFailover(
  factory: DbProviderFactory,
  output: Output,
  cleanup: Cleanup,
  options: FailoverOptions = {},
): Promise<FailoverOutcome> {
  output.heading(
    'Failover',
    'A primary and a hot standby; callers write through Begin/End with Target Session Attributes=primary; the primary is killed and the standby promoted.',
  );
  const cluster = await startPostgresCluster({ standbys: 1 });
  cleanup.add(() => cluster.stop());
  const [primary, standby] = [cluster.primary, cluster.standbys[0]!];
  output.line(
    `Started primary 127.0.0.1:${primary.port} and standby s1 127.0.0.1:${standby.port} in ${cluster.startupMs} ms.`,
  );
  await cluster.query('primary', 'CREATE TABLE ticks (id bigserial PRIMARY KEY, caller int NOT NULL)');
  const cs =
    `Host=${cluster.hostList()};Username=postgres;Database=test;Target Session Attributes=primary;` +
    'Asynchronous Processing=true;Connect Timeout=5;Host Recheck Seconds=1';

  let stopped = false;
  let ok = 0;
  let failed = 0;
  let untyped = 0;
  let lastPort: number | undefined;
  let promotedAt: number | undefined;
  let firstOnStandbyAt: number | undefined;
  const caller = async (id: number): Promise<void> => {
    while (!stopped && !cleanup.signal.aborted) {
      const connection = factory.createConnection(cs);
      try {
        await connection.endOpen(connection.beginOpen());
        const command = connection.createCommand(
          `INSERT INTO ticks (caller) VALUES (${id}) RETURNING inet_server_port()`,
        );
        const port = Number(await command.endExecuteScalar(command.beginExecuteScalar()));
        ok += 1;
        lastPort = port;
        if (port === standby.port && promotedAt !== undefined && firstOnStandbyAt === undefined)
          firstOnStandbyAt = Date.now();
      } catch (error) {
        failed += 1;
        if (!(error instanceof DbError && error.isTransient)) {
          untyped += 1;
          output.failure(`caller ${id}: ${describeError(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        await connection.close();
      }
    }
  };

  const started = Date.now();
  let previous = { ok: 0, failed: 0 };
  const ticker = setInterval(() => {
    const second = Math.round((Date.now() - started) / 1000);
    const host = lastPort === undefined ? '—' : lastPort === primary.port ? 'primary' : 's1';
    output.line(
      `  t=${String(second).padStart(2)} s  ${String(ok - previous.ok).padStart(5)} writes/s  ${String(failed - previous.failed).padStart(3)} failed  last answered by ${host}`,
    );
    previous = { ok, failed };
  }, 1000);
  const callers = Array.from({ length: options.callers ?? 20 }, (_, index) => caller(index + 1));
  const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  let before = 0;
  let after = 0;
  try {
    await sleep(options.beforeSeconds ?? 4);
    before = ok;
    const beforeSeconds = (Date.now() - started) / 1000;
    output.line('  >> killing the primary (pg_ctl stop -m immediate)');
    const killedAt = Date.now();
    await cluster.kill('primary');
    output.line('  >> promoting s1 (pg_promote)');
    await cluster.promote('s1');
    promotedAt = Date.now();
    output.line('  >> s1 is the primary');
    const afterFrom = ok;
    await sleep(options.afterSeconds ?? 5);
    after = ok - afterFrom;
    stopped = true;
    await Promise.all(callers);
    const gapMs = firstOnStandbyAt === undefined ? undefined : firstOnStandbyAt - promotedAt;
    const outcome: FailoverOutcome = {
      gapMs,
      outageMs: firstOnStandbyAt === undefined ? undefined : firstOnStandbyAt - killedAt,
      ratePerSecondBefore: Math.round(before / beforeSeconds),
      ratePerSecondAfter: Math.round(after / (options.afterSeconds ?? 5)),
      failures: failed,
      untypedFailures: untyped,
    };
    const gap = gapMs === undefined ? 'never' : `${gapMs} ms`;
    const summary =
      `first write on s1 ${gap} after the promotion (${outcome.outageMs ?? '—'} ms after the kill); ` +
      `${outcome.ratePerSecondBefore} writes/s before, ` +
      `${outcome.ratePerSecondAfter} after; ${failed} failures, ${untyped} not a transient DbError`;
    if (gapMs !== undefined && untyped === 0) output.success(summary);
    else output.failure(summary);
    return outcome;
  } finally {
    stopped = true;
    clearInterval(ticker);
    await Promise.allSettled(callers);
  }
}
