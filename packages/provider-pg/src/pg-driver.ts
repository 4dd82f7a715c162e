import type { Cancellation } from '@asyncdb/core';
import pg from 'pg';
import type { PgClient } from './pg-client.js';
import type { PgClientConfig } from './pg-client-config.js';
import { PG_CLIENT_TYPES } from './pg-type-parsers.js';

/**
 * The one place that constructs `pg` objects. Every client gets the provider's own type parsers through the
 * per-client `types` option, so `pg.types` (process-wide, shared with other libraries) is never read or changed.
 */

/** A `pg.Client` that also records the ParameterStatus messages of its session (server_version, TimeZone…). */
class RecordingClient extends pg.Client {
  readonly serverParameters = new Map<string, string>();
  /** How many times asyncdb took this client (from its pool, or new): 1 while its startup ParameterStatus values are first-hand. */
  handovers = 0;

  readonly #startupParameters: Readonly<Record<string, string>> | undefined;

  constructor(config: pg.ClientConfig & { startupParameters?: Readonly<Record<string, string>> }) {
    super(config);
    this.#startupParameters = config.startupParameters;
    const connection = this.connection as unknown as {
      on(
        event: 'parameterStatus',
        listener: (message: { parameterName: string; parameterValue: string }) => void,
      ): void;
    };
    connection.on('parameterStatus', (message) =>
      this.serverParameters.set(message.parameterName, message.parameterValue),
    );
  }

  /** pg's startup packet plus our own parameters (pg has no option for them; see PgClientConfig.startupParameters). */
  getStartupConf(): Record<string, string> {
    const base = (
      pg.Client.prototype as unknown as { getStartupConf(this: pg.Client): Record<string, string> }
    ).getStartupConf.call(this);
    return this.#startupParameters ? { ...base, ...this.#startupParameters } : base;
  }
}

/** Creates an unconnected client (for `Pooling=false`). */
export function createPgClient(config: PgClientConfig): PgClient {
  return new RecordingClient({ ...config, types: PG_CLIENT_TYPES }) as unknown as PgClient;
}

/**
 * Runs one query on a new client of its own, then ends it: for catalog lookups a session cannot make itself while
 * its own result is still streaming. Rows come back as the server's text (no type parsers). An abort
 * destroys the socket.
 */
export async function queryOnSideClient(
  config: PgClientConfig,
  sql: string,
  values: ReadonlyArray<string | null>,
  cancellation: Cancellation,
): Promise<Array<Array<string | null>>> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 0 });
  // An error after the query (or after an abort) must never become an uncaught 'error' event.
  client.on('error', () => {});
  const onAbort = (): void => (client as unknown as PgClient).connection.stream.destroy();
  // Not removed afterwards (a Cancellation has no removal): destroying the ended client's socket does nothing.
  cancellation.onAbort(onAbort);
  try {
    if (cancellation.aborted) throw new Error('The lookup was aborted.');
    await client.connect();
    const result = await client.query<Array<string | null>>({
      text: sql,
      values: [...values],
      rowMode: 'array',
      types: { getTypeParser: () => (text: string) => text },
    });
    return result.rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs one simple-protocol statement on a connected client that is not yet in a session's hands (the role check of a
 * multi-host open) and returns the rows as the server's text.
 */
export async function queryText(client: PgClient, sql: string): Promise<Array<Array<string | null>>> {
  const result = await (client as unknown as pg.Client).query<Array<string | null>>({
    text: sql,
    rowMode: 'array',
    types: { getTypeParser: () => (text: string) => text },
  });
  return result.rows;
}
