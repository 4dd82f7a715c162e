import { CommandType, NotSupportedError } from '@asyncdb/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { execute, openConnection, scalar, uniqueName } from './pg-integration-helpers.js';

let connection: PgConnection;
let table: string;

beforeAll(async () => {
  connection = await openConnection();
  table = uniqueName('dbbatch');
  await execute(connection, `CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL)`);
});

afterAll(async () => {
  await execute(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

describe('DbBatch on PostgreSQL', () => {
  it('sends ten INSERTs as Parse/Bind/Describe/Execute each and one Sync: one round trip', async () => {
    // A pooled session's owed DISCARD ALL goes out with its first command: let it go before watching.
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    const wire = pg.Connection.prototype as unknown as {
      parse(config: unknown): void;
      execute(config: unknown): void;
      sync(): void;
      flush(): void;
    };
    const parse = vi.spyOn(wire, 'parse');
    const executeMessage = vi.spyOn(wire, 'execute');
    const sync = vi.spyOn(wire, 'sync');
    const flush = vi.spyOn(wire, 'flush');
    try {
      const batch = connection.createBatch();
      for (let id = 1; id <= 10; id += 1) {
        const insert = batch.batchCommands.add(`INSERT INTO ${table} (id, name) VALUES (@id, @name)`);
        insert.parameters.addWithValue('@id', id);
        insert.parameters.addWithValue('@name', `n${id}`);
      }
      expect(await batch.executeNonQuery()).toBe(10);
      expect(batch.batchCommands.toArray().map((command) => command.recordsAffected)).toEqual(Array(10).fill(1));
      expect(parse).toHaveBeenCalledTimes(10);
      expect(executeMessage).toHaveBeenCalledTimes(10);
      // One Sync and no Flush: nothing waits for an answer before the whole batch is written.
      expect(sync).toHaveBeenCalledTimes(1);
      expect(flush).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
    expect(await scalar(connection, `SELECT count(*)::int FROM ${table}`)).toBe(10);
  });

  it('is one implicit transaction outside a transaction: a failing command undoes the commands before it', async () => {
    const batch = connection.createBatch();
    batch.batchCommands.add(`INSERT INTO ${table} (id, name) VALUES (100, 'undone')`);
    batch.batchCommands.add('SELECT 1/0');
    await expect(batch.executeNonQuery()).rejects.toMatchObject({
      sqlState: '22012',
      batchCommand: batch.batchCommands.get(1),
    });
    expect(await scalar(connection, `SELECT count(*)::int FROM ${table} WHERE id = 100`)).toBe(0);
  });

  it('refuses a StoredProcedure batch command (a pg DbBatch is one round trip: no lookup of the routine)', async () => {
    const batch = connection.createBatch();
    batch.batchCommands.add('SELECT 1');
    batch.batchCommands.add('now').commandType = CommandType.StoredProcedure;
    const error = await batch.executeNonQuery().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toMatch(/stored procedures by name/);
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });
});
