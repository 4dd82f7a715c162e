/**
 * One streaming run in a process of its own, so that its peak RSS is its own (forked by scenarios/streaming.ts with
 * `--expose-gc`). Loads only the code of its side — asyncdb, or the raw driver — opens the connection, collects
 * garbage, resets the peak, reads every row, and reports.
 */
import { RowSink, type StreamingRunner } from '../raw/streaming-baseline.js';
import { streamingBaselineOf } from '../raw/streaming-baselines.js';
import type { Endpoint } from '../servers/endpoint.js';
import { PeakMemory } from './peak-memory.js';
import type { StreamReply, StreamTask } from './stream-task.js';

async function open(task: StreamTask, endpoint: Endpoint): Promise<StreamingRunner> {
  if (task.mode === 'asyncdb') return (await import('./asyncdb-stream.js')).openAsyncdbStream(endpoint);
  const baseline = await streamingBaselineOf(task.provider);
  if (task.mode === 'alternative') {
    const alternative = baseline.alternatives?.find((candidate) => candidate.name === task.alternative);
    if (!alternative) throw new Error(`no alternative streaming client '${task.alternative}' for ${task.provider}`);
    return alternative.open(endpoint);
  }
  return task.mode === 'raw-stream' ? baseline.openStream(endpoint) : baseline.openBuffered(endpoint);
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

/** The sink also samples memory every few thousand rows, between the sampler's ticks. */
class SamplingSink extends RowSink {
  constructor(private readonly memory: PeakMemory) {
    super();
  }

  override add(id: unknown, qty: unknown, label: unknown, price: unknown, active: unknown): void {
    super.add(id, qty, label, price, active);
    if ((this.count & 0x3fff) === 0) this.memory.sample();
  }
}

async function run(task: StreamTask): Promise<StreamReply> {
  const runner = await open(task, task.endpoint);
  try {
    collectGarbage();
    const baselineRssBytes = process.memoryUsage.rss();
    const memory = new PeakMemory();
    const sink = new SamplingSink(memory);
    memory.start();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await runner.run(task.sql, sink);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const peak = memory.stop();
    if (sink.count !== task.expectedRows) return { error: `read ${sink.count} rows, expected ${task.expectedRows}` };
    return {
      ok: {
        rows: sink.count,
        checksum: sink.checksum,
        ms,
        cpuMicros: cpu.user + cpu.system,
        peakRssBytes: peak.rssBytes,
        baselineRssBytes,
        peakHeapUsedBytes: peak.heapUsedBytes,
        peakSource: peak.source,
      },
    };
  } finally {
    await runner.close().catch(() => {});
  }
}

process.once('message', (task: StreamTask) => {
  run(task)
    .catch((error: unknown): StreamReply => ({ error: error instanceof Error ? error.message : String(error) }))
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
