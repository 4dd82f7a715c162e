import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { TdsEngine } from '../engine/engine-types.js';
import { TdsConnection } from './tds-connection.js';

/** Options of {@link startTdsTestServer}. */
export interface TdsTestServerOptions {
  /** The engine that runs the T-SQL; one session is opened per TDS connection. */
  readonly engine: TdsEngine;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** The server name ERROR and INFO tokens report. Default 'tds-test-server'. */
  readonly serverName?: string;
  /**
   * Receives the reasons connections are closed for (protocol errors) and engine failures. Defaults to
   * `console.warn`; tests pass their own to assert on it or keep the output quiet.
   */
  readonly log?: (message: string) => void;
  /** How long a request waits for the engine to let go of a cancelled one (ms). Default 5000. */
  readonly settleTimeoutMs?: number;
}

/** A running test server. */
export interface TdsTestServer {
  /** The port it listens on. */
  readonly port: number;
  /** The interface it listens on. */
  readonly host: string;
  /** Stops listening, ends every connection and closes every engine session. */
  close(): Promise<void>;
}

/**
 * Starts a TDS 7.4 endpoint that the unmodified tedious/mssql client can connect to (with
 * `encrypt: false`), executing requests through `options.engine`.
 */
export async function startTdsTestServer(options: TdsTestServerOptions): Promise<TdsTestServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((message: string) => console.warn(`[tds-test-server] ${message}`));
  const context = {
    engine: options.engine,
    serverName: options.serverName ?? 'tds-test-server',
    log,
    settleTimeoutMs: options.settleTimeoutMs ?? 5000,
  };
  const connections = new Set<TdsConnection>();
  const server = createServer((socket: Socket) => {
    const connection = new TdsConnection(socket, context);
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`server error: ${error.message}`));
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    host,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((connection) => connection.close()));
        await stopped;
      })();
      return closing;
    },
  };
}
