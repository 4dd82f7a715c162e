/**
 * Counts what one `SELECT 1` round trip costs the client, in a process of its own (forked from the bundle by
 * profile-main.ts, so it runs as plain JavaScript): promises and `Timeout`s created (async_hooks `init` events),
 * bytes of heap allocated, and client CPU, per operation, for asyncdb's `executeScalar` or the raw driver's query
 * on one open session.
 */
import { createHook } from 'node:async_hooks';
import { PerformanceObserver } from 'node:perf_hooks';
import type { ProviderName } from '../cli/names.js';
import { createAsyncdbSubject } from '../asyncdb/asyncdb-subject.js';
import { registerProvider } from '../asyncdb/register-providers.js';
import { createRawSubject } from '../raw/raw-drivers.js';
import type { Endpoint } from '../servers/endpoint.js';
import type { RoundTripSession } from '../run/subject.js';

/** What the parent asks for. */
export interface ProfileRequest {
  readonly provider: ProviderName;
  readonly side: 'asyncdb' | 'raw';
  readonly endpoint: Endpoint;
  /** Operations per measured pass. */
  readonly operations: number;
}

/** Per-operation figures of one side. */
export interface ProfileResult {
  readonly promises: number;
  readonly timeouts: number;
  readonly heapBytes: number;
  /** False when a garbage collection ran during the heap pass (the figure is then a lower bound). */
  readonly heapExact: boolean;
  readonly cpuMicros: number;
}

/** Warm-up operations before anything is measured, so that V8's JIT has settled. */
const WARM_UP = 3_000;

async function repeat(session: RoundTripSession, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await session.selectOne();
}

async function countAsyncResources(session: RoundTripSession, count: number): Promise<{ promises: number; timeouts: number }> {
  let promises = 0;
  let timeouts = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
      else if (type === 'Timeout') timeouts++;
    },
  });
  hook.enable();
  await repeat(session, count);
  hook.disable();
  return { promises: promises / count, timeouts: timeouts / count };
}

/** Heap growth over `count` operations with no collection in between (the worker runs with a large young space). */
async function measureHeap(session: RoundTripSession, count: number): Promise<{ heapBytes: number; heapExact: boolean }> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  await repeat(session, count);
  const after = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  return { heapBytes: (after - before) / count, heapExact: collections === 0 };
}

async function measureCpu(session: RoundTripSession, count: number): Promise<number> {
  const start = process.cpuUsage();
  await repeat(session, count);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

async function profile(request: ProfileRequest): Promise<ProfileResult> {
  const factory = await registerProvider(request.provider);
  const subject = request.side === 'asyncdb' ? createAsyncdbSubject(request.endpoint, 1) : createRawSubject(request.endpoint, 1);
  const session = await subject.openSession();
  try {
    await repeat(session, WARM_UP);
    const cpuMicros = await measureCpu(session, request.operations * 4);
    const heap = await measureHeap(session, request.operations);
    const counts = await countAsyncResources(session, request.operations);
    return { ...counts, ...heap, cpuMicros };
  } finally {
    await session.close();
    await subject.dispose();
    await factory.clearAllPools().catch(() => {});
  }
}

process.once('message', (request: ProfileRequest) => {
  profile(request).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});
