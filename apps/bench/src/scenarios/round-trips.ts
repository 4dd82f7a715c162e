import { alternate } from '../run/alternate.js';
import { measure, repeat, type Timing } from '../run/measure.js';
import { buildMetric, type MetricInput } from '../run/metric.js';
import { warmUpCount } from '../run/plan.js';
import type { CpuCost, RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';
import { median, perSecond } from '../stats/stats.js';
import { alternativeCosts, alternativeMetrics } from './alternative-rows.js';
import type { ScenarioContext } from './scenario-context.js';
import { sidesOf, withSubjects } from './subject-pair.js';

/**
 * Scenario 1 — round trips: `count` sequential `SELECT 1` on one open connection, per run a fresh connection (its
 * open is not timed). Measures the per-command cost of the whole stack: asyncdb's command and reader machinery plus
 * the provider, against the driver's cheapest way to run the same text (and, on pg, the other clients a user could
 * pick).
 */
export async function runRoundTrips(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const count = plan.roundTrips;
  return withSubjects(endpoint, plan.concurrency.poolSize, async (subjects) => {
    const { asyncdb, raw, alternatives } = subjects;
    const timedRun = (subject: BenchSubject, operations: number) => async (): Promise<Timing> => {
      const session = await subject.openSession();
      try {
        return await measure(() => repeat(operations, () => session.selectOne()));
      } finally {
        await session.close();
      }
    };
    for (const subject of [asyncdb, raw, ...alternatives]) await timedRun(subject, warmUpCount(count))();
    const results = await alternate(plan.runs, sidesOf(subjects, (subject) => timedRun(subject, count)), (side, run, timing) =>
      context.log(`  round trips ${side} run ${run}: ${perSecond(count, timing.ms).toFixed(0)} ops/s`),
    );
    const rate = (timings: readonly Timing[]) => timings.map((timing) => perSecond(count, timing.ms));
    const cpu = (timings: readonly Timing[]) => median(timings.map((timing) => timing.cpuMicros / count));
    const sides = [
      ['asyncdb', 'asyncdb'],
      ['raw', raw.baselines.roundTrips],
      ...alternatives.map((subject) => [subject.name, subject.baselines.roundTrips]),
    ] as const;
    const runs: RunRecord[] = sides.flatMap(([side, subject]) =>
      results[side]!.map((timing, index) => ({
        scenario: 'round-trips' as const,
        provider,
        subject,
        run: index + 1,
        values: {
          operations: count,
          ms: timing.ms,
          opsPerSecond: perSecond(count, timing.ms),
          cpuMicrosPerOp: timing.cpuMicros / count,
        },
      })),
    );
    const main: MetricInput = {
      scenario: 'round-trips',
      provider,
      label: `round trips: ${count.toLocaleString('en-US')} × SELECT 1 (ops/s)`,
      unit: 'per-second',
      better: 'higher',
      asyncdbRuns: rate(results['asyncdb']!),
      rawRuns: rate(results['raw']!),
      baseline: raw.baselines.roundTrips,
      target: { on: 'ratio', op: '>=', value: 0.95 },
    };
    const mainCost: CpuCost = {
      scenario: 'round-trips',
      provider,
      operation: 'SELECT 1 on an open connection',
      asyncdbMicros: cpu(results['asyncdb']!),
      rawMicros: cpu(results['raw']!),
      baseline: raw.baselines.roundTrips,
    };
    const baselineOf = (subject: BenchSubject) => subject.baselines.roundTrips;
    return {
      metrics: [
        buildMetric(main),
        ...alternativeMetrics(main, alternatives, (subject) => rate(results[subject.name]!), baselineOf),
      ],
      runs,
      cpu: [mainCost, ...alternativeCosts(mainCost, alternatives, (subject) => cpu(results[subject.name]!), baselineOf)],
      details: [],
    };
  });
}
