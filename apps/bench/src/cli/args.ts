import { parseArgs } from 'node:util';
import { isProviderName, PROVIDERS, SCENARIOS, scenarioNamed, type ProviderName, type ScenarioName } from './names.js';

/** What the command line asked for. */
export interface BenchOptions {
  /** Smaller sizes and fewer runs: the whole benchmark in under two minutes. */
  readonly quick: boolean;
  /** Providers to measure, in run order (default: all). */
  readonly providers: readonly ProviderName[];
  /** Scenarios to run, in run order (default: all). */
  readonly scenarios: readonly ScenarioName[];
  /** `--help` was given: print {@link USAGE} and do nothing else. */
  readonly help: boolean;
  /** `--runs N`: timed runs per side instead of the plan's (streaming: at most the plan's); absent for the plan's. */
  readonly runs?: number;
}

/** Thrown for a command line the benchmark cannot run; its message is meant for the user, followed by the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The `--help` text. */
export const USAGE = `Usage: npm run bench -- [--quick] [--provider pg|mysql|mssql|sqlite]... [--scenario <name>]...

  --quick              smaller sizes and fewer runs (under two minutes)
  --runs <n>           timed runs per side (default 5, quick 2; streaming at most 3, quick 1):
                       \`--runs 3\` is the shorter full-size run
  --provider <name>    pg, mysql, mssql or sqlite; repeat or separate with commas (default: all)
  --scenario <name>    ${SCENARIOS.map((name, index) => `${index + 1}=${name}`).join(', ')};
                       repeat or separate with commas (default: all)
  --help               this text

Environment: ASYNCDB_PG_URL (use this PostgreSQL instead of an embedded one), ASYNCDB_MYSQL_URL.`;

/** Splits repeated and comma-separated values ("pg,mysql" and "--provider pg --provider mysql" alike). */
function listOf(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

/** Keeps the canonical order and drops duplicates, so the run order never depends on how the flags were typed. */
function inOrder<T extends string>(all: readonly T[], chosen: readonly T[]): T[] {
  return chosen.length === 0 ? [...all] : all.filter((name) => chosen.includes(name));
}

/**
 * Parses the benchmark's arguments (without `node` and the script).
 * @throws {UsageError} for an unknown option, provider or scenario, or a stray argument.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
  const providers = listOf(values.provider).map((name) => {
    const lower = name.toLowerCase();
    if (!isProviderName(lower)) throw new UsageError(`Unknown provider '${name}'; expected one of ${PROVIDERS.join(', ')}.`);
    return lower;
  });
  const scenarios = listOf(values.scenario).map((name) => {
    const scenario = scenarioNamed(name);
    if (scenario === undefined) throw new UsageError(`Unknown scenario '${name}'; expected one of ${SCENARIOS.join(', ')} (or 1–5).`);
    return scenario;
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= 50)) {
    throw new UsageError(`--runs wants a whole number from 1 to 50, not '${values.runs}'.`);
  }
  return {
    quick: values.quick ?? false,
    providers: inOrder(PROVIDERS, providers),
    scenarios: inOrder(SCENARIOS, scenarios),
    help: values.help ?? false,
    ...(runs === undefined ? {} : { runs }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      runs: { type: 'string' },
      provider: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
