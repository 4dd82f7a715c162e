import type { Connection, ConnectionConfiguration } from 'tedious';
import { afterAll, beforeAll } from 'vitest';
import { startTdsTestServer, type TdsTestServer, type TdsTestServerOptions } from '../server/tds-server.js';
import { clientConfig, connect, disconnect } from './tedious-client.js';

/** The server and the tedious connection that the tests of one describe block share. */
export interface TediousSuite {
  /** The running server; read it inside a test or hook, not while the block is being declared. */
  readonly server: TdsTestServer;
  /** A tedious connection to it, logged in as {@link clientConfig}'s user. */
  readonly connection: Connection;
}

/**
 * Registers a `beforeAll` that starts a server with `options` and connects tedious to it (with `client` options on
 * top of {@link clientConfig}'s), and an `afterAll` that disconnects and closes the server. Call it inside a
 * `describe`; the getters throw before the `beforeAll` ran.
 */
export function tediousSuite(
  options: TdsTestServerOptions,
  client: Partial<ConnectionConfiguration['options']> = {},
): TediousSuite {
  let server: TdsTestServer | undefined;
  let connection: Connection | undefined;
  beforeAll(async () => {
    server = await startTdsTestServer(options);
    connection = await connect(clientConfig(server.port, client));
  });
  afterAll(async () => {
    if (connection) await disconnect(connection);
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('tediousSuite: the server is not started yet (read it inside a test).');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get connection() {
      return started(connection);
    },
  };
}
