/** The sides of a comparison, each a function performing one timed run; the key order is the run order. */
export type Sides<T, K extends string = 'asyncdb' | 'raw'> = Readonly<Record<K, () => Promise<T>>>;

/**
 * Runs the sides in turn, run by run — asyncdb, raw, (each other baseline,) asyncdb, raw… — `runs` times each, so that
 * a machine that gets slower or faster during the benchmark (other load, thermal limits, a growing server cache)
 * affects every side alike. `onRun` sees each result as it arrives (progress output).
 */
export async function alternate<T, K extends string = 'asyncdb' | 'raw'>(
  runs: number,
  sides: Sides<T, K>,
  onRun?: (side: K, run: number, result: T) => void,
): Promise<Record<K, T[]>> {
  const names = Object.keys(sides) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  for (let run = 1; run <= runs; run += 1) {
    for (const side of names) {
      const result = await sides[side]();
      results[side].push(result);
      onRun?.(side, run, result);
    }
  }
  return results;
}
