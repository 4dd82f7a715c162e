import { inject } from 'vitest';
import { scalar, serverConnections } from '@asyncdb/testkit';
import { PgProviderFactory } from '../src/index.js';

export { eventually, execute, rows, scalar, uniqueName, type Keywords } from '@asyncdb/testkit';

/** The URL of the PostgreSQL this run uses (ASYNCDB_PG_URL, else the embedded one the global setup started). */
export function pgUrl(): string {
  return inject('pgUrl');
}

/**
 * `connectionString(keywords)`: the test server's, in keyword form; `openConnection(keywords)`: a `PgConnection` to
 * it; `withObserver(body)`: `body` run on an unpooled connection of its own, to watch the server from outside.
 */
export const { connectionString, openConnection, withObserver } = serverConnections(PgProviderFactory.instance, pgUrl);

/** The `pg_stat_activity.state` of a backend, or null once it has gone. */
export async function backendState(pid: number | string | undefined): Promise<string | null> {
  return withObserver(async (observer) => {
    const state = await scalar<string | null | undefined>(
      observer,
      'SELECT state FROM pg_stat_activity WHERE pid = @pid',
      { pid: Number(pid) },
    );
    return state ?? null;
  });
}
