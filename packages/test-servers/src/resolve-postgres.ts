import pg from 'pg';
import { describeError, passwordOf } from './describe-error.js';
import { PROBE_TIMEOUT_MS } from './probe-timeout.js';
import { redactUrl } from './redact-url.js';
import type { ServerHandle } from './server-handle.js';
import { startEmbeddedPostgres } from './start-embedded-postgres.js';
import { withTimeout } from './with-timeout.js';

/**
 * The PostgreSQL to test against: the server at `ASYNCDB_PG_URL` if that is set (checked with
 * `SELECT 1`; an Error saying how to fix it if it does not answer within 5 s — never a silent
 * skip), else a freshly started embedded one. `stop()` is a no-op for the external server.
 */
export async function resolvePostgres(): Promise<ServerHandle> {
  const url = process.env['ASYNCDB_PG_URL'];
  if (url === undefined || url === '') return startEmbeddedPostgres();
  try {
    await probePostgres(url);
  } catch (error) {
    throw new Error(
      `ASYNCDB_PG_URL is set to ${redactUrl(url)}, but that server did not answer SELECT 1 within ` +
        `${PROBE_TIMEOUT_MS / 1000} s: ${describeError(error, [passwordOf(url)])}.\n` +
        'To fix: start that server, or correct ASYNCDB_PG_URL ' +
        '(postgres://user:password@host:port/database) — or unset ASYNCDB_PG_URL to have an embedded ' +
        'PostgreSQL started automatically.',
    );
  }
  return { url, embedded: false, stop: async () => {} };
}

/** Connects to `url` and runs `SELECT 1`, failing after `timeoutMs`. */
export async function probePostgres(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  let client: pg.Client | undefined;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    // A connection that breaks after a failed attempt must not become an unhandled 'error' event.
    client.on('error', () => {});
    const connected = client;
    await withTimeout(
      connected.connect().then(() => connected.query('SELECT 1')),
      timeoutMs,
      `no answer within ${timeoutMs / 1000} s`,
    );
  } finally {
    void client?.end().catch(() => {});
  }
}
