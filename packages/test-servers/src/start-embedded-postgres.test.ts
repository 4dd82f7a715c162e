import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findFreePort } from './free-port.js';
import { startEmbeddedPostgres } from './start-embedded-postgres.js';

/** Resolves when something accepts TCP connections on 127.0.0.1:`port`, rejects otherwise. */
function tcpConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('startEmbeddedPostgres', () => {
  it('starts a quiet PostgreSQL that pg can use; stop() stops it, deletes its data and is idempotent', async () => {
    const output = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'error'),
    ];
    const server = await startEmbeddedPostgres({ database: 'startup_check' });
    try {
      for (const spy of output) expect(spy).not.toHaveBeenCalled();
      expect(server).toMatchObject({ embedded: true, host: '127.0.0.1', database: 'startup_check' });
      expect(server.url).toBe(`postgres://${server.user}:${server.password}@127.0.0.1:${server.port}/startup_check`);
      expect(server.dataDirectory.startsWith(tmpdir())).toBe(true);
      expect(existsSync(server.dataDirectory)).toBe(true);

      const client = new pg.Client(server.url);
      await client.connect();
      const { rows } = await client.query<{ db: string; who: string; version: string }>(
        'SELECT current_database() AS db, current_user AS who, version() AS version',
      );
      await client.end();
      expect(rows[0]).toMatchObject({ db: 'startup_check', who: server.user, version: expect.stringMatching(/^PostgreSQL \d+/) });

      const impostor = new pg.Client({ host: server.host, port: server.port, user: server.user, password: 'wrong', database: 'postgres' });
      await expect(impostor.connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      await Promise.all([server.stop(), server.stop()]);
    }

    expect(existsSync(server.dataDirectory)).toBe(false);
    await expect(tcpConnect(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('fails with the last server log lines when its port is taken, and leaves no data behind', async () => {
    const blocker = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const lines: string[] = [];
    try {
      const failure = await startEmbeddedPostgres({ port, onLog: (line) => lines.push(line) }).then(
        () => new Error('expected startup to fail'),
        (error: unknown) => error as Error,
      );
      expect(failure.message).toContain('Embedded PostgreSQL failed to start');
      expect(failure.message).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(failure.message).toMatch(/Last lines of the server log:[\s\S]*Address already in use/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(lines).toContainEqual(expect.stringContaining('Address already in use'));
    const dataDirectory = /existing directory (\S+)/.exec(lines.join('\n'))?.[1];
    expect(dataDirectory).toBeDefined();
    expect(existsSync(dataDirectory ?? '')).toBe(false);
  });
});
