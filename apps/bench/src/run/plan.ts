/** How much work each scenario does, and how many runs each side gets. */
export interface BenchPlan {
  readonly mode: 'full' | 'quick';
  /** Timed runs per side (asyncdb and raw) for the in-process scenarios 1, 2, 4 and 5. */
  readonly runs: number;
  /** Timed runs per side for streaming (each is a child process reading every row). */
  readonly streamingRuns: number;
  /** Scenario 1: sequential `SELECT 1` on one open connection. */
  readonly roundTrips: number;
  /** Scenario 2: open → `SELECT 1` → close cycles through the pool. */
  readonly openCloseCycles: number;
  /** Scenario 3: rows × 5 columns read to the end. */
  readonly streamRows: number;
  /** Scenario 4. */
  readonly concurrency: { readonly callers: number; readonly poolSize: number; readonly queries: number };
  /** Scenario 5. */
  readonly parallelism: { readonly counts: readonly number[]; readonly sleepMs: number };
}

/** The sizes the issue asks for. */
export const FULL_PLAN: BenchPlan = Object.freeze({
  mode: 'full',
  runs: 5,
  streamingRuns: 3,
  roundTrips: 20_000,
  openCloseCycles: 5_000,
  streamRows: 1_000_000,
  concurrency: { callers: 100, poolSize: 10, queries: 20_000 },
  parallelism: { counts: [1, 2, 4, 8, 16], sleepMs: 200 },
});

/**
 * `--quick`: a tenth of the work and fewer runs, so all three providers finish in under two minutes. Ratios are
 * noisier; the memory target is still judged, on a fifth of the rows.
 */
export const QUICK_PLAN: BenchPlan = Object.freeze({
  mode: 'quick',
  runs: 2,
  streamingRuns: 1,
  roundTrips: 2_000,
  openCloseCycles: 500,
  streamRows: 200_000,
  concurrency: { callers: 100, poolSize: 10, queries: 2_000 },
  parallelism: { counts: [1, 2, 4, 8, 16], sleepMs: 200 },
});

/** Rows of the benchmark table: enough for a full streaming run. */
export const TABLE_ROWS = 1_000_000;

/**
 * The plan for `--quick` or a full run; `runs` (from `--runs`) replaces the runs per side, and caps the streaming runs
 * (each a child reading every row, the longest part of a run) — full sizes with fewer runs is the shorter full run.
 */
export function planFor(quick: boolean, runs?: number): BenchPlan {
  const plan = quick ? QUICK_PLAN : FULL_PLAN;
  if (runs === undefined) return plan;
  return Object.freeze({ ...plan, runs, streamingRuns: Math.min(plan.streamingRuns, runs) });
}

/** The least warm-up any side gets, in operations, whatever the size of a run. */
export const MIN_WARM_UP = 2_000;

/**
 * Untimed warm-up size before the timed runs: a tenth of a run, but never fewer than {@link MIN_WARM_UP} operations
 * — not capped by a quick run's size. V8 optimizes a function only after many calls, and asyncdb's path has more
 * functions than a raw driver's: a short warm-up made quick runs measure the JIT (client CPU read ~3× a full run's).
 */
export function warmUpCount(count: number, minimum = MIN_WARM_UP): number {
  return Math.max(minimum, Math.round(count / 10));
}
