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
 * Scenario 2 — open/close with pooling: `cycles` × (open → `SELECT 1` → close) through the pool, one after the other.
 * asyncdb's close resets the session before it is pooled again when the session is dirty (docs/pooling.md); the
 * drivers' pools never do. The alternatives (pg pipeline mode, postgres.js) have no checkout at all: each cycle is one
 * query on a shared client, which is what choosing them buys.
 */
export async function runOpenClose(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const cycles = plan.openCloseCycles;
  return withSubjects(endpoint, plan.concurrency.poolSize, async (subjects) => {
    const { asyncdb, raw, alternatives } = subjects;
    const timedRun = (subject: BenchSubject, count: number) => (): Promise<Timing> =>
      measure(() => repeat(count, () => subject.pooledSelectOne()));
    for (const subject of [asyncdb, raw, ...alternatives]) await timedRun(subject, warmUpCount(cycles))();
    const results = await alternate(plan.runs, sidesOf(subjects, (subject) => timedRun(subject, cycles)), (side, run, timing) =>
      context.log(`  open/close ${side} run ${run}: ${perSecond(cycles, timing.ms).toFixed(0)} cycles/s`),
    );
    const rate = (timings: readonly Timing[]) => timings.map((timing) => perSecond(cycles, timing.ms));
    const cpu = (timings: readonly Timing[]) => median(timings.map((timing) => timing.cpuMicros / cycles));
    const sides = [
      ['asyncdb', 'asyncdb'],
      ['raw', raw.baselines.pooled],
      ...alternatives.map((subject) => [subject.name, subject.baselines.pooled]),
    ] as const;
    const runs: RunRecord[] = sides.flatMap(([side, subject]) =>
      results[side]!.map((timing, index) => ({
        scenario: 'open-close' as const,
        provider,
        subject,
        run: index + 1,
        values: {
          cycles,
          ms: timing.ms,
          cyclesPerSecond: perSecond(cycles, timing.ms),
          cpuMicrosPerCycle: timing.cpuMicros / cycles,
        },
      })),
    );
    const main: MetricInput = {
      scenario: 'open-close',
      provider,
      label: `open → SELECT 1 → close, pooled: ${cycles.toLocaleString('en-US')} cycles (cycles/s)`,
      unit: 'per-second',
      better: 'higher',
      asyncdbRuns: rate(results['asyncdb']!),
      rawRuns: rate(results['raw']!),
      baseline: raw.baselines.pooled,
      target: { on: 'ratio', op: '>=', value: 0.95 },
    };
    const mainCost: CpuCost = {
      scenario: 'open-close',
      provider,
      operation: 'pooled open → SELECT 1 → close',
      asyncdbMicros: cpu(results['asyncdb']!),
      rawMicros: cpu(results['raw']!),
      baseline: raw.baselines.pooled,
    };
    const baselineOf = (subject: BenchSubject) => subject.baselines.pooled;
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
