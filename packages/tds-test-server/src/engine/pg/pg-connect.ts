import { connect } from 'node:net';
import pg from 'pg';

/**
 * Type parsers for the engine's clients: every value stays PostgreSQL's text, and the engine converts it
 * itself for the TDS column it describes. Set per client (the `types` option), never globally, so other
 * users of `pg` in the same process are unaffected.
 */
export const RAW_TYPES: pg.CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
} as pg.CustomTypesConfig;

/**
 * Session settings every engine connection starts with (as startup options, so `DISCARD ALL` keeps them):
 * UTC and ISO dates so values parse unambiguously; only warnings and errors come back as notices.
 */
const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c client_min_messages=warning';

/** `pgUrl` pointing at another database on the same server. */
export function urlForDatabase(pgUrl: string, database: string | undefined): string {
  if (database === undefined) return pgUrl;
  const url = new URL(pgUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The database name in `pgUrl` (PostgreSQL's default, the user name, when the URL has none). */
export function databaseOf(pgUrl: string): string {
  const url = new URL(pgUrl);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return path !== '' ? path : decodeURIComponent(url.username) || 'postgres';
}

/** Opens one engine connection (one per TDS session). */
export async function openPgClient(pgUrl: string, database: string | undefined, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: urlForDatabase(pgUrl, database),
    types: RAW_TYPES,
    options: SESSION_OPTIONS,
    application_name: applicationName.slice(0, 63) || 'tds-test-server',
  });
  // A connection that dies between requests must not crash the process; the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** CancelRequest's code (PostgreSQL protocol: 1234 in the high half, 5678 in the low half). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Sends PostgreSQL's CancelRequest for `client`'s backend (its process id and secret key, on a new socket that the
 * server closes at once) and resolves once the server closed it. Unlike `pg_cancel_backend` from a side connection
 * it needs no login and no connection slot, so it still works when the server is at max_connections. A backend that
 * is idle when the request arrives ignores it. Never rejects: a cancel that cannot be sent is retried by the caller.
 */
export function sendCancelRequest(client: pg.Client): Promise<void> {
  const keys = client as unknown as { processID: number | null; secretKey: number | null; host: string; port: number };
  if (keys.processID === null || keys.secretKey === null) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = connect(keys.port, keys.host);
    const done = (): void => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(2_000, done);
    socket.once('error', done);
    socket.once('close', done);
    socket.once('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      message.writeInt32BE(keys.processID!, 8);
      message.writeInt32BE(keys.secretKey!, 12);
      socket.end(message);
    });
  });
}
