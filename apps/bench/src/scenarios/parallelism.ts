import { alternate } from '../run/alternate.js';
import { formatNumber } from '../run/format.js';
import { buildMetric } from '../run/metric.js';
import type { Metric, RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject, ParallelRun } from '../run/subject.js';
import { DIALECTS } from '../servers/dialects.js';
import { median } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { withSubjects } from './subject-pair.js';

/** Both sides' runs for one command count. */
interface CountResults {
  readonly count: number;
  readonly asyncdb: readonly ParallelRun[];
  readonly raw: readonly ParallelRun[];
}

async function runsFor(
  context: ScenarioContext,
  subjects: { asyncdb: BenchSubject; raw: BenchSubject },
  count: number,
): Promise<CountResults> {
  const sql = DIALECTS[context.provider].sleep(context.plan.parallelism.sleepMs);
  const sessions = {
    asyncdb: await subjects.asyncdb.openParallel(count, sql),
    raw: await subjects.raw.openParallel(count, sql),
  };
  try {
    // One untimed run each: the first command on a connection pays for caches and JIT.
    await sessions.asyncdb.runAll();
    await sessions.raw.runAll();
    const results = await alternate(
      context.plan.runs,
      { asyncdb: () => sessions.asyncdb.runAll(), raw: () => sessions.raw.runAll() },
      (side, run, result) => context.log(`  parallelism N=${count} ${side} run ${run}: ${result.wallMs.toFixed(1)} ms`),
    );
    return { count, ...results };
  } finally {
    await Promise.allSettled([sessions.asyncdb.close(), sessions.raw.close()]);
  }
}

/**
 * Scenario 5 — parallelism, the seeds' headline: N commands that each sleep 200 ms on the server, started with
 * `beginExecuteReader` on N connections and collected with `WaitHandle.waitAll`. Reported as wall time over the
 * slowest command — the longest server-side sleep, 200 ms, so the N = 1 row shows what one command costs on top of its
 * sleep — next to the sequential sum (N × one command's measured time alone), what running them one after another
 * would cost.
 */
export async function runParallelism(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const counts = [...new Set([1, ...plan.parallelism.counts])].sort((a, b) => a - b);
  const poolSize = Math.max(...counts);
  const slowestMs = plan.parallelism.sleepMs;
  return withSubjects(endpoint, poolSize, async (subjects) => {
    const all: CountResults[] = [];
    for (const count of counts) all.push(await runsFor(context, subjects, count));
    const solo = {
      asyncdb: median(all[0]!.asyncdb.map((run) => run.wallMs)),
      raw: median(all[0]!.raw.map((run) => run.wallMs)),
    };
    const metrics: Metric[] = [];
    const runs: RunRecord[] = [];
    const details: string[] = [
      `parallelism (${provider}): one command alone takes ${formatNumber(solo.asyncdb, 1)} ms with asyncdb, ` +
        `${formatNumber(solo.raw, 1)} ms with ${subjects.raw.name} (server sleep ${slowestMs} ms)`,
    ];
    for (const result of all) {
      const multiples = (side: 'asyncdb' | 'raw') => result[side].map((run) => run.wallMs / slowestMs);
      metrics.push(
        buildMetric({
          scenario: 'parallelism',
          provider,
          label:
            `parallelism: N=${result.count} × ${slowestMs} ms sleep, wall / ${slowestMs} ms ` +
            `(sequential sum: ${formatNumber((result.count * solo.asyncdb) / slowestMs, 1)}×)`,
          unit: 'multiple',
          better: 'lower',
          asyncdbRuns: multiples('asyncdb'),
          rawRuns: multiples('raw'),
          baseline: subjects.raw.baselines.parallel,
          target: { on: 'asyncdb', op: '<=', value: 1.15 },
        }),
      );
      const wall = {
        asyncdb: median(result.asyncdb.map((run) => run.wallMs)),
        raw: median(result.raw.map((run) => run.wallMs)),
      };
      details.push(
        `  N=${String(result.count).padStart(2)}: wall ${formatNumber(wall.asyncdb, 1)} ms asyncdb / ${formatNumber(wall.raw, 1)} ms raw; ` +
          `sequential sum ${formatNumber(result.count * solo.asyncdb, 0)} ms asyncdb / ${formatNumber(result.count * solo.raw, 0)} ms raw`,
      );
      for (const side of ['asyncdb', 'raw'] as const) {
        result[side].forEach((run, index) =>
          runs.push({
            scenario: 'parallelism',
            provider,
            subject: side === 'asyncdb' ? 'asyncdb' : subjects.raw.baselines.parallel,
            run: index + 1,
            variant: `N=${result.count}`,
            values: {
              commands: result.count,
              sleepMs: slowestMs,
              wallMs: run.wallMs,
              slowestCommandMs: Math.max(...run.commandMs),
              soloMs: solo[side],
              wallOverSlowest: run.wallMs / slowestMs,
              sequentialSumMs: result.count * solo[side],
            },
          }),
        );
      }
    }
    return { metrics, runs, cpu: [], details };
  });
}
