import { PgProviderFactory } from '@asyncdb/provider-pg';
import { expect, it } from 'vitest';
import { Cleanup } from '../src/cleanup.js';
import { runFailover } from '../src/failover/run-failover.js';
import { captureOutput } from '../src/output.js';

// The opt-in failover scenario, shortened: a real primary + standby (Debian's PostgreSQL 15 binaries), 5 callers.
it('failover: the primary is killed, s1 promoted, writes resume on s1 and every failure is a transient DbError', async () => {
  const output = captureOutput();
  const cleanup = new Cleanup();
  try {
    const outcome = await runFailover(new PgProviderFactory(), output, cleanup, {
      callers: 5,
      beforeSeconds: 2,
      afterSeconds: 3,
    });
    console.log(output.text());
    expect(outcome.gapMs, 'a write reached s1 after its promotion').toBeTypeOf('number');
    expect(outcome.untypedFailures).toBe(0);
    expect(outcome.ratePerSecondBefore).toBeGreaterThan(0);
    expect(outcome.ratePerSecondAfter).toBeGreaterThan(0);
    const text = output.text();
    expect(text).toContain('killing the primary');
    expect(text).toContain('promoting s1');
    expect(text).toMatch(/last answered by primary/);
    expect(text).toMatch(/last answered by s1/);
    expect(text).toMatch(/first write on s1 \d+ ms after the promotion/);
  } finally {
    await cleanup.stop();
  }
}, 120_000);
