import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 in front of a real server, that can stall or cut the connections it carries. */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** Client connections accepted so far. */
  readonly accepted: number;
  /**
   * Stops forwarding in both directions, on every connection, including the ones accepted later: bytes sent either
   * way stay in the proxy, as on a network that went silent without closing anything.
   */
  stall(): void;
  /** Forwards again, including what was held back while stalled. */
  resume(): void;
  /** Destroys every connection at once (both sides see the socket close), as a network cut or a failover would. */
  cut(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
  /** Chunks held back while stalled, in order, per direction. */
  readonly toServer: Buffer[];
  readonly toClient: Buffer[];
}

/**
 * Starts a proxy that forwards every connection to `target`, and can stall or cut them on demand: the network
 * faults a client must survive (a fetch that never completes, a socket that dies mid-command) provoked on real
 * servers over real sockets. Point a connection string's host and port at the proxy.
 *
 * ```ts
 * const proxy = await startFaultProxy({ host: '127.0.0.1', port: 5432 });
 * // … open through `${proxy.host}:${proxy.port}`, start a command, then:
 * proxy.stall();
 * ```
 */
export async function startFaultProxy(target: { readonly host: string; readonly port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let accepted = 0;
  let stalled = false;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, server: upstream, toServer: [], toClient: [] };
    pairs.add(pair);
    const forward = (to: Socket, held: Buffer[]) => (chunk: Buffer) => {
      if (stalled) held.push(chunk);
      else to.write(chunk);
    };
    client.on('data', forward(upstream, pair.toServer));
    upstream.on('data', forward(client, pair.toClient));
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Either side ending ends the other (a cut is both sides' close); errors are the test's business, not a crash.
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The fault proxy has no TCP address.');
  const destroyAll = (): void => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.server.destroy();
    }
    pairs.clear();
  };
  return {
    host: '127.0.0.1',
    port: address.port,
    get accepted() {
      return accepted;
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const pair of pairs) {
        for (const chunk of pair.toServer.splice(0)) pair.server.write(chunk);
        for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
      }
    },
    cut: destroyAll,
    close() {
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
