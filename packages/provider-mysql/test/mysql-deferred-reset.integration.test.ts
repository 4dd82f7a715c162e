import { describe, expect, it } from 'vitest';
import { nonQuery, openConnection, scalar, useWatcher } from './mysql-test-server.js';

const watcher = useWatcher({
  afterOpen: (w) => w.query('CREATE TABLE IF NOT EXISTS asyncdb_deferred_reset (id INT PRIMARY KEY)'),
  beforeEnd: (w) => w.query('DROP TABLE IF EXISTS asyncdb_deferred_reset'),
});

/**
 * Whether row `id` is locked by another session's transaction, seen from the watcher without waiting (NOWAIT).
 * Locks tell the truth at once; information_schema.INNODB_TRX is a cache refreshed at most every 100 ms.
 */
async function rowLocked(id: number): Promise<boolean> {
  try {
    await watcher().query('SELECT id FROM asyncdb_deferred_reset WHERE id = ? FOR UPDATE NOWAIT', [id]);
    return false;
  } catch {
    return true;
  }
}

describe('session reset after close', () => {
  it('resets in the background: the next open of a pool of one waits for it and gets a clean session', async () => {
    const options = 'Max Pool Size=1;Application Name=deferred-reset';
    for (let round = 0; round < 20; round++) {
      const connection = await openConnection(options);
      expect(await scalar(connection, 'SELECT @dirty')).toBeNull();
      expect(await scalar(connection, 'SELECT @@SESSION.time_zone')).toBe('+00:00');
      await nonQuery(connection, "SET @dirty = 1; SET SESSION time_zone = '+05:00'");
      await connection.close();
    }
  });

  it('prepared statements work again after the reset dropped them on the server', async () => {
    const options = 'Max Pool Size=1;Application Name=deferred-reset-prepared';
    for (let round = 0; round < 3; round++) {
      const connection = await openConnection(options);
      const command = connection.createCommand('SELECT @value + 1');
      command.parameters.addWithValue('@value', round);
      expect(await command.executeScalar()).toBe(BigInt(round + 1));
      await connection.close();
    }
  });

  it('rolls back a transaction begun with beginTransaction before close() returns', async () => {
    const connection = await openConnection('Max Pool Size=2;Application Name=deferred-reset-tx');
    const transaction = await connection.beginTransaction();
    const insert = connection.createCommand('INSERT INTO asyncdb_deferred_reset (id) VALUES (1)');
    insert.transaction = transaction;
    await insert.executeNonQuery();
    expect(await rowLocked(1)).toBe(true);
    await connection.close();
    expect(await rowLocked(1)).toBe(false);
  });

  it('rolls back a transaction begun in SQL (the server reports it) before close() returns', async () => {
    const connection = await openConnection('Max Pool Size=2;Application Name=deferred-reset-sql-tx');
    await nonQuery(connection, 'START TRANSACTION; INSERT INTO asyncdb_deferred_reset (id) VALUES (2)');
    expect(await rowLocked(2)).toBe(true);
    await connection.close();
    expect(await rowLocked(2)).toBe(false);
    const [rows] = await watcher().query('SELECT COUNT(*) AS n FROM asyncdb_deferred_reset');
    expect(Number((rows as Array<{ n: number }>)[0]?.n)).toBe(0);
  });
});
