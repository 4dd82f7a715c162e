import { median, perSecond } from '../stats/stats.js';

/** INSERTs per timed operation, on every side of the batch bench. */
export const INSERTS_PER_OPERATION = 10;

/** One timed pass of a side: wall-clock operations per second and client CPU microseconds per operation. */
export interface Pass {
  readonly opsPerSecond: number;
  readonly cpuMicrosPerOp: number;
}

/** One way of running an operation of {@link INSERTS_PER_OPERATION} INSERTs. */
export type Side = (operation: number) => Promise<void>;

/** `--name N` from the command line, else `fallback`. */
export function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

/** `--name value` from the command line, else `fallback`. */
export function textArgument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : (process.argv[index + 1] ?? fallback);
}

async function timed(side: Side, operations: number): Promise<Pass> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let operation = 0; operation < operations; operation += 1) await side(operation);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { opsPerSecond: perSecond(operations, ms), cpuMicrosPerOp: (cpu.user + cpu.system) / operations };
}

/**
 * Warms every side up (untimed, so V8 has optimised each before anything is measured), then times them alternated,
 * `runs` times, calling `between` after each pass (to empty the table), and prints the medians and the ratios of the
 * first side to each other one.
 */
export async function compareSides(
  sides: ReadonlyArray<readonly [string, Side]>,
  options: { readonly operations: number; readonly runs: number; readonly between: () => Promise<unknown> },
): Promise<void> {
  for (const [, side] of sides) await timed(side, Math.max(500, options.operations / 10));
  const passes = new Map<string, Pass[]>(sides.map(([name]) => [name, []]));
  for (let run = 0; run < options.runs; run += 1) {
    for (const [name, side] of sides) {
      passes.get(name)!.push(await timed(side, options.operations));
      await options.between();
    }
  }
  console.log(['side', 'ops/s (median)', 'client CPU µs/op (median)'].join('\t'));
  const summary = sides.map(([name]) => {
    const list = passes.get(name)!;
    const ops = median(list.map((pass) => pass.opsPerSecond));
    const cpu = median(list.map((pass) => pass.cpuMicrosPerOp));
    console.log([name, ops.toFixed(0), cpu.toFixed(1)].join('\t'));
    return { name, ops, cpu };
  });
  const [first, ...others] = summary;
  for (const other of others) {
    console.log(
      `${first!.name} ÷ ${other.name}: ${(first!.ops / other.ops).toFixed(2)}× ops/s, ` +
        `${(first!.cpu / other.cpu).toFixed(2)}× CPU/op`,
    );
  }
}
