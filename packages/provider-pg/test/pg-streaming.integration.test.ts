import { Socket } from 'node:net';
import { CommandBehavior, type DbDataReader } from '@asyncdb/core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PgProviderFactory } from '../src/index.js';
import { PREFETCH_ROWS } from '../src/pg-result-cursor.js';
import { openConnection, scalar } from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const ROWS = 250_000;

/**
 * Reads every row, sampling the heap's growth over its level when the read began. A `slow` reader yields to the
 * timers every 500 rows, so the server outpaces it and backpressure must hold the rows back.
 */
async function readAll(reader: DbDataReader, slow = false): Promise<{ peak: number; count: number; checksum: number }> {
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  let count = 0;
  let checksum = 0;
  while (await reader.read()) {
    count += 1;
    checksum += reader.getInt32(0);
    if (count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    if (slow && count % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { peak, count, checksum };
}
/** ~1 KB per row: 250 MB if the provider buffered the result, a few MB if it streams. */
const WIDE_QUERY = `SELECT g, repeat(md5(g::text), 32) AS payload FROM generate_series(1, ${ROWS}) g`;

describe('streaming', () => {
  it(`reads ${ROWS} rows of 1 KB with bounded memory: one simple Query, the socket paused between fetches`, async () => {
    // Observe what pg writes and the socket's pauses (spies on prototypes, not changes to pg's behaviour).
    await using connection = await openConnection();
    // A pooled session's owed DISCARD ALL goes out with its first command: let it go before watching.
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    const wire = pg.Connection.prototype as unknown as { execute(config: unknown): void; query(text: string): void };
    const execute = vi.spyOn(wire, 'execute');
    const query = vi.spyOn(wire, 'query');
    const pause = vi.spyOn(Socket.prototype, 'pause');
    const command = connection.createCommand(WIDE_QUERY);
    await using reader = await command.executeReader();
    const { peak, count, checksum } = await readAll(reader, true);
    expect(count).toBe(ROWS);
    expect(checksum).toBe((ROWS * (ROWS + 1)) / 2);
    // Well under the 250 MB the whole result takes; a buffering reader could not stay below this.
    expect(peak).toBeLessThan(100 * 1024 * 1024);
    // No portal, no row limit: the server sends every row, and only the paused socket holds it back.
    expect(query.mock.calls).toEqual([[WIDE_QUERY]]);
    expect(execute).not.toHaveBeenCalled();
    expect(pause.mock.calls.length).toBeGreaterThan(10);
  });

  it(`reads ${ROWS} rows of 1 KB with KeyInfo from the portal in batches of at most ${PREFETCH_ROWS}`, async () => {
    await using connection = await openConnection();
    // A pooled session's owed DISCARD ALL goes out with its first command: let it go before watching.
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    const execute = vi.spyOn(pg.Connection.prototype as unknown as { execute(config: unknown): void }, 'execute');
    const command = connection.createCommand(WIDE_QUERY);
    await using reader = await command.executeReader(CommandBehavior.KeyInfo);
    const { peak, count } = await readAll(reader);
    expect(count).toBe(ROWS);
    expect(peak).toBeLessThan(100 * 1024 * 1024);
    // The user's portal is the unnamed one; the KeyInfo catalog lookup runs on a portal of its own.
    const rowLimits = execute.mock.calls
      .map(([config]) => config as { portal?: string; rows?: number })
      .filter((config) => !config.portal)
      .map((config) => config.rows ?? 0);
    expect(rowLimits.length).toBeGreaterThanOrEqual(ROWS / PREFETCH_ROWS);
    expect(rowLimits.every((limit) => limit > 0 && limit <= PREFETCH_ROWS)).toBe(true);
  });

  it('releases the connection when a for await loop breaks, and the session is usable at once', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand(WIDE_QUERY);
    const reader = await command.executeReader();
    let seen = 0;
    for await (const row of reader) {
      seen += 1;
      expect(row).toHaveProperty('payload');
      if (seen === 1500) break;
    }
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 5')).toBe(5);
  });

  it('releases the connection when the loop body throws', async () => {
    await using connection = await openConnection();
    const reader = await connection.createCommand(WIDE_QUERY).executeReader();
    await expect(
      (async () => {
        for await (const row of reader) if (row['g'] === 10) throw new Error('stop here');
      })(),
    ).rejects.toThrow('stop here');
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 6')).toBe(6);
  });

  it('closes a half-read portal inside a transaction, which stays usable', async () => {
    await using connection = await openConnection();
    await using transaction = await connection.beginTransaction();
    const reader = await transaction.createCommand('SELECT g FROM generate_series(1, 5000) g').executeReader();
    expect(await reader.read()).toBe(true);
    await reader.close();
    expect(await transaction.createCommand('SELECT 8').executeScalar()).toBe(8);
    await transaction.commit();
  });
});
