/** Wall-clock and client CPU time of one timed run. */
export interface Timing {
  readonly ms: number;
  /** User + system CPU of this process during the run, in microseconds. */
  readonly cpuMicros: number;
}

/**
 * Times `work`: wall clock, and this process's CPU (user + system). CPU per operation is the client's cost alone, so
 * it stays meaningful when other processes compete for the machine and stretch the wall clock.
 */
export async function measure(work: () => Promise<void>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, cpuMicros: cpu.user + cpu.system };
}

/** Runs `operation` `count` times, one after the other. */
export async function repeat(count: number, operation: () => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i += 1) await operation();
}
