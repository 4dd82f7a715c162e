import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort, startSilentServer } from './silent-server.js';

describe('startSilentServer', () => {
  it('accepts a connection and sends nothing', async () => {
    const server = await startSilentServer();
    try {
      const received: Buffer[] = [];
      const socket = connect(server.port, server.host);
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('hello?');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.accepted).toBe(1);
      expect(received).toEqual([]);
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('closedPort', () => {
  it('is a port where connecting is refused', async () => {
    const port = await closedPort();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
  });
});
