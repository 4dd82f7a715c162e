/**
 * The float32 `value` rounds to, as the shortest decimal that reads back as that float32: what PostgreSQL prints for
 * `real` and what a C# `float` shows, so a `real` 1.1 reads as 1.1 rather than as the double nearest the float
 * (1.100000023841858). One function for every provider that reads single-precision values. `NaN`, infinities and
 * zeros (`-0` included) are returned as they are; a finite value beyond the float32 range becomes an infinity.
 *
 * ```ts
 * shortestSingle(Math.fround(1.1)); // 1.1
 * ```
 */
export function shortestSingle(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}
