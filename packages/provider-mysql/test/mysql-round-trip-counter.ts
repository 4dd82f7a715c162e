import { connect, createServer, type Server, type Socket } from 'node:net';

/** COM_* command bytes (MySQL client/server protocol) the counter names. */
export const COM_QUERY = 0x03;
export const COM_STMT_PREPARE = 0x16;
export const COM_STMT_EXECUTE = 0x17;

/**
 * A TCP relay between a client and the MySQL server that counts what the client sends: its command packets (by
 * COM_* byte) and its round trips. A round trip is a flight of client bytes sent after the server last spoke: the
 * client cannot send the next flight before it has read an answer, so N flights cost N network round trips.
 */
export interface RoundTripCounter {
  readonly port: number;
  /** Command packets (sequence id 0) by their first payload byte. */
  readonly commands: Map<number, number>;
  /** Client flights since the last {@link reset}. */
  readonly roundTrips: number;
  /** Starts counting afresh (call once the connection is idle). */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a counter that forwards to `target`. */
export async function startRoundTripCounter(target: { host: string; port: number }): Promise<RoundTripCounter> {
  const commands = new Map<number, number>();
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    // The server speaks first (its handshake), so the client's first bytes open a flight.
    let serverSpoke = true;
    client.on('data', (chunk: Buffer) => {
      if (serverSpoke) roundTrips += 1;
      serverSpoke = false;
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readUIntLE(0, 3)) {
        const length = pending.readUIntLE(0, 3);
        if (pending[3] === 0 && length > 0) commands.set(pending[4]!, (commands.get(pending[4]!) ?? 0) + 1);
        pending = pending.subarray(4 + length);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      serverSpoke = true;
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the counter has no TCP address');
  return {
    port: address.port,
    commands,
    get roundTrips() {
      return roundTrips;
    },
    reset() {
      commands.clear();
      roundTrips = 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
