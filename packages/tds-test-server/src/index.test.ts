import { Connection } from 'tedious';
import { describe, expect, it } from 'vitest';
import { createPgEngine, startTdsTestServer, TdsEngineError } from './index.js';
import { FakeEngine } from './testing/fake-engine.js';

describe('package entry point', () => {
  it('exports the server, the PostgreSQL engine factory and the seam', () => {
    expect(typeof startTdsTestServer).toBe('function');
    expect(typeof createPgEngine).toBe('function');
    expect(new TdsEngineError({ number: 1, state: 1, severity: 16, message: 'm' }).tdsMessage.number).toBe(1);
  });

  it('listens on a free port of 127.0.0.1 by default, or on the port asked for, and close() is idempotent', async () => {
    const first = await startTdsTestServer({ engine: new FakeEngine() });
    expect(first.host).toBe('127.0.0.1');
    expect(first.port).toBeGreaterThan(0);
    await Promise.all([first.close(), first.close()]);
    // Nothing listens any more.
    const refused = await new Promise<Error | undefined>((resolve) => {
      const connection = new Connection({
        server: '127.0.0.1',
        options: { port: first.port, encrypt: false, connectTimeout: 2000 },
      });
      connection.connect((error) => resolve(error));
    });
    expect(refused?.message).toMatch(/ECONNREFUSED|Failed to connect/);
    const again = await startTdsTestServer({ engine: new FakeEngine(), port: first.port });
    expect(again.port).toBe(first.port);
    await again.close();
  });

  it('rejects when the port is taken', async () => {
    const first = await startTdsTestServer({ engine: new FakeEngine() });
    try {
      await expect(startTdsTestServer({ engine: new FakeEngine(), port: first.port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.close();
    }
  });
});
