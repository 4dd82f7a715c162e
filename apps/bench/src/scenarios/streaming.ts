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
 * for rows/s), and the driver's default buffered query (the baseline for memory).
 */
export async function runStreaming(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { plan, provider, endpoint } = context;
  const rows = plan.streamRows;
  const task = (mode: StreamMode): StreamTask => ({
    provider,
    mode,
    endpoint,
    sql: DIALECTS[provider].streamRows(rows),
    expectedRows: rows,
  });
  const names = await streamingBaselineOf(provider);
  // Untimed: brings the table into the server's cache before anyone is measured.
  await runChild(context.streamChild, task('raw-stream'));
  const modes: readonly StreamMode[] = ['asyncdb', 'raw-stream', 'raw-buffered'];
  const results: Record<StreamMode, StreamMeasurement[]> = { asyncdb: [], 'raw-stream': [], 'raw-buffered': [] };
  for (let run = 1; run <= plan.streamingRuns; run += 1) {
    for (const mode of modes) {
      const measured = await runChild(context.streamChild, task(mode));
      results[mode].push(measured);
      context.log(
        `  streaming ${mode} run ${run}: ${perSecond(rows, measured.ms).toFixed(0)} rows/s, peak RSS ${(measured.peakRssBytes / 1e6).toFixed(1)} MB`,
      );
    }
  }
  const rate = (mode: StreamMode) => results[mode].map((measured) => perSecond(rows, measured.ms));
  const peak = (mode: StreamMode) => results[mode].map((measured) => measured.peakRssBytes);
  const subjectName: Record<StreamMode, string> = {
    asyncdb: 'asyncdb',
    'raw-stream': names.streamName,
    'raw-buffered': names.bufferedName,
  };
  const runs: RunRecord[] = modes.flatMap((mode) =>
    results[mode].map((measured, index) => {
      const { peakSource, ...numbers } = measured;
      return {
        scenario: 'streaming' as const,
        provider,
        subject: subjectName[mode],
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
  const baselineRss = median(results.asyncdb.map((measured) => measured.baselineRssBytes));
  return {
    metrics: [
      buildMetric({
        ...common,
        label: `streaming: ${shape} (rows/s)`,
        unit: 'per-second',
        better: 'higher',
        asyncdbRuns: rate('asyncdb'),
        rawRuns: rate('raw-stream'),
        baseline: names.streamName,
        target: { on: 'ratio', op: '>=', value: 0.9 },
      }),
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
        operation: 'one row (5 values) read',
        asyncdbMicros: median(results.asyncdb.map((measured) => measured.cpuMicros / rows)),
        rawMicros: median(results['raw-stream'].map((measured) => measured.cpuMicros / rows)),
        baseline: names.streamName,
      },
    ],
    details: [
      `streaming (${provider}): asyncdb's process holds ${formatNumber(baselineRss / 1e6, 1)} MB before the read ` +
        `(Node, the loaded modules, one open connection); peak via ${results.asyncdb[0]?.peakSource ?? 'n/a'}`,
    ],
  };
}
