import { alternate } from '../run/alternate.js';
import { measure, repeat, type Timing } from '../run/measure.js';
import { buildMetric } from '../run/metric.js';
import { warmUpCount } from '../run/plan.js';
import type { RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';
import { median, perSecond } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { withSubjects } from './subject-pair.js';

/**
 * Scenario 2 — open/close with pooling: `cycles` × (open → `SELECT 1` → close) through the pool, one after the other.
 * asyncdb's close resets the session before it is pooled again (docs/pooling.md); the drivers' pools do not, so the
 * reset is part of what this measures.
 */
export async function runOpenClose(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const cycles = plan.openCloseCycles;
  return withSubjects(endpoint, plan.concurrency.poolSize, async ({ asyncdb, raw }) => {
    const timedRun = (subject: BenchSubject, count: number) => (): Promise<Timing> =>
      measure(() => repeat(count, () => subject.pooledSelectOne()));
    await timedRun(asyncdb, warmUpCount(cycles))();
    await timedRun(raw, warmUpCount(cycles))();
    const results = await alternate(
      plan.runs,
      { asyncdb: timedRun(asyncdb, cycles), raw: timedRun(raw, cycles) },
      (side, run, timing) =>
        context.log(`  open/close ${side} run ${run}: ${perSecond(cycles, timing.ms).toFixed(0)} cycles/s`),
    );
    const rate = (timings: readonly Timing[]) => timings.map((timing) => perSecond(cycles, timing.ms));
    const cpu = (timings: readonly Timing[]) => timings.map((timing) => timing.cpuMicros / cycles);
    const runs: RunRecord[] = (['asyncdb', 'raw'] as const).flatMap((side) =>
      results[side].map((timing, index) => ({
        scenario: 'open-close' as const,
        provider,
        subject: side === 'asyncdb' ? 'asyncdb' : raw.baselines.pooled,
        run: index + 1,
        values: {
          cycles,
          ms: timing.ms,
          cyclesPerSecond: perSecond(cycles, timing.ms),
          cpuMicrosPerCycle: timing.cpuMicros / cycles,
        },
      })),
    );
    return {
      metrics: [
        buildMetric({
          scenario: 'open-close',
          provider,
          label: `open → SELECT 1 → close, pooled: ${cycles.toLocaleString('en-US')} cycles (cycles/s)`,
          unit: 'per-second',
          better: 'higher',
          asyncdbRuns: rate(results.asyncdb),
          rawRuns: rate(results.raw),
          baseline: raw.baselines.pooled,
          target: { on: 'ratio', op: '>=', value: 0.95 },
        }),
      ],
      runs,
      cpu: [
        {
          scenario: 'open-close',
          provider,
          operation: 'pooled open → SELECT 1 → close',
          asyncdbMicros: median(cpu(results.asyncdb)),
          rawMicros: median(cpu(results.raw)),
          baseline: raw.baselines.pooled,
        },
      ],
      details: [],
    };
  });
}
