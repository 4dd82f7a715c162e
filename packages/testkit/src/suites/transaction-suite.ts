import { UNPARSABLE_SQL } from './unparsable-sql.js';
import { afterAll, expect, it } from 'vitest';
import {
  ArgumentError,
  ConnectionState,
  DbError,
  InvalidOperationError,
  IsolationLevel,
  NotSupportedError,
  type DbConnection,
  type DbTransaction,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { capabilityGate, gatedIt } from '../capability-gate.js';
import { rejectionOf } from '../helpers/rejection.js';
import { keyValueTable, resetKeyValues } from './tables.js';

type Completion = 'commit' | 'rollback';

function complete(transaction: DbTransaction, how: Completion): Promise<void> {
  return how === 'commit' ? transaction.commit() : transaction.rollback();
}

const LEVELS: readonly IsolationLevel[] = [
  IsolationLevel.ReadUncommitted,
  IsolationLevel.ReadCommitted,
  IsolationLevel.RepeatableRead,
  IsolationLevel.Serializable,
  IsolationLevel.Snapshot,
];

/**
 * Group 5 — Transactions: commit, rollback, savepoints, isolation levels, completed twice, `await using` rolling
 * back, and commands on a connection with a pending transaction (ADO.NET TransactionTestBase, docs/architecture.md).
 */
export function transactionSuite(context: ConformanceContext): void {
  const { capabilities, fixture } = context;
  const savepoints = capabilityGate(capabilities, 'supportsSavepoints');
  const table = keyValueTable(context, 'tk_tx');
  afterAll(() => context.dropTables(table.name));

  const empty = () => resetKeyValues(context, table, []);

  /** The names stored under `ids`, read on a connection of its own (so only committed rows count). */
  async function committedNames(): Promise<string[]> {
    return context.withConnection(async (connection) => {
      const reader = await connection.createCommand(`SELECT name FROM ${table.name} ORDER BY id`).executeReader();
      const names: string[] = [];
      while (await reader.read()) names.push(String(reader.getValue(0)));
      await reader.close();
      return names;
    });
  }

  async function insert(transaction: DbTransaction, id: number, name: string): Promise<void> {
    await context.nonQuery(transaction, `INSERT INTO ${table.name} (id, name) VALUES (@id, @name)`, { id, name });
  }

  it('beginTransaction on a closed connection rejects with InvalidOperationError', async () => {
    const connection = await context.create();
    await expect(connection.beginTransaction()).rejects.toBeInstanceOf(InvalidOperationError);
  });

  it('beginTransaction returns a transaction bound to the connection, with the isolation level asked for', async () => {
    const connection = await context.open();
    const level = capabilities.isolationLevels[0] ?? IsolationLevel.Unspecified;
    const transaction = await connection.beginTransaction(level);
    expect(transaction.connection).toBe(connection);
    expect(transaction.isolationLevel).toBe(level);
    expect(transaction.isCompleted).toBe(false);
    await transaction.rollback();
  });

  it('commit makes the changes visible to other connections and clears transaction.connection', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await insert(transaction, 1, 'kept');
    await transaction.commit();
    expect(transaction.connection).toBeNull();
    expect(transaction.isCompleted).toBe(true);
    expect(await committedNames()).toEqual(['kept']);
  });

  it('rollback discards the changes and clears transaction.connection', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await insert(transaction, 1, 'discarded');
    expect(await context.scalar(transaction, `SELECT name FROM ${table.name} WHERE id = 1`)).toBe('discarded');
    await transaction.rollback();
    expect(transaction.connection).toBeNull();
    expect(await committedNames()).toEqual([]);
  });

  it('a second beginTransaction while one is pending rejects with InvalidOperationError', async () => {
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    const error = await rejectionOf(connection.beginTransaction());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('does not support parallel transactions');
    await transaction.rollback();
  });

  for (const [first, second] of [
    ['commit', 'commit'],
    ['commit', 'rollback'],
    ['rollback', 'rollback'],
    ['rollback', 'commit'],
  ] as const satisfies ReadonlyArray<readonly [Completion, Completion]>) {
    it(`${second} after ${first} throws InvalidOperationError (the transaction has completed)`, async () => {
      const connection = await context.open();
      const transaction = await connection.beginTransaction();
      await complete(transaction, first);
      const error = await rejectionOf(complete(transaction, second));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('has completed; it is no longer usable');
    });
  }

  it('`await using` rolls back a transaction still pending at the end of the block', async () => {
    await empty();
    const connection = await context.open();
    let escaped: DbTransaction | undefined;
    {
      await using transaction = await connection.beginTransaction();
      escaped = transaction;
      await insert(transaction, 1, 'disposed');
    }
    expect(escaped.isCompleted).toBe(true);
    expect(await committedNames()).toEqual([]);
    await context.nonQuery(connection, `INSERT INTO ${table.name} (id, name) VALUES (2, 'after')`);
    expect(await committedNames()).toEqual(['after']);
  });

  it('`await using` after commit leaves the committed changes alone', async () => {
    await empty();
    const connection = await context.open();
    {
      await using transaction = await connection.beginTransaction();
      await insert(transaction, 1, 'committed');
      await transaction.commit();
    }
    expect(await committedNames()).toEqual(['committed']);
  });

  it('a command without the pending transaction rejects with InvalidOperationError before anything is sent', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    const command = connection.createCommand(`INSERT INTO ${table.name} (id, name) VALUES (1, 'outside')`);
    const error = await rejectionOf(command.executeNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('requires the command to have a transaction');
    await transaction.commit();
    expect(await committedNames()).toEqual([]);
  });

  it("a command enlisted in another connection's transaction rejects with InvalidOperationError", async () => {
    const first = await context.open();
    const second = await context.open();
    const foreign = await second.beginTransaction();
    const command = first.createCommand('SELECT 1');
    command.transaction = foreign;
    const error = await rejectionOf(command.executeScalar());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('not associated with the current connection');
    await foreign.rollback();
  });

  it('transaction.createCommand enlists the command; once committed the command runs without it', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    const command = transaction.createCommand(`SELECT COUNT(*) FROM ${table.name}`);
    expect(command.transaction).toBe(transaction);
    expect(command.connection).toBe(connection);
    await command.executeScalar();
    await transaction.commit();
    expect(command.transaction).toBeNull();
    await command.executeScalar();
  });

  it('closing the connection ends a pending transaction without committing it', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await insert(transaction, 1, 'lost');
    await connection.close();
    expect(transaction.isCompleted).toBe(true);
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(await committedNames()).toEqual([]);
  });

  it('after a server error inside a transaction, rollback works and the connection stays usable', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await insert(transaction, 1, 'before');
    await expect(transaction.createCommand(UNPARSABLE_SQL).executeNonQuery()).rejects.toBeInstanceOf(DbError);
    await transaction.rollback();
    expect(await committedNames()).toEqual([]);
    await context.nonQuery(connection, `INSERT INTO ${table.name} (id, name) VALUES (2, 'after')`);
    expect(await committedNames()).toEqual(['after']);
  });

  gatedIt(savepoints, 'rollback to a savepoint undoes only what followed it', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await insert(transaction, 1, 'before');
    await transaction.save('tk_point');
    await insert(transaction, 2, 'after');
    await transaction.rollback('tk_point');
    expect(transaction.isCompleted).toBe(false);
    await insert(transaction, 3, 'then');
    await transaction.commit();
    expect(await committedNames()).toEqual(['before', 'then']);
  });

  // ADO.NET's DbTransaction.Release is a no-op where the engine cannot release (SQL Server), so only what every
  // engine guarantees is checked: release succeeds and the transaction goes on and commits its work.
  gatedIt(savepoints, 'release of a savepoint succeeds and the transaction goes on to commit its work', async () => {
    await empty();
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    await transaction.save('tk_released');
    await insert(transaction, 1, 'kept');
    await transaction.release('tk_released');
    expect(transaction.isCompleted).toBe(false);
    await insert(transaction, 2, 'also kept');
    await transaction.commit();
    expect(await committedNames()).toEqual(['kept', 'also kept']);
  });

  gatedIt(savepoints, 'a savepoint name that is not an identifier is rejected with ArgumentError', async () => {
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    // A synchronous throw and a rejection are both acceptable; the name must never reach the server.
    await expect(Promise.resolve().then(() => transaction.save('x; DROP TABLE y'))).rejects.toBeInstanceOf(
      ArgumentError,
    );
    expect(await context.scalar(transaction, 'SELECT 1')).toBeDefined();
    await transaction.rollback();
  });

  for (const level of LEVELS) {
    gatedIt(
      capabilityGate(capabilities, 'isolationLevels', (levels) => levels.includes(level)),
      `beginTransaction(IsolationLevel.${level}) runs the transaction at that level`,
      async () => {
        const expected = fixture.isolation.names[level];
        if (expected === undefined) throw new Error(`The fixture gives no isolation.names.${level}.`);
        const connection: DbConnection = await context.open();
        const transaction = await connection.beginTransaction(level);
        const actual = await context.scalar(transaction, fixture.isolation.read);
        await transaction.rollback();
        expect(String(actual).toLowerCase()).toBe(expected.toLowerCase());
      },
    );
  }

  it('an isolation level the provider does not declare rejects with NotSupportedError', async () => {
    const connection = await context.open();
    await expect(connection.beginTransaction(IsolationLevel.Chaos)).rejects.toBeInstanceOf(NotSupportedError);
    expect(connection.state).toBe(ConnectionState.Open);
  });
}
