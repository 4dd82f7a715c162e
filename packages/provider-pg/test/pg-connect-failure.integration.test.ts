import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { DbError, DbTimeoutError } from '@asyncdb/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PgConnection, PgProviderFactory } from '../src/index.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
  await PgProviderFactory.instance.multiplexers.clearAll();
});

/** A TCP server on loopback and the sockets it accepted. */
interface FakeServer {
  readonly port: number;
  readonly sockets: Socket[];
}

const servers: Server[] = [];
const accepted: Socket[] = [];
afterEach(async () => {
  for (const socket of accepted.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function startServer(answer: (socket: Socket) => void): Promise<FakeServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    accepted.push(socket);
    socket.on('error', () => {});
    answer(socket);
    // Reading (and dropping) what the client sends is what lets the server see the client's FIN.
    socket.resume();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, sockets };
}

/**
 * AuthenticationSASL offering only a mechanism `pg` does not implement: `pg` fails the connect on its own side (no
 * ErrorResponse, no goodbye from the server), and a real server would then wait for the client's answer until its
 * authentication_timeout — the socket stays open unless the client destroys it.
 */
function offerUnknownSasl(socket: Socket): void {
  socket.once('data', () => {
    const mechanisms = Buffer.from('NOT-A-MECHANISM\0\0');
    const message = Buffer.alloc(1 + 4 + 4 + mechanisms.length);
    message.write('R', 0);
    message.writeInt32BE(4 + 4 + mechanisms.length, 1);
    message.writeInt32BE(10, 5);
    mechanisms.copy(message, 9);
    socket.write(message);
  });
}

/** Resolves once every socket the server accepted has been closed by the client (or rejects after `ms`). */
async function allClosed(sockets: readonly Socket[], ms = 3_000): Promise<void> {
  const closing = sockets.map((socket) => (socket.closed ? Promise.resolve() : once(socket, 'close')));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a socket was still open after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([Promise.all(closing), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The ways an open connects a client: each must destroy the client's socket when the connect fails. */
const OPENS = {
  'Pooling=false': 'Pooling=false',
  'Pooling=false on a host list': 'Pooling=false;Load Balance Hosts=false',
  pooled: 'Pooling=true',
  'Multiplexing=true': 'Multiplexing=true',
} as const;

function connectionStringOf(port: number, open: keyof typeof OPENS, extra: string): string {
  const host = open === 'Pooling=false on a host list' ? `127.0.0.1:${port},127.0.0.1:${port}` : '127.0.0.1';
  return `Host=${host};Port=${port};Username=u;Password=connect-failure-secret;${OPENS[open]};${extra}`;
}

describe('a connect that fails on the client side closes its socket', () => {
  for (const open of Object.keys(OPENS) as Array<keyof typeof OPENS>) {
    it(open, async () => {
      const server = await startServer(offerUnknownSasl);
      const connection = new PgConnection(connectionStringOf(server.port, open, 'Connect Timeout=30'));
      const error = await connection.open().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DbError);
      expect(String((error as DbError).message)).toMatch(/SASL/);
      expect(String((error as DbError).message)).not.toContain('connect-failure-secret');
      expect(server.sockets.length).toBeGreaterThan(0);
      // Before the fix, Pooling=false left the socket open: the server saw no close until it gave up itself.
      await allClosed(server.sockets);
    });
  }
});

describe('a connect that times out against a server that never answers closes its socket', () => {
  for (const open of Object.keys(OPENS) as Array<keyof typeof OPENS>) {
    it(open, async () => {
      const server = await startServer(() => {});
      const connection = new PgConnection(connectionStringOf(server.port, open, 'Connect Timeout=1'));
      const error = await connection.open().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DbError);
      if (open !== 'Pooling=false on a host list') expect(error).toBeInstanceOf(DbTimeoutError);
      expect(server.sockets.length).toBeGreaterThan(0);
      await allClosed(server.sockets);
    });
  }
});
