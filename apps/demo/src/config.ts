import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios/scenario-list.js';

/** The providers the demo can run on, by invariant name. */
export const PROVIDER_NAMES = ['pg', 'mysql', 'mssql', 'sqlite'] as const;
/** One of {@link PROVIDER_NAMES}. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** What the demo was asked to do. */
export interface Config {
  /**
   * `run`: the scenarios in the terminal (default). `serve`: the asynchronous web page. `failover`: the opt-in
   * failover scenario (starts its own PostgreSQL primary and standby; pg only). `help`: usage.
   */
  readonly command: 'run' | 'serve' | 'failover' | 'help';
  readonly provider: ProviderName;
  /**
   * The connection string to use; undefined means "start an embedded PostgreSQL" (pg) or "a database file in a
   * temporary directory" (sqlite).
   */
  readonly connectionString: string | undefined;
  /** The scenarios to run, in order (all by default). */
  readonly scenarios: readonly ScenarioName[];
  /** `serve`: the interface to listen on. Defaults to `127.0.0.1`. */
  readonly host: string;
  /** `serve`: the port; 0 picks a free one. Defaults to 3000. */
  readonly port: number;
}

/** Bad command-line input or environment: the message says what is wrong and how to fix it. Exit code 2. */
export class ConfigError extends Error {
  /** The exit code the demo ends with for bad input, as most command-line tools do. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The environment variables the demo reads (the command line wins over them). */
export const ENV = {
  provider: 'ASYNCDB_DEMO_PROVIDER',
  connection: 'ASYNCDB_DEMO_CONNECTION',
  port: 'ASYNCDB_DEMO_PORT',
} as const;

/** The usage text of `npm run demo -- --help`. */
export const USAGE = `Usage: npm run demo -- [serve] [options]

  (no command)   run every scenario in the terminal, then exit
  serve          start the asynchronous web page (Ctrl-C to stop)
  failover       start a PostgreSQL primary + hot standby, write to it through Begin/End, kill the primary,
                 promote the standby, and show the gap and the recovered rate (pg only; needs Debian's
                 PostgreSQL 15 binaries, or ASYNCDB_PG_BIN)

Options:
  --provider <pg|mysql|mssql|sqlite>
                                the provider to use (default pg; env ${ENV.provider})
  --connection "<string>"       the connection string (env ${ENV.connection}); without it, an embedded
                                PostgreSQL is started in a temporary directory and removed at the end
                                (sqlite: a database file in a temporary directory, no server at all)
  --only <names>                run only these scenarios, comma-separated: ${SCENARIO_NAMES.join(', ')}
  --port <n>                    serve: the port (default 3000, 0 = any free port; env ${ENV.port})
  --host <address>              serve: the address to listen on (default 127.0.0.1)
  --help                        show this text

Examples:
  npm run demo
  npm run demo -- --provider sqlite
  npm run demo -- --provider mysql --connection "Server=127.0.0.1;Port=3306;User ID=root;Database=test"
  npm run demo -- serve --port 8080
  npm run demo -- failover`;

/**
 * Reads the command line and the environment into a frozen {@link Config}. Precedence: command line, then
 * environment, then defaults. Throws {@link ConfigError} for anything it cannot use.
 */
export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Config {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        provider: { type: 'string' },
        connection: { type: 'string' },
        only: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs' own messages are clear ("Unknown option '--x'"); add where to find the valid ones.
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)} Run with --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new ConfigError(`Expected at most one command, got: ${positionals.join(' ')}.`);
  const command = positionals[0] ?? 'run';
  if (command !== 'run' && command !== 'serve' && command !== 'failover') {
    throw new ConfigError(
      `Unknown command '${command}'. Use no command to run the scenarios, 'serve' for the web page, or 'failover'.`,
    );
  }
  const provider = readProvider(values.provider ?? nonEmpty(env[ENV.provider]));
  if (command === 'failover') {
    // It starts its own cluster: neither another provider nor a connection string has a meaning here.
    if (provider !== 'pg')
      throw new ConfigError(
        `failover runs on pg only (it starts a PostgreSQL primary and standby), not --provider ${provider}.`,
      );
    if (nonEmpty(values.connection) !== undefined)
      throw new ConfigError('failover starts its own PostgreSQL primary and standby: leave --connection out.');
    return Object.freeze({
      command: values.help ? 'help' : 'failover',
      provider,
      connectionString: undefined,
      scenarios: Object.freeze([]),
      host: '127.0.0.1',
      port: 3000,
    });
  }
  const connectionString = nonEmpty(values.connection) ?? nonEmpty(env[ENV.connection]);
  if (values.connection !== undefined && nonEmpty(values.connection) === undefined) {
    throw new ConfigError(
      '--connection is empty. Give a connection string, or leave the option out to use an embedded PostgreSQL.',
    );
  }
  if (connectionString === undefined && !PROVIDERS_WITHOUT_CONNECTION.includes(provider)) {
    throw new ConfigError(
      `--provider ${provider} needs --connection "<connection string>" (or ${ENV.connection}): only PostgreSQL has an embedded server, and SQLite needs none. ` +
        `For example: --connection "${EXAMPLE_CONNECTIONS[provider]}".`,
    );
  }
  return Object.freeze({
    command: values.help ? 'help' : command,
    provider,
    connectionString,
    scenarios: Object.freeze(readScenarios(values.only)),
    host: nonEmpty(values.host) ?? '127.0.0.1',
    port: readPort(values.port ?? nonEmpty(env[ENV.port])),
  });
}

/** The providers the demo can give a database of its own: an embedded PostgreSQL, a SQLite file. */
const PROVIDERS_WITHOUT_CONNECTION: readonly ProviderName[] = ['pg', 'sqlite'];

const EXAMPLE_CONNECTIONS: Readonly<Record<ProviderName, string>> = {
  pg: 'Host=127.0.0.1;Port=5432;Username=postgres;Database=test',
  mysql: 'Server=127.0.0.1;Port=3306;User ID=root;Database=test',
  mssql: 'Server=127.0.0.1,1433;User ID=sa;Password=…;Database=test;Encrypt=false',
  sqlite: 'Data Source=demo.db',
};

function readProvider(value: string | undefined): ProviderName {
  if (value === undefined) return 'pg';
  const name = value.trim().toLowerCase();
  const known = PROVIDER_NAMES.find((provider) => provider === name);
  if (!known) throw new ConfigError(`Unknown provider '${value}'. Use one of: ${PROVIDER_NAMES.join(', ')}.`);
  return known;
}

function readScenarios(value: string | undefined): ScenarioName[] {
  if (value === undefined) return [...SCENARIO_NAMES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new ConfigError(`--only is empty. Name one or more of: ${SCENARIO_NAMES.join(', ')}.`);
  const unknown = names.filter((name) => !SCENARIO_NAMES.includes(name as ScenarioName));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Unknown scenario ${unknown.map((name) => `'${name}'`).join(', ')}. Use: ${SCENARIO_NAMES.join(', ')}.`,
    );
  }
  // Always in the demo's own order, which builds from the simplest model to the web page's.
  return SCENARIO_NAMES.filter((name) => names.includes(name));
}

function readPort(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65_535)
    throw new ConfigError(`Invalid port '${value}': use a number from 0 to 65535.`);
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
