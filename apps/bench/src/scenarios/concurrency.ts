import { monitorEventLoopDelay } from 'node:perf_hooks';
import { alternate } from '../run/alternate.js';
import { buildMetric, type MetricInput } from '../run/metric.js';
import { warmUpCount } from '../run/plan.js';
import type { CpuCost, Metric, RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';
import { median, p99, perSecond } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { alternativeCosts, alternativeMetrics } from './alternative-rows.js';
import { sidesOf, withSubjects } from './subject-pair.js';

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
  return withSubjects(endpoint, poolSize, async (subjects) => {
    const { raw, alternatives } = subjects;
    for (const subject of [subjects.asyncdb, raw, ...alternatives]) await loadRun(subject, callers, warmUpCount(queries));
    const results = await alternate(
      plan.runs,
      sidesOf(subjects, (subject) => () => loadRun(subject, callers, queries)),
      (side, run, result) =>
        context.log(
          `  concurrency ${side} run ${run}: ${result.queriesPerSecond.toFixed(0)} q/s, p99 ${result.p99LatencyMs.toFixed(1)} ms, ` +
            `event-loop p99 ${result.eventLoopDelayP99Ms.toFixed(1)} ms`,
        ),
    );
    const pick = (side: string, key: keyof LoadRun) => results[side]!.map((run) => run[key]);
    const cpu = (side: string) => median(results[side]!.map((run) => run.cpuMicros / queries));
    const common = { scenario: 'concurrency' as const, provider, baseline: raw.baselines.pooled };
    const shape = `${callers} callers, pool of ${poolSize}, ${queries.toLocaleString('en-US')} queries`;
    const sides = [
      ['asyncdb', 'asyncdb'],
      ['raw', raw.baselines.pooled],
      ...alternatives.map((subject) => [subject.name, subject.baselines.pooled]),
    ] as const;
    const runs: RunRecord[] = sides.flatMap(([side, subject]) =>
      results[side]!.map((run, index) => ({
        scenario: 'concurrency' as const,
        provider,
        subject,
        run: index + 1,
        values: { callers, poolSize, queries, ...run, cpuMicrosPerQuery: run.cpuMicros / queries },
      })),
    );
    const metricOf = (key: keyof LoadRun, rest: Omit<MetricInput, 'asyncdbRuns' | 'rawRuns' | 'scenario' | 'provider' | 'baseline'>): Metric[] => {
      const main: MetricInput = { ...common, ...rest, asyncdbRuns: pick('asyncdb', key), rawRuns: pick('raw', key) };
      return [buildMetric(main), ...alternativeMetrics(main, alternatives, (subject) => pick(subject.name, key), baselineOf)];
    };
    const baselineOf = (subject: BenchSubject) => subject.baselines.pooled;
    const mainCost: CpuCost = {
      scenario: 'concurrency',
      provider,
      operation: `query under load (${shape})`,
      asyncdbMicros: cpu('asyncdb'),
      rawMicros: cpu('raw'),
      baseline: raw.baselines.pooled,
    };
    return {
      metrics: [
        ...metricOf('queriesPerSecond', {
          label: `concurrency: ${shape} (queries/s)`,
          unit: 'per-second',
          better: 'higher',
          target: { on: 'ratio', op: '>=', value: 0.95 },
        }),
        ...metricOf('p99LatencyMs', {
          label: 'concurrency: p99 latency of open → SELECT 1 → close',
          unit: 'ms',
          better: 'lower',
        }),
        ...metricOf('eventLoopDelayP99Ms', {
          label: 'concurrency: event-loop delay p99',
          unit: 'ms',
          better: 'lower',
          target: { on: 'asyncdb', op: '<', value: 20 },
        }),
      ],
      runs,
      cpu: [mainCost, ...alternativeCosts(mainCost, alternatives, (subject) => cpu(subject.name), baselineOf)],
      details: [],
    };
  });
}
