import { afterAll, expect, it } from 'vitest';
import {
  ConnectionState,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
  type DbBatch,
  type DbConnection,
  type DbDataReader,
  type IAsyncResult,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { allOf, capabilityGate, gatedIt } from '../capability-gate.js';
import { fixtureGate, sleepSql } from '../fixture-parts.js';
import { asInteger } from '../helpers/integer.js';
import { rejectionOf, thrownBy } from '../helpers/rejection.js';
import { expectSessionIdle, waitForActiveStatement } from './session-probes.js';
import { keyValueTable, resetKeyValues } from './tables.js';

/** Long enough that only a server-side stop ends it within the test's timeout. */
const LONG_SLEEP_SECONDS = 30;

/**
 * Group 10 — DbBatch (ADO.NET 6): several commands with their own parameters run together; one reader walks their
 * results in order; each command reports its rows affected; a failing command names itself and skips the rest;
 * cancel, timeout, transactions and Begin/End behave as for a command.
 */
export function batchSuite(context: ConformanceContext): void {
  const { capabilities, fixture } = context;
  const serverCancel = allOf(
    capabilityGate(capabilities, 'cancellation', (kind) => kind !== 'none'),
    fixtureGate(fixture, 'sleep'),
    fixtureGate(fixture, 'sessionIds'),
  );
  const table = keyValueTable(context, 'tk_batch');
  afterAll(() => context.dropTables(table.name));

  /** Adds `INSERT (id, name)` with its own parameters to `batch`. */
  function addInsert(batch: DbBatch, name: string, id: number, value: string): void {
    const command = batch.batchCommands.add(`INSERT INTO ${name} (id, name) VALUES (@id, @name)`);
    command.parameters.addWithValue('@id', id);
    command.parameters.addWithValue('@name', value);
  }

  /** The committed ids of the table, read on a connection of its own. */
  async function committedIds(name: string): Promise<number[]> {
    return context.withConnection(async (connection) => {
      const reader = await connection.createCommand(`SELECT id FROM ${name} ORDER BY id`).executeReader();
      const ids: number[] = [];
      while (await reader.read()) ids.push(asInteger(reader.getValue(0)));
      await reader.close();
      return ids;
    });
  }

  /** Every result's rows, first value of each row, read to the end. */
  async function firstValuesOfEveryResult(reader: DbDataReader): Promise<unknown[][]> {
    const results: unknown[][] = [];
    do {
      const values: unknown[] = [];
      while (await reader.read()) values.push(reader.getValue(0));
      results.push(values);
    } while (await reader.nextResult());
    return results;
  }

  it('one reader walks every command’s results in order, and each command reports its own rows affected', async () => {
    const name = await resetKeyValues(context, table, [[1, 'one']]);
    const connection = await context.open();
    const batch = connection.createBatch();
    addInsert(batch, name, 2, 'two');
    batch.batchCommands.add(`SELECT name FROM ${name} WHERE id <= @id ORDER BY id`).parameters.addWithValue('@id', 2);
    batch.batchCommands
      .add(`UPDATE ${name} SET name = @name WHERE id >= @low`)
      .parameters.addRange([
        connection.providerFactory.createParameter('@name', 'changed'),
        connection.providerFactory.createParameter('@low', 1),
      ]);
    batch.batchCommands
      .add(`SELECT id FROM ${name} WHERE name = @name ORDER BY id`)
      .parameters.addWithValue('@name', 'changed');
    const reader = await batch.executeReader();
    const results = await firstValuesOfEveryResult(reader);
    await reader.close();
    expect(results).toEqual([['one', 'two'], expect.anything()]);
    expect(results[1]!.map(asInteger)).toEqual([1, 2]);
    expect(batch.batchCommands.toArray().map((command) => command.recordsAffected)).toEqual([1, -1, 2, -1]);
    expect(reader.recordsAffected).toBe(3);
  });

  it('executeNonQuery resolves the rows changed by all commands; executeScalar the first value of the first result', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    const batch = connection.createBatch();
    for (let id = 1; id <= 3; id += 1) addInsert(batch, name, id, `n${id}`);
    batch.batchCommands.add(`DELETE FROM ${name} WHERE id = @id`).parameters.addWithValue('@id', 3);
    expect(await batch.executeNonQuery()).toBe(4);
    expect(batch.batchCommands.toArray().map((command) => command.recordsAffected)).toEqual([1, 1, 1, 1]);
    const scalar = connection.createBatch();
    scalar.batchCommands
      .add(`UPDATE ${name} SET name = @name WHERE id = @id`)
      .parameters.addRange([
        connection.providerFactory.createParameter('@name', 'x'),
        connection.providerFactory.createParameter('@id', 1),
      ]);
    scalar.batchCommands.add(`SELECT name FROM ${name} WHERE id = @id`).parameters.addWithValue('@id', 1);
    scalar.batchCommands.add(`SELECT id FROM ${name}`);
    expect(await scalar.executeScalar()).toBe('x');
    expect(scalar.batchCommands.get(0).recordsAffected).toBe(1);
    expect(await committedIds(name)).toEqual([1, 2]);
  });

  it(`a failing command rejects with its DbError naming it in batchCommand, skips the rest (or, where the server runs them regardless, drops their results), and the connection stays usable`, async () => {
    const name = await resetKeyValues(context, table, [[5, 'existing']]);
    const connection = await context.open();
    const batch = connection.createBatch();
    addInsert(batch, name, 10, 'before');
    addInsert(batch, name, 5, 'duplicate');
    addInsert(batch, name, 11, 'after');
    const error = await rejectionOf(batch.executeNonQuery());
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.UniqueViolation);
    expect((error as DbError).batchCommand).toBe(batch.batchCommands.get(1));
    expect(batch.batchCommands.get(2).recordsAffected).toBe(-1);
    expect(connection.state).toBe(ConnectionState.Open);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    const ids = await committedIds(name);
    // The command after the failure never ran (unless the server runs every command of a batch: SQL Server); the one
    // before it is undone only where the batch is atomic.
    const after = capabilities.batchContinuesAfterError ? [11] : [];
    expect(ids).toEqual(capabilities.batchIsAtomic ? [5, ...after] : [5, 10, ...after]);
    // What the server reported for the command that ran, even where its work was then undone with the batch.
    expect(batch.batchCommands.get(0).recordsAffected).toBe(1);
  });

  it('a failing command read through executeReader rejects where the reader reaches it, after the results before it', async () => {
    const name = await resetKeyValues(context, table, [[1, 'one']]);
    const connection = await context.open();
    const batch = connection.createBatch();
    batch.batchCommands.add(`SELECT name FROM ${name}`);
    batch.batchCommands.add('SELECT * FROM asyncdb_no_such_table_tk');
    batch.batchCommands.add(`SELECT id FROM ${name}`);
    const reader = await batch.executeReader().catch((error: unknown) => error);
    if (reader instanceof Error) {
      // A provider may learn of the failure before it hands out the reader: then it is the executeReader rejection.
      expect((reader as DbError).batchCommand).toBe(batch.batchCommands.get(1));
    } else {
      const opened = reader as DbDataReader;
      expect(await opened.read()).toBe(true);
      expect(opened.getValue(0)).toBe('one');
      const error = await rejectionOf(opened.nextResult());
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).batchCommand).toBe(batch.batchCommands.get(1));
      await opened.close();
    }
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  it('each command binds its own parameters: the same @name holds a different value in each command', async () => {
    const connection = await context.open();
    const batch = connection.createBatch();
    for (const value of ['first', 'second', 'third']) {
      batch.batchCommands.add('SELECT @v').parameters.addWithValue('@v', value);
    }
    const reader = await batch.executeReader();
    expect(await firstValuesOfEveryResult(reader)).toEqual([['first'], ['second'], ['third']]);
    await reader.close();
  });

  it('an empty batch and a command without text are refused with InvalidOperationError', async () => {
    const connection = await context.open();
    const batch = connection.createBatch();
    expect(await rejectionOf(batch.executeNonQuery())).toBeInstanceOf(InvalidOperationError);
    batch.batchCommands.add(batch.createBatchCommand());
    expect(await rejectionOf(batch.executeNonQuery())).toBeInstanceOf(InvalidOperationError);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  gatedIt(
    serverCancel,
    'cancel() stops a batch on the server: OperationCanceledError, the commands after it do not run (unless batchContinuesAfterCancel), the connection stays usable',
    async () => {
      const name = await resetKeyValues(context, table, []);
      const connection = await context.open();
      const batch = connection.createBatch();
      batch.batchCommands.add(sleepSql(fixture, LONG_SLEEP_SECONDS));
      addInsert(batch, name, 1, 'after');
      const running = batch.executeNonQuery();
      running.catch(() => {});
      await waitForActiveStatement(context, connection);
      batch.cancel();
      expect(await rejectionOf(running)).toBeInstanceOf(OperationCanceledError);
      await expectSessionIdle(context, connection);
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
      // Where the server already holds the commands after the cancelled one, a quick one may have run before the cancel.
      const ids = await committedIds(name);
      if (capabilities.batchContinuesAfterCancel) expect([[], [1]]).toContainEqual(ids);
      else expect(ids).toEqual([]);
    },
    30_000,
  );

  gatedIt(
    serverCancel,
    'batch.timeout stops the batch on the server with DbTimeoutError of kind command',
    async () => {
      const connection = await context.open();
      const batch = connection.createBatch();
      batch.batchCommands.add('SELECT 1');
      batch.batchCommands.add(sleepSql(fixture, LONG_SLEEP_SECONDS));
      batch.timeout = 1;
      const error = await rejectionOf(batch.executeNonQuery());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('command');
      await expectSessionIdle(context, connection);
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    },
    30_000,
  );

  it('inside a transaction: the batch needs it set, runs in it, and rolls back with it', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    const batch = connection.createBatch();
    addInsert(batch, name, 1, 'a');
    addInsert(batch, name, 2, 'b');
    expect(await rejectionOf(batch.executeNonQuery())).toBeInstanceOf(InvalidOperationError);
    batch.transaction = transaction;
    expect(await batch.executeNonQuery()).toBe(2);
    const count = connection.createCommand(`SELECT count(*) FROM ${name}`);
    count.transaction = transaction;
    expect(asInteger(await count.executeScalar())).toBe(2);
    await transaction.rollback();
    expect(await committedIds(name)).toEqual([]);
  });

  it('Begin/End: beginExecuteNonQuery, beginExecuteReader and beginExecuteScalar follow the APM rules of commands', async () => {
    const name = await resetKeyValues(context, table, []);
    const plain: DbConnection = await context.open();
    const refused = plain.createBatch();
    refused.batchCommands.add('SELECT 1');
    expect(thrownBy(() => refused.beginExecuteNonQuery()).message).toMatch(/Asynchronous Processing=true/);

    const connection = await context.open({ 'Asynchronous Processing': true });
    const batch = connection.createBatch();
    addInsert(batch, name, 1, 'a');
    addInsert(batch, name, 2, 'b');
    let calledWith: IAsyncResult | undefined;
    const state = { tag: 'mine' };
    const result = batch.beginExecuteNonQuery((ar) => (calledWith = ar), state);
    expect(thrownBy(() => batch.beginExecuteNonQuery())).toBeInstanceOf(InvalidOperationError);
    expect(await batch.endExecuteNonQuery(result)).toBe(2);
    expect(result.asyncState).toBe(state);
    await result.asyncWaitHandle.waitOne();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calledWith).toBe(result);
    expect(await rejectionOf(batch.endExecuteNonQuery(result))).toBeInstanceOf(InvalidOperationError);

    const select = connection.createBatch();
    select.batchCommands.add(`SELECT id FROM ${name} ORDER BY id`);
    select.batchCommands.add(`SELECT name FROM ${name} ORDER BY id`);
    const reader = await select.endExecuteReader(select.beginExecuteReader());
    const results = await firstValuesOfEveryResult(reader);
    await reader.close();
    expect(results[0]!.map(asInteger)).toEqual([1, 2]);
    expect(results[1]).toEqual(['a', 'b']);
    const scalar = select.beginExecuteScalar();
    expect(await rejectionOf(select.endExecuteNonQuery(scalar))).toBeInstanceOf(InvalidOperationError);
    expect(asInteger(await select.endExecuteScalar(scalar))).toBe(1);
  });
}
