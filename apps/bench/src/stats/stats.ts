/**
 * The statistics the benchmark reports. Kept free of I/O so they can be unit-tested.
 */

/** Which direction of a measurement is good: more ops/s, or fewer milliseconds / bytes. */
export type Better = 'higher' | 'lower';

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('Cannot summarise an empty list of values.');
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  }
  return [...values].sort((a, b) => a - b);
}

/** The median: the middle value, or the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The nearest-rank percentile (`p` in 0–100): the smallest value such that at least `p` % of the values are less
 * than or equal to it. Nearest-rank never invents a latency nobody observed, which is why it is used for p99.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`The percentile must be between 0 and 100; got ${p}.`);
  const sorted = sortedCopy(values);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The 99th percentile (nearest rank). */
export function p99(values: readonly number[]): number {
  return percentile(values, 99);
}

/**
 * asyncdb relative to the raw driver, oriented so that **≥ 1 always means asyncdb is at least as good**:
 * `asyncdb / raw` when higher is better (throughput), `raw / asyncdb` when lower is better (time, memory, latency).
 */
export function ratio(asyncdb: number, raw: number, better: Better): number {
  const [numerator, denominator] = better === 'higher' ? [asyncdb, raw] : [raw, asyncdb];
  if (denominator === 0) return numerator === 0 ? 1 : Infinity;
  return numerator / denominator;
}

/** Operations per second for `count` operations that took `elapsedMs`. */
export function perSecond(count: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return Infinity;
  return (count * 1000) / elapsedMs;
}
