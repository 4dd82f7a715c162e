import { connect, createServer, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function echoServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', (chunk) => socket.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

async function through(proxy: FaultProxy): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(proxy.port, proxy.host);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  cleanups.push(() => void socket.destroy());
  return { socket, received: () => text };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

it('forwards both ways, holds everything while stalled and delivers it on resume', async () => {
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: await echoServer() });
  cleanups.push(() => proxy.close());
  const { socket, received } = await through(proxy);
  socket.write('a');
  await settle();
  expect(received()).toBe('a');
  proxy.stall();
  socket.write('b');
  await settle();
  expect(received()).toBe('a');
  proxy.resume();
  await settle();
  expect(received()).toBe('ab');
  expect(proxy.accepted).toBe(1);
});

it('cut closes the client side of every connection', async () => {
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: await echoServer() });
  cleanups.push(() => proxy.close());
  const { socket } = await through(proxy);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  proxy.cut();
  await closed;
  expect(socket.destroyed).toBe(true);
});
