import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { DbBatch } from './db-batch.js';
import { DbBatchCommand } from './db-batch-command.js';
import {
  ArgumentError,
  DbError,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
} from '../errors/errors.js';
import { TRACING_CHANNEL_NAMES, type DbTraceContext } from '../diagnostics/tracing-channels.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import type { MemoryServer } from '../testing/memory-server.js';
import { openConnection, rejectionOf, thrownBy } from '../testing/test-support.js';

const connections: MemoryConnection[] = [];
const servers: MemoryServer[] = [];

/** Opens a connection on a memory server whose provider runs batches the given way. */
async function open(batchExecution: 'sequential' | 'single-round-trip', connectionString = 'Database=test;async=true') {
  const factory = new MemoryProviderFactory(undefined, { batchExecution });
  const opened = await openConnection(connectionString, factory);
  connections.push(opened.connection);
  servers.push(opened.server);
  return opened;
}

function batchOf(connection: MemoryConnection, ...texts: string[]): DbBatch {
  const batch = connection.createBatch();
  for (const text of texts) batch.batchCommands.add(text);
  return batch;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  for (const server of servers.splice(0)) expect(server.violations).toEqual([]);
});

describe('DbBatch objects', () => {
  it('has ADO.NET defaults and a command collection that refuses duplicates and bad indexes', () => {
    const batch = new DbBatch();
    expect(batch.connection).toBeNull();
    expect(batch.transaction).toBeNull();
    expect(batch.timeout).toBe(30);
    const command = batch.batchCommands.add('UPDATE 1');
    expect(command).toBeInstanceOf(DbBatchCommand);
    expect(command.recordsAffected).toBe(-1);
    expect(() => batch.batchCommands.add(command)).toThrow(ArgumentError);
    expect(() => batch.batchCommands.get(1)).toThrow(/out of range/);
    expect(() => (batch.timeout = -1)).toThrow(ArgumentError);
    expect(() => (batch.timeout = 2_147_483_648)).toThrow(/Int32.MaxValue/);
    expect(batch.batchCommands.remove(command)).toBe(true);
    expect(batch.batchCommands.count).toBe(0);
  });

  it('creates batches and batch commands through the provider factory', async () => {
    const { connection, factory } = await open('sequential');
    expect(connection.canCreateBatch).toBe(true);
    const batch = connection.createBatch();
    expect(batch.connection).toBe(connection);
    expect(factory.createBatchCommand('UPDATE 1').commandText).toBe('UPDATE 1');
    expect(batch.createBatchCommand().createParameter().parameterName).toBe('');
  });
});

for (const mode of ['sequential', 'single-round-trip'] as const) {
  describe(`DbBatch (${mode})`, () => {
    it('walks every command’s results in order with one reader and reports rows affected per command', async () => {
      const { connection, server } = await open(mode);
      const batch = batchOf(connection, 'UPDATE 2', 'ROWS 2', 'UPDATE 5; UPDATE 1', 'VALUES [["x"]]');
      await using reader = await batch.executeReader();
      const seen: unknown[] = [];
      do {
        while (await reader.read()) seen.push(reader.getValue(0));
      } while (await reader.nextResult());
      await reader.close();
      expect(seen).toEqual([1, 2, 'x']);
      expect(batch.batchCommands.toArray().map((command) => command.recordsAffected)).toEqual([2, -1, 6, -1]);
      expect(reader.recordsAffected).toBe(8);
      expect(server.cursorsOpened).toBe(mode === 'sequential' ? 4 : 1);
    });

    it('binds each command’s own @name parameters, even when two commands use the same name', async () => {
      const { connection } = await open(mode);
      const batch = connection.createBatch();
      batch.batchCommands.add('PARAMS @a').parameters.addWithValue('@a', 1);
      batch.batchCommands
        .add('PARAMS @a, @b')
        .parameters.addRange([
          connection.providerFactory.createParameter('@a', 'two'),
          connection.providerFactory.createParameter('b', true),
        ]);
      await using reader = await batch.executeReader();
      const rows: unknown[][] = [];
      do {
        while (await reader.read()) rows.push(reader.getValues());
      } while (await reader.nextResult());
      expect(rows).toEqual([[1], ['two', true]]);
    });

    it('executeNonQuery resolves the total and executeScalar the first value of the first result', async () => {
      const { connection } = await open(mode);
      const batch = batchOf(connection, 'UPDATE 3', 'UPDATE 4');
      expect(await batch.executeNonQuery()).toBe(7);
      expect(batch.batchCommands.get(1).recordsAffected).toBe(4);
      const scalar = batchOf(connection, 'UPDATE 1', 'VALUES [[42]]', 'ROWS 3');
      expect(await scalar.executeScalar()).toBe(42);
      expect(scalar.batchCommands.get(0).recordsAffected).toBe(1);
    });

    it('stops at a failing command: later commands do not run, and the error names the command', async () => {
      const { connection, server } = await open(mode);
      const batch = batchOf(connection, 'UPDATE 1', 'FAIL boom', 'UPDATE 7');
      const error = await rejectionOf(batch.executeNonQuery());
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).batchCommand).toBe(batch.batchCommands.get(1));
      expect(batch.batchCommands.get(0).recordsAffected).toBe(1);
      expect(batch.batchCommands.get(2).recordsAffected).toBe(-1);
      if (mode === 'sequential') expect(server.executed).not.toContain('UPDATE 7');
      // The connection is free again.
      expect(await batchOf(connection, 'UPDATE 2').executeNonQuery()).toBe(2);
    });

    it('cancel() and the timeout stop the batch', async () => {
      const { connection } = await open(mode);
      const batch = batchOf(connection, 'UPDATE 1', 'DELAY 5000');
      const running = batch.executeNonQuery();
      setTimeout(() => batch.cancel(), 20);
      expect(await rejectionOf(running)).toBeInstanceOf(OperationCanceledError);
      batch.timeout = 0.05;
      expect(await rejectionOf(batch.executeNonQuery())).toBeInstanceOf(DbTimeoutError);
      expect(await batchOf(connection, 'UPDATE 2').executeNonQuery()).toBe(2);
    });

    it('requires the pending transaction, as a command does', async () => {
      const { connection } = await open(mode);
      const transaction = await connection.beginTransaction();
      const batch = batchOf(connection, 'UPDATE 1');
      await expect(batch.executeNonQuery()).rejects.toThrow(/requires the command to have a transaction/);
      batch.transaction = transaction;
      expect(await batch.executeNonQuery()).toBe(1);
      await transaction.commit();
    });

    it('runs through Begin/End with the command’s APM rules', async () => {
      const { connection } = await open(mode);
      const batch = batchOf(connection, 'UPDATE 2', 'ROWS 1');
      const result = batch.beginExecuteNonQuery();
      expect(thrownBy(() => batch.beginExecuteScalar())).toBeInstanceOf(InvalidOperationError);
      expect(await batch.endExecuteNonQuery(result)).toBe(2);
      await expect(batch.endExecuteNonQuery(result)).rejects.toThrow(/cannot be called more than once/);
      const reader = batch.endExecuteReader(batch.beginExecuteReader());
      const opened = await reader;
      expect(await opened.read()).toBe(true);
      await opened.close();
      const scalar = batch.beginExecuteScalar();
      await expect(batch.endExecuteReader(scalar)).rejects.toThrow(/Mismatched end method/);
      expect(await batch.endExecuteScalar(scalar)).toBe(1);
      await expect(connection.createCommand('ROWS 1').endExecuteScalar(scalar)).rejects.toThrow(
        /Incorrect async result/,
      );
    });
  });
}

