import { buildMetric } from '../run/metric.js';
import { alternate } from '../run/alternate.js';
import { measure, repeat, type Timing } from '../run/measure.js';
import { warmUpCount } from '../run/plan.js';
import type { RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';
import { median, perSecond } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { withSubjects } from './subject-pair.js';

/**
 * Scenario 1 — round trips: `count` sequential `SELECT 1` on one open connection, per run a fresh connection (its
 * open is not timed). Measures the per-command cost of the whole stack: asyncdb's command and reader machinery plus
 * the provider, against the driver's cheapest way to run the same text.
 */
export async function runRoundTrips(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const count = plan.roundTrips;
  return withSubjects(endpoint, plan.concurrency.poolSize, async ({ asyncdb, raw }) => {
    const timedRun = (subject: BenchSubject, operations: number) => async (): Promise<Timing> => {
      const session = await subject.openSession();
      try {
        return await measure(() => repeat(operations, () => session.selectOne()));
      } finally {
        await session.close();
      }
    };
    await timedRun(asyncdb, warmUpCount(count))();
    await timedRun(raw, warmUpCount(count))();
    const results = await alternate(
      plan.runs,
      { asyncdb: timedRun(asyncdb, count), raw: timedRun(raw, count) },
      (side, run, timing) =>
        context.log(`  round trips ${side} run ${run}: ${perSecond(count, timing.ms).toFixed(0)} ops/s`),
    );
    const rate = (timings: readonly Timing[]) => timings.map((timing) => perSecond(count, timing.ms));
    const cpu = (timings: readonly Timing[]) => timings.map((timing) => timing.cpuMicros / count);
    const runs: RunRecord[] = (['asyncdb', 'raw'] as const).flatMap((side) =>
      results[side].map((timing, index) => ({
        scenario: 'round-trips' as const,
        provider,
        subject: side === 'asyncdb' ? 'asyncdb' : raw.baselines.roundTrips,
        run: index + 1,
        values: {
          operations: count,
          ms: timing.ms,
          opsPerSecond: perSecond(count, timing.ms),
          cpuMicrosPerOp: timing.cpuMicros / count,
        },
      })),
    );
    return {
      metrics: [
        buildMetric({
          scenario: 'round-trips',
          provider,
          label: `round trips: ${count.toLocaleString('en-US')} × SELECT 1 (ops/s)`,
          unit: 'per-second',
          better: 'higher',
          asyncdbRuns: rate(results.asyncdb),
          rawRuns: rate(results.raw),
          baseline: raw.baselines.roundTrips,
          target: { on: 'ratio', op: '>=', value: 0.95 },
        }),
      ],
      runs,
      cpu: [
        {
          scenario: 'round-trips',
          provider,
          operation: 'SELECT 1 on an open connection',
          asyncdbMicros: median(cpu(results.asyncdb)),
          rawMicros: median(cpu(results.raw)),
          baseline: raw.baselines.roundTrips,
        },
      ],
      details: [],
    };
  });
}
