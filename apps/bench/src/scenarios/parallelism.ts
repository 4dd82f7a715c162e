import { alternate } from '../run/alternate.js';
import { formatNumber } from '../run/format.js';
import { buildMetric, type MetricInput } from '../run/metric.js';
import type { Metric, RunRecord, ScenarioOutcome } from '../run/results.js';
import type { BenchSubject, ParallelRun, ParallelSessions } from '../run/subject.js';
import { DIALECTS } from '../servers/dialects.js';
import { median } from '../stats/stats.js';
import type { ScenarioContext } from './scenario-context.js';
import { alternativeMetrics } from './alternative-rows.js';
import { sidesOf, withSubjects, type SubjectPair } from './subject-pair.js';

/** Every side's runs for one command count, keyed 'asyncdb', 'raw' and each alternative's name. */
interface CountResults {
  readonly count: number;
  readonly runs: Readonly<Record<string, readonly ParallelRun[]>>;
}

async function runsFor(context: ScenarioContext, subjects: SubjectPair, count: number): Promise<CountResults> {
  const sql = DIALECTS[context.provider].sleep(context.plan.parallelism.sleepMs);
  const opened: ParallelSessions[] = [];
  try {
    const sessions = new Map<BenchSubject, ParallelSessions>();
    for (const subject of [subjects.asyncdb, subjects.raw, ...subjects.alternatives]) {
      const session = await subject.openParallel(count, sql);
      opened.push(session);
      sessions.set(subject, session);
    }
    // One untimed run each: the first command on a connection pays for caches and JIT.
    for (const session of opened) await session.runAll();
    const runs = await alternate(
      context.plan.runs,
      sidesOf(subjects, (subject) => () => sessions.get(subject)!.runAll()),
      (side, run, result) => context.log(`  parallelism N=${count} ${side} run ${run}: ${result.wallMs.toFixed(1)} ms`),
    );
    return { count, runs };
  } finally {
    await Promise.allSettled(opened.map((session) => session.close()));
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
    const soloOf = (side: string) => median(all[0]!.runs[side]!.map((run) => run.wallMs));
    const solo = { asyncdb: soloOf('asyncdb'), raw: soloOf('raw') };
    const metrics: Metric[] = [];
    const runs: RunRecord[] = [];
    const details: string[] = [
      `parallelism (${provider}): one command alone takes ${formatNumber(solo.asyncdb, 1)} ms with asyncdb, ` +
        `${formatNumber(solo.raw, 1)} ms with ${subjects.raw.name} (server sleep ${slowestMs} ms)`,
    ];
    for (const result of all) {
      const multiples = (side: string) => result.runs[side]!.map((run) => run.wallMs / slowestMs);
      const main: MetricInput = {
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
      };
      metrics.push(
        buildMetric(main),
        ...alternativeMetrics(main, subjects.alternatives, (subject) => multiples(subject.name), (subject) => subject.baselines.parallel),
      );
      const wall = {
        asyncdb: median(result.runs['asyncdb']!.map((run) => run.wallMs)),
        raw: median(result.runs['raw']!.map((run) => run.wallMs)),
      };
      details.push(
        `  N=${String(result.count).padStart(2)}: wall ${formatNumber(wall.asyncdb, 1)} ms asyncdb / ${formatNumber(wall.raw, 1)} ms raw; ` +
          `sequential sum ${formatNumber(result.count * solo.asyncdb, 0)} ms asyncdb / ${formatNumber(result.count * solo.raw, 0)} ms raw`,
      );
      const sides = [
        ['asyncdb', 'asyncdb'],
        ['raw', subjects.raw.baselines.parallel],
        ...subjects.alternatives.map((subject) => [subject.name, subject.baselines.parallel]),
      ] as const;
      for (const [side, subject] of sides) {
        const soloMs = soloOf(side);
        result.runs[side]!.forEach((run, index) =>
          runs.push({
            scenario: 'parallelism',
            provider,
            subject,
            run: index + 1,
            variant: `N=${result.count}`,
            values: {
              commands: result.count,
              sleepMs: slowestMs,
              wallMs: run.wallMs,
              slowestCommandMs: Math.max(...run.commandMs),
              soloMs,
              wallOverSlowest: run.wallMs / slowestMs,
              sequentialSumMs: result.count * soloMs,
            },
          }),
        );
      }
    }
    return { metrics, runs, cpu: [], details };
  });
}
