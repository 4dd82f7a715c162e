import { afterEach, describe, expect, it } from 'vitest';
import { IsolationLevel } from './isolation-level.js';
import { DbTransaction } from './db-transaction.js';
import { ArgumentError, InvalidOperationError, NotSupportedError, OperationCanceledError } from '../errors/errors.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import { openConnection, rejectionOf } from '../testing/test-support.js';

const ZOMBIED = 'This transaction has completed; it is no longer usable.';

const connections: MemoryConnection[] = [];

async function open(factory?: MemoryProviderFactory) {
  const opened = await openConnection('Database=test', factory);
  connections.push(opened.connection);
  return opened;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
});

describe('beginTransaction', () => {
  it('returns a pending transaction on the connection, with the isolation level asked for', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction(IsolationLevel.Serializable);
    expect(transaction).toBeInstanceOf(DbTransaction);
    expect(transaction.connection).toBe(connection);
    expect(transaction.isolationLevel).toBe(IsolationLevel.Serializable);
    expect(transaction.isCompleted).toBe(false);
    expect(server.transactions).toEqual([{ kind: 'begin', isolationLevel: 'Serializable' }]);
    await transaction.rollback();
  });

  it('defaults to IsolationLevel.Unspecified', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    expect(transaction.isolationLevel).toBe(IsolationLevel.Unspecified);
    expect(server.transactions[0]).toEqual({ kind: 'begin', isolationLevel: 'Unspecified' });
    await transaction.rollback();
  });

  it('refuses an isolation level the provider does not list with NotSupportedError, sending nothing', async () => {
    const { connection, server } = await open();
    for (const level of [IsolationLevel.RepeatableRead, IsolationLevel.Snapshot, IsolationLevel.Chaos]) {
      expect(await rejectionOf(connection.beginTransaction(level))).toBeInstanceOf(NotSupportedError);
    }
    expect(server.transactions).toEqual([]);
  });

  it('refuses an unknown isolation level with ArgumentError', async () => {
    const { connection } = await open();
    expect(await rejectionOf(connection.beginTransaction('Whatever' as IsolationLevel))).toBeInstanceOf(ArgumentError);
  });

  it('refuses a parallel transaction with InvalidOperationError', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    const error = await rejectionOf(connection.beginTransaction());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('MemoryConnection does not support parallel transactions.');
    expect(server.transactions).toHaveLength(1);
    await transaction.commit();
    const next = await connection.beginTransaction();
    await next.commit();
  });

  it('rejects a pre-aborted signal with OperationCanceledError', async () => {
    const { connection, server } = await open();
    expect(await rejectionOf(connection.beginTransaction(undefined, { signal: AbortSignal.abort() }))).toBeInstanceOf(
      OperationCanceledError,
    );
    expect(server.transactions).toEqual([]);
  });
});

describe('commit and rollback', () => {
  it('commit clears connection and reaches the server', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.commit();
    expect(transaction.connection).toBeNull();
    expect(transaction.isCompleted).toBe(true);
    expect(server.transactions.at(-1)).toEqual({ kind: 'commit' });
  });

  it('rollback clears connection and reaches the server', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.rollback();
    expect(transaction.connection).toBeNull();
    expect(server.transactions.at(-1)).toEqual({ kind: 'rollback' });
  });

  for (const [first, second] of [
    ['commit', 'commit'],
    ['commit', 'rollback'],
    ['rollback', 'rollback'],
    ['rollback', 'commit'],
  ] as const) {
    it(`${first} then ${second} throws InvalidOperationError`, async () => {
      const { connection, server } = await open();
      const transaction = await connection.beginTransaction();
      await transaction[first]();
      const sent = server.transactions.length;
      const error = await rejectionOf(transaction[second]());
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect((error as Error).message).toBe(ZOMBIED);
      expect(server.transactions).toHaveLength(sent);
    });
  }

  it('commit while a reader is open throws and leaves the transaction pending', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    const reader = await transaction.createCommand('ROWS 3').executeReader();
    expect(await rejectionOf(transaction.commit())).toBeInstanceOf(InvalidOperationError);
    expect(transaction.isCompleted).toBe(false);
    await reader.close();
    await transaction.commit();
  });

  it('a pre-aborted signal leaves the transaction pending', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    expect(await rejectionOf(transaction.commit({ signal: AbortSignal.abort() }))).toBeInstanceOf(
      OperationCanceledError,
    );
    expect(transaction.connection).toBe(connection);
    await transaction.rollback();
  });
});

