import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const taken = vi.hoisted(() => ({ port: 0, handedOut: false }));

// The first "free" port handed out is one we hold, as if another process grabbed it between
// the probe and PostgreSQL's bind.
vi.mock('./free-port.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./free-port.js')>();
  return {
    findFreePort: async (host?: string) => {
      if (!taken.handedOut) {
        taken.handedOut = true;
        return taken.port;
      }
      return original.findFreePort(host);
    },
  };
});

const { findFreePort } = await vi.importActual<typeof import('./free-port.js')>('./free-port.js');
const { startEmbeddedPostgres } = await import('./start-embedded-postgres.js');

const blocker = createServer();

beforeAll(async () => {
  taken.port = await findFreePort();
  await new Promise<void>((resolve) => blocker.listen(taken.port, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
});

describe('startEmbeddedPostgres port choice', () => {
  it('retries on another free port when the chosen one is taken before PostgreSQL binds it', async () => {
    const server = await startEmbeddedPostgres();
    try {
      expect(taken.handedOut).toBe(true);
      expect(server.port).not.toBe(taken.port);
    } finally {
      await server.stop();
    }
  });
});
