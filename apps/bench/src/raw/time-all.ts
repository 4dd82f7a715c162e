import type { ParallelRun } from '../run/subject.js';

/** Starts every operation at once and times each one and the whole (the raw drivers' parallelism: `Promise.all`). */
export async function timeAll(operations: ReadonlyArray<() => Promise<unknown>>): Promise<ParallelRun> {
  const started = performance.now();
  const commandMs = await Promise.all(
    operations.map((operation) => {
      const begun = performance.now();
      return operation().then(() => performance.now() - begun);
    }),
  );
  return { wallMs: performance.now() - started, commandMs };
}
