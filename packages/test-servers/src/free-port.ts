import { createServer } from 'node:net';

/**
 * Asks the OS for a currently free TCP port on `host` by binding port 0 and releasing it.
 * Another process may take the port before the caller binds it, so callers must be prepared to
 * retry with a fresh port.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error(`Could not determine the port bound on ${host}`);
  }
  return address.port;
}
