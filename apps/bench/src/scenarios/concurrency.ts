import { monitorEventLoopDelay } from 'node:perf_hooks';
import { alternate } from '../run/alternate.js';
import { buildMetric } from '../run/metric.js';
import { warmUpCount } from '../run/plan.js';
import type { RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';
import { median, p99, perSecond } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { withSubjects } from './subject-pair.js';

/** One concurrency run's results. */
interface LoadRun {
  readonly ms: number;
  readonly cpuMicros: number;
  readonly queriesPerSecond: number;
  readonly p99LatencyMs: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

/** Sampling interval of the event-loop delay histogram: fine enough to see a 20 ms stall many times over. */
const EVENT_LOOP_RESOLUTION_MS = 1;

/**
 * `callers` loops that each take the next query number until `queries` have run: every query is a pooled
 * open → `SELECT 1` → close, so the callers queue for the pool's connections as a web server's requests would.
 */
async function loadRun(subject: BenchSubject, callers: number, queries: number): Promise<LoadRun> {
  const latencies = new Float64Array(queries);
  let next = 0;
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  const cpuBefore = process.cpuUsage();
  histogram.enable();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let index = next++; index < queries; index = next++) {
        const begun = performance.now();
        await subject.pooledSelectOne();
        latencies[index] = performance.now() - begun;
      }
    }),
  );
  const ms = performance.now() - started;
  histogram.disable();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ms,
    cpuMicros: cpu.user + cpu.system,
    queriesPerSecond: perSecond(queries, ms),
    p99LatencyMs: p99(Array.from(latencies)),
    eventLoopDelayP99Ms: histogram.percentile(99) / 1e6,
    eventLoopDelayMaxMs: histogram.max / 1e6,
  };
}

/**
 * Scenario 4 — concurrency: many callers sharing a small pool. Throughput and p99 latency against the driver's pool,
 * and the event loop's responsiveness under that load (`monitorEventLoopDelay`).
 */
export async function runConcurrency(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const { callers, poolSize, queries } = plan.concurrency;
  return withSubjects(endpoint, poolSize, async ({ asyncdb, raw }) => {
    await loadRun(asyncdb, callers, warmUpCount(queries));
    await loadRun(raw, callers, warmUpCount(queries));
    const results = await alternate(
      plan.runs,
      { asyncdb: () => loadRun(asyncdb, callers, queries), raw: () => loadRun(raw, callers, queries) },
      (side, run, result) =>
        context.log(
          `  concurrency ${side} run ${run}: ${result.queriesPerSecond.toFixed(0)} q/s, p99 ${result.p99LatencyMs.toFixed(1)} ms, ` +
            `event-loop p99 ${result.eventLoopDelayP99Ms.toFixed(1)} ms`,
        ),
    );
    const pick = (side: 'asyncdb' | 'raw', key: keyof LoadRun) => results[side].map((run) => run[key]);
    const common = { scenario: 'concurrency' as const, provider, baseline: raw.baselines.pooled };
    const shape = `${callers} callers, pool of ${poolSize}, ${queries.toLocaleString('en-US')} queries`;
    const runs: RunRecord[] = (['asyncdb', 'raw'] as const).flatMap((side) =>
      results[side].map((run, index) => ({
        scenario: 'concurrency' as const,
        provider,
        subject: side === 'asyncdb' ? 'asyncdb' : raw.baselines.pooled,
        run: index + 1,
        values: { callers, poolSize, queries, ...run, cpuMicrosPerQuery: run.cpuMicros / queries },
      })),
    );
    return {
      metrics: [
        buildMetric({
          ...common,
          label: `concurrency: ${shape} (queries/s)`,
          unit: 'per-second',
          better: 'higher',
          asyncdbRuns: pick('asyncdb', 'queriesPerSecond'),
          rawRuns: pick('raw', 'queriesPerSecond'),
          target: { on: 'ratio', op: '>=', value: 0.95 },
        }),
        buildMetric({
          ...common,
          label: 'concurrency: p99 latency of open → SELECT 1 → close',
          unit: 'ms',
          better: 'lower',
          asyncdbRuns: pick('asyncdb', 'p99LatencyMs'),
          rawRuns: pick('raw', 'p99LatencyMs'),
        }),
        buildMetric({
          ...common,
          label: 'concurrency: event-loop delay p99',
          unit: 'ms',
          better: 'lower',
          asyncdbRuns: pick('asyncdb', 'eventLoopDelayP99Ms'),
          rawRuns: pick('raw', 'eventLoopDelayP99Ms'),
          target: { on: 'asyncdb', op: '<', value: 20 },
        }),
      ],
      runs,
      cpu: [
        {
          scenario: 'concurrency',
          provider,
          operation: `query under load (${shape})`,
          asyncdbMicros: median(results.asyncdb.map((run) => run.cpuMicros / queries)),
          rawMicros: median(results.raw.map((run) => run.cpuMicros / queries)),
          baseline: raw.baselines.pooled,
        },
      ],
      details: [],
    };
  });
}