describe('DbBatch checks', () => {
  it('throws the command’s Begin-time errors synchronously, in ADO.NET’s order', async () => {
    const batch = new DbBatch();
    batch.batchCommands.add('UPDATE 1');
    expect(thrownBy(() => batch.beginExecuteNonQuery())).toMatchObject({ message: /Connection property/ });
    const { connection } = await open('sequential', 'Database=test');
    batch.connection = connection;
    expect(thrownBy(() => batch.beginExecuteNonQuery())).toMatchObject({ message: /Asynchronous Processing=true/ });
    const empty = connection.createBatch();
    await expect(empty.executeNonQuery()).rejects.toThrow(/The batch has no commands/);
    empty.batchCommands.add(new DbBatchCommand());
    await expect(empty.executeNonQuery()).rejects.toThrow(/index 0 has no CommandText/);
  });

  it('refuses a second operation while a batch reader is open on the connection', async () => {
    const { connection } = await open('single-round-trip');
    const reader = await batchOf(connection, 'ROWS 3').executeReader();
    await expect(batchOf(connection, 'UPDATE 1').executeNonQuery()).rejects.toThrow(/open DataReader/);
    await reader.close();
  });

  it('publishes one asyncdb:command trace with the joined text and db.operation.batch.size, never the values', async () => {
    const { connection } = await open('single-round-trip');
    const contexts: DbTraceContext[] = [];
    const channel = diagnosticsChannel.tracingChannel<unknown, DbTraceContext>(TRACING_CHANNEL_NAMES.command);
    const ignore = (): void => {};
    const handlers = {
      start: (context: DbTraceContext) => contexts.push({ ...context }),
      end: ignore,
      asyncStart: ignore,
      asyncEnd: ignore,
      error: ignore,
    };
    channel.subscribe(handlers);
    try {
      const batch = batchOf(connection, 'UPDATE 1', 'PARAMS @secret');
      batch.batchCommands.get(1).parameters.addWithValue('@secret', 'hunter2');
      await batch.executeNonQuery();
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      'db.query.text': 'UPDATE 1; PARAMS @secret',
      'db.operation.batch.size': 2,
      'db.operation.name': 'executeNonQuery',
    });
    expect(JSON.stringify(contexts)).not.toContain('hunter2');
  });

  it('keeps the batch command off the error’s own properties, so logging it never prints parameter values', async () => {
    const { connection } = await open('single-round-trip');
    const batch = connection.createBatch();
    batch.batchCommands.add('FAIL boom @p').parameters.addWithValue('@p', 'hunter2');
    const error = (await rejectionOf(batch.executeNonQuery())) as DbError;
    expect(error.batchCommand).toBe(batch.batchCommands.get(0));
    expect(Object.keys(error)).not.toContain('batchCommand');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('is created by the factory with a provider-neutral default', () => {
    expect(new MemoryProviderFactory().createBatch()).toBeInstanceOf(DbBatch);
  });
});
