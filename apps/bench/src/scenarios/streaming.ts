import { formatNumber } from '../run/format.js';
import { buildMetric } from '../run/metric.js';
import type { RunRecord, ScenarioOutcome } from '../run/results.js';
import { forkBundle } from '../run/fork-bundle.js';
import { streamingBaselineOf } from '../raw/streaming-baselines.js';
import { DIALECTS } from '../servers/dialects.js';
import { median, perSecond } from '../stats/stats.js';
import type { StreamMeasurement, StreamMode, StreamReply, StreamTask } from '../streaming/stream-task.js';
import type { ScenarioContext } from './scenario-context.js';

/** A child gets this long for one read of every row before it is killed. */
const CHILD_TIMEOUT_MS = 10 * 60_000;
/** The memory target of the issue: peak RSS under 100 MB for a million rows. */
const PEAK_RSS_TARGET_BYTES = 100e6;

/** Runs one streaming read in a fresh process (`--expose-gc`) and returns what it measured. */
function runChild(childModule: string, task: StreamTask): Promise<StreamMeasurement> {
  return new Promise((resolve, reject) => {
    const child = forkBundle(childModule, ['--expose-gc']);
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() =>
        reject(new Error(`${task.mode} streaming run did not finish within ${CHILD_TIMEOUT_MS / 60_000} min`)),
      );
    }, CHILD_TIMEOUT_MS);
    child.once('message', (reply: StreamReply) =>
      finish(() =>
        'ok' in reply ? resolve(reply.ok) : reject(new Error(`${task.mode} streaming run failed: ${reply.error}`)),
      ),
    );
    child.once('exit', (code, signal) =>
      finish(() => reject(new Error(`${task.mode} streaming child exited (${signal ?? code}) without a result`))),
    );
    child.send(task);
  });
}

/**
 * Scenario 3 — streaming: every row of a `rows` × 5-column result read to the end, each run in its own process so its
 * peak RSS is its own. Three sides, alternated run by run: asyncdb's reader, the driver's streaming API (the baseline
 * for rows/s), and the driver's default buffered query (the baseline for memory) — plus, on pg, postgres.js's cursor,
 * another client a user could pick.
 */
export async function runStreaming(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const rows = plan.streamRows;
  const names = await streamingBaselineOf(provider);
  const alternatives = names.alternatives ?? [];
  /** Each side: its key in the results, its task, its name in the output. */
  const sides = [
    { key: 'asyncdb', mode: 'asyncdb', subject: 'asyncdb' },
    { key: 'raw-stream', mode: 'raw-stream', subject: names.streamName },
    { key: 'raw-buffered', mode: 'raw-buffered', subject: names.bufferedName },
    ...alternatives.map((alternative) => ({ key: alternative.name, mode: 'alternative', subject: alternative.name, alternative: alternative.name })),
  ] as ReadonlyArray<{ key: string; mode: StreamMode; subject: string; alternative?: string }>;
  const task = (side: (typeof sides)[number]): StreamTask => ({
    provider,
    mode: side.mode,
    ...(side.alternative === undefined ? {} : { alternative: side.alternative }),
    endpoint,
    sql: DIALECTS[provider].streamRows(rows),
    expectedRows: rows,
  });
  // Untimed: brings the table into the server's cache before anyone is measured.
  await runChild(context.streamChild, task(sides[1]!));
  const results: Record<string, StreamMeasurement[]> = Object.fromEntries(sides.map((side) => [side.key, []]));
  for (let run = 1; run <= plan.streamingRuns; run += 1) {
    for (const side of sides) {
      const measured = await runChild(context.streamChild, task(side));
      results[side.key]!.push(measured);
      context.log(
        `  streaming ${side.key} run ${run}: ${perSecond(rows, measured.ms).toFixed(0)} rows/s, peak RSS ${(measured.peakRssBytes / 1e6).toFixed(1)} MB`,
      );
    }
  }
  const rate = (key: string) => results[key]!.map((measured) => perSecond(rows, measured.ms));
  const peak = (key: string) => results[key]!.map((measured) => measured.peakRssBytes);
  const cpuPerRow = (key: string) => median(results[key]!.map((measured) => measured.cpuMicros / rows));
  const runs: RunRecord[] = sides.flatMap((side) =>
    results[side.key]!.map((measured, index) => {
      const { peakSource, ...numbers } = measured;
      return {
        scenario: 'streaming' as const,
        provider,
        subject: side.subject,
        run: index + 1,
        values: {
          ...numbers,
          rowsPerSecond: perSecond(rows, measured.ms),
          peakFromKernel: peakSource === 'VmHWM' ? 1 : 0,
        },
      };
    }),
  );
  const common = { scenario: 'streaming' as const, provider };
  const shape = `${rows.toLocaleString('en-US')} rows × 5 columns`;
  const baselineRss = median(results['asyncdb']!.map((measured) => measured.baselineRssBytes));
  const rateLabel = `streaming: ${shape} (rows/s)`;
  const cpuOperation = 'one row (5 values) read';
  return {
    metrics: [
      buildMetric({
        ...common,
        label: rateLabel,
        unit: 'per-second',
        better: 'higher',
        asyncdbRuns: rate('asyncdb'),
        rawRuns: rate('raw-stream'),
        baseline: names.streamName,
        target: { on: 'ratio', op: '>=', value: 0.9 },
      }),
      ...alternatives.map((alternative) =>
        buildMetric({
          ...common,
          label: `${rateLabel} vs ${alternative.name}`,
          unit: 'per-second',
          better: 'higher',
          asyncdbRuns: rate('asyncdb'),
          rawRuns: rate(alternative.name),
          baseline: alternative.name,
          alternative: true,
        }),
      ),
      buildMetric({
        ...common,
        label: 'streaming: peak RSS vs the buffered query',
        unit: 'bytes',
        better: 'lower',
        asyncdbRuns: peak('asyncdb'),
        rawRuns: peak('raw-buffered'),
        baseline: names.bufferedName,
        target: { on: 'asyncdb', op: '<', value: PEAK_RSS_TARGET_BYTES },
      }),
      buildMetric({
        ...common,
        label: 'streaming: peak RSS vs the streaming API',
        unit: 'bytes',
        better: 'lower',
        asyncdbRuns: peak('asyncdb'),
        rawRuns: peak('raw-stream'),
        baseline: names.streamName,
      }),
    ],
    runs,
    cpu: [
      {
        scenario: 'streaming',
        provider,
        operation: cpuOperation,
        asyncdbMicros: cpuPerRow('asyncdb'),
        rawMicros: cpuPerRow('raw-stream'),
        baseline: names.streamName,
      },
      ...alternatives.map((alternative) => ({
        scenario: 'streaming' as const,
        provider,
        operation: `${cpuOperation} vs ${alternative.name}`,
        asyncdbMicros: cpuPerRow('asyncdb'),
        rawMicros: cpuPerRow(alternative.name),
        baseline: alternative.name,
        alternative: true,
      })),
    ],
    details: [
      `streaming (${provider}): asyncdb's process holds ${formatNumber(baselineRss / 1e6, 1)} MB before the read ` +
        `(Node, the loaded modules, one open connection); peak via ${results['asyncdb']![0]?.peakSource ?? 'n/a'}`,
    ],
  };
}
