import { createServer, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that accepts connections and never answers. */
export interface SilentServer {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Destroys every socket and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a server that accepts TCP connections and never sends a byte: a client's handshake hangs until its
 * connect timeout (or its caller's abort) ends it. Engine-neutral, so the suite can provoke a connect timeout
 * on any provider without a routable black-hole address.
 * @internal
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The silent server has no TCP address.');
  return {
    host: '127.0.0.1',
    port: address.port,
    get accepted() {
      return accepted;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released): connecting there is refused at once. @internal */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No TCP address.');
  return address.port;
}