describe('savepoints', () => {
  it('save, rollback(name) and release reach the server and keep the transaction pending', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.save('before_update');
    await transaction.rollback('before_update');
    await transaction.release('before_update');
    expect(transaction.isCompleted).toBe(false);
    expect(server.transactions.slice(1)).toEqual([
      { kind: 'save', savepoint: 'before_update' },
      { kind: 'rollback', savepoint: 'before_update' },
      { kind: 'release', savepoint: 'before_update' },
    ]);
    await transaction.commit();
  });

  it('rejects (never throws) invalid savepoint names with ArgumentError, sending nothing', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    for (const name of ['', '1a', 'a b', "x'; DROP TABLE t; --", 'a'.repeat(64), 'é']) {
      expect(await rejectionOf(transaction.save(name))).toBeInstanceOf(ArgumentError);
      expect(await rejectionOf(transaction.rollback(name))).toBeInstanceOf(ArgumentError);
      expect(await rejectionOf(transaction.release(name))).toBeInstanceOf(ArgumentError);
    }
    expect(server.transactions).toHaveLength(1);
    await transaction.rollback();
  });

  it('accepts a 63-character identifier', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.save(`_${'a1'.repeat(31)}`);
    await transaction.rollback();
  });

  it('throws NotSupportedError when the provider has no savepoints', async () => {
    const { connection } = await open(new MemoryProviderFactory(undefined, { supportsSavepoints: false }));
    const transaction = await connection.beginTransaction();
    expect(await rejectionOf(transaction.save('a'))).toBeInstanceOf(NotSupportedError);
    await transaction.rollback();
  });

  it('savepoint operations on a completed transaction throw InvalidOperationError', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.commit();
    expect(await rejectionOf(transaction.save('a'))).toBeInstanceOf(InvalidOperationError);
  });
});

describe('await using', () => {
  it('rolls back a pending transaction', async () => {
    const { connection, server } = await open();
    {
      await using transaction = await connection.beginTransaction();
      await transaction.createCommand('UPDATE 1').executeNonQuery();
    }
    expect(server.transactions.at(-1)).toEqual({ kind: 'rollback' });
    const next = await connection.beginTransaction();
    await next.commit();
  });

  it('does nothing after commit', async () => {
    const { connection, server } = await open();
    {
      await using transaction = await connection.beginTransaction();
      await transaction.commit();
    }
    expect(server.transactions.map((request) => request.kind)).toEqual(['begin', 'commit']);
  });

  it('does nothing once the connection is closed', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    await connection.close();
    await transaction[Symbol.asyncDispose]();
    expect(server.transactions.map((request) => request.kind)).toEqual(['begin']);
  });
});

describe('commands in a transaction', () => {
  it('a command without the transaction on a connection with a pending one throws InvalidOperationError', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    const error = await rejectionOf(connection.createCommand('UPDATE 1').executeNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toMatch(/^executeNonQuery requires the command to have a transaction/);
    expect(server.executed).toEqual([]);
    await transaction.rollback();
  });

  it('a command with a transaction of another connection throws InvalidOperationError', async () => {
    const { connection } = await open();
    const other = await open();
    const theirs = await other.connection.beginTransaction();
    const command = connection.createCommand('UPDATE 1');
    command.transaction = theirs;
    expect(((await rejectionOf(command.executeNonQuery())) as Error).message).toBe(
      'The transaction is either not associated with the current connection or has been completed.',
    );
    await theirs.rollback();
  });

  it('transaction.createCommand() makes a command enlisted in the transaction', async () => {
    const { connection, server } = await open();
    const transaction = await connection.beginTransaction();
    const command = transaction.createCommand('UPDATE 2');
    expect(command.connection).toBe(connection);
    expect(command.transaction).toBe(transaction);
    expect(await command.executeNonQuery()).toBe(2);
    expect(server.executed).toEqual(['UPDATE 2']);
    await transaction.commit();
  });

  it('a command forgets a completed transaction and runs outside it', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    const command = transaction.createCommand('UPDATE 1');
    await transaction.commit();
    expect(command.transaction).toBeNull();
    expect(await command.executeNonQuery()).toBe(1);
  });

  it('createCommand on a completed transaction throws InvalidOperationError', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    await transaction.rollback();
    expect(() => transaction.createCommand('UPDATE 1')).toThrow(InvalidOperationError);
  });
});
