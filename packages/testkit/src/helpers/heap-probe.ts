import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * V8's `gc()`, even when the process was not started with `--expose-gc`: the flag is turned on at run time and
 * the function taken from a fresh context (a documented V8 flag; the usual way to force a collection in tests).
 */
function garbageCollector(): () => void {
  if (collect) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    collect = exposed;
  } else {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/**
 * Bytes the process retains after a full garbage collection: JS heap plus the memory of ArrayBuffers/Buffers.
 * Measuring retained rather than allocated memory makes "bounded memory" a property that does not depend on when
 * the collector happens to run.
 * @internal
 */
export function retainedBytes(): number {
  const gc = garbageCollector();
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
