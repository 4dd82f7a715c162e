import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@asyncdb/test-servers';
import { createPgEngine } from '../engine/index.js';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { clientConfig, connect, disconnect, execBatch } from '../testing/tedious-client.js';

const PASSWORD = 'kill-secret';

describe('a session killed from outside', () => {
  let server: TdsTestServer;
  const logs: string[] = [];

  beforeAll(async () => {
    server = await startTdsTestServer({
      engine: createPgEngine({ pgUrl: inject('pgUrl'), password: PASSWORD }),
      log: (message) => logs.push(message),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('closes the idle victim’s connection at once, as SQL Server does', async () => {
    const victim = await connect(clientConfig(server.port, { database: '' }, PASSWORD));
    const killer = await connect(clientConfig(server.port, { database: '' }, PASSWORD));
    try {
      const spid = (await execBatch(victim, 'SELECT @@SPID AS spid')).resultSets[0]?.[0]?.[0];
      expect(typeof spid).toBe('number');
      const ended = new Promise<void>((resolve) => victim.once('end', () => resolve()));
      await execBatch(killer, `KILL ${String(spid)}`);
      await ended;
      expect(logs.some((line) => line.includes('killed'))).toBe(true);
    } finally {
      await disconnect(killer);
      await disconnect(victim).catch(() => undefined);
    }
  });

  it('ends the victim’s running request with an error, then closes its connection', async () => {
    const victim = await connect(clientConfig(server.port, { database: '' }, PASSWORD));
    const killer = await connect(clientConfig(server.port, { database: '' }, PASSWORD));
    try {
      const spid = (await execBatch(victim, 'SELECT @@SPID AS spid')).resultSets[0]?.[0]?.[0];
      const ended = new Promise<void>((resolve) => victim.once('end', () => resolve()));
      const running = execBatch(victim, "WAITFOR DELAY '00:00:30'").then(
        (collected) => collected.error?.message ?? 'completed',
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await execBatch(killer, `KILL ${String(spid)}`);
      const outcome = await running;
      expect(outcome).toMatch(/kill state/);
      await ended;
    } finally {
      await disconnect(killer);
      await disconnect(victim).catch(() => undefined);
    }
  });
});
