import type { PgClient } from './pg-client.js';
import { toClientConfig } from './pg-client-config.js';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { createPgClient } from './pg-driver.js';
import { toDbError } from './pg-error-converter.js';

/**
 * Connects a `pg` client for any owner — an unpooled connection, core's pool, a multiplexer — and keeps an 'error'
 * listener on it for its whole life (an error after close must never become an uncaught 'error' event).
 *
 * A connect that fails destroys the client's socket, whatever failed: aborting `signal` (core's `Connect Timeout`
 * and the caller's abort), a failure of `pg`'s own (an authentication method it does not implement, say) after
 * which the server, still waiting for an answer, would keep the socket open until its `authentication_timeout`.
 *
 * @param signal bounds the connect; without one (a multiplexer's background connect) `pg`'s own timer enforces
 * `Connect Timeout`.
 * @param secrets strings blanked out of the error (the password).
 * @throws DbError converted from the connect's failure.
 * @internal
 */
export async function connectPgClient(
  builder: PgConnectionStringBuilder,
  secrets: readonly string[],
  signal?: AbortSignal,
): Promise<PgClient> {
  if (signal?.aborted) throw new Error('The connect was aborted.');
  const config = toClientConfig(builder);
  // With a signal, core enforces Connect Timeout through it: pg's own timer is not needed.
  const client = createPgClient(signal === undefined ? config : { ...config, connectionTimeoutMillis: 0 });
  client.on('error', () => {});
  const onAbort = (): void => client.connection.stream.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.connection.stream.destroy();
    throw toDbError(error, secrets);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
