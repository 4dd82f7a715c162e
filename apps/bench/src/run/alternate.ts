/** The two sides of a comparison, each a function performing one timed run. */
export interface Sides<T> {
  readonly asyncdb: () => Promise<T>;
  readonly raw: () => Promise<T>;
}

/**
 * Runs the sides alternately, run by run — asyncdb, raw, asyncdb, raw… — `runs` times each, so that a machine that
 * gets slower or faster during the benchmark (other load, thermal limits, a growing server cache) affects both
 * sides alike. `onRun` sees each result as it arrives (progress output).
 */
export async function alternate<T>(
  runs: number,
  sides: Sides<T>,
  onRun?: (side: keyof Sides<T>, run: number, result: T) => void,
): Promise<{ readonly asyncdb: T[]; readonly raw: T[] }> {
  const results = { asyncdb: [] as T[], raw: [] as T[] };
  for (let run = 1; run <= runs; run += 1) {
    for (const side of ['asyncdb', 'raw'] as const) {
      const result = await sides[side]();
      results[side].push(result);
      onRun?.(side, run, result);
    }
  }
  return results;
}
