/** A monotonic clock started at creation: call it to get the milliseconds elapsed since. */
export type Stopwatch = () => number;

/** Starts a {@link Stopwatch} on `performance.now()`, which never jumps with the wall clock. */
export function startStopwatch(): Stopwatch {
  const started = performance.now();
  return () => performance.now() - started;
}

/**
 * Formats a duration for people: `850 ms` below one second, `1.23 s` above.
 *
 * ```ts
 * formatDuration(912.4); // '912 ms'
 * formatDuration(1834);  // '1.83 s'
 * ```
 */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Resolves after `ms` milliseconds: the "other work" a polling loop does between two looks. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
