import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, TdsEngine, TdsSession, TransactionRequest } from './engine-types.js';
import { batch, collect, errors, ok, openSession, rows, testEngine, uniqueName } from './test-support.js';

const transactionEvents = (events: readonly EngineEvent[]) =>
  events.flatMap((e) => (e.kind === 'transaction' ? [{ change: e.change, descriptor: e.descriptor.toString('hex') }] : []));

describe('transactions', () => {
  let engine: TdsEngine;
  let session: TdsSession;
  let other: TdsSession;
  const table = uniqueName('tds_tx');
  const tm = (request: TransactionRequest) => collect(session.executeTransaction(request, new AbortController().signal));
  const count = async (who: TdsSession): Promise<unknown> => rows(await ok(who, `SELECT COUNT(*) FROM ${table}`))[0]?.[0];

  beforeAll(async () => {
    engine = testEngine();
    session = await openSession(engine);
    other = await openSession(engine);
    await ok(session, `CREATE TABLE ${table} (id INT PRIMARY KEY)`);
  });
  afterAll(async () => {
    await ok(session, `DROP TABLE IF EXISTS ${table}`);
    await session.close();
    await other.close();
  });

  it('begins and commits with TRANSACTION_MANAGER requests, with an 8-byte descriptor', async () => {
    const begun = transactionEvents(await tm({ kind: 'begin' }));
    expect(begun).toHaveLength(1);
    expect(begun[0]?.change).toBe('begin');
    expect(begun[0]?.descriptor).toMatch(/^[0-9a-f]{16}$/);
    expect(begun[0]?.descriptor).not.toBe('0000000000000000');
    await ok(session, `INSERT INTO ${table} VALUES (1)`);
    expect(rows(await ok(session, 'SELECT @@TRANCOUNT'))).toEqual([[1]]);
    expect(await count(other)).toBe(0n);
    expect(transactionEvents(await tm({ kind: 'commit' }))).toEqual([{ change: 'commit', descriptor: begun[0]?.descriptor }]);
    expect(await count(other)).toBe(1n);
    expect(rows(await ok(session, 'SELECT @@TRANCOUNT'))).toEqual([[0]]);
  });

  it('applies the isolation level of a begin request (snapshot = repeatable read)', async () => {
    for (const [level, pg] of [['serializable', 'serializable'], ['snapshot', 'repeatable read'], ['read uncommitted', 'read uncommitted']] as const) {
      await tm({ kind: 'begin', isolationLevel: level });
      expect(rows(await ok(session, "SELECT current_setting('transaction_isolation')"))).toEqual([[pg]]);
      await tm({ kind: 'rollback' });
    }
    await ok(session, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });

  it('saves and rolls back to a savepoint without ending the transaction', async () => {
    await tm({ kind: 'begin', name: 'outer' });
    await ok(session, `INSERT INTO ${table} VALUES (2)`);
    expect(await tm({ kind: 'save', name: 'sp1' })).toEqual([]);
    await ok(session, `INSERT INTO ${table} VALUES (3)`);
    expect(transactionEvents(await tm({ kind: 'rollback', name: 'sp1' }))).toEqual([]);
    expect(rows(await ok(session, `SELECT id FROM ${table} WHERE id > 1 ORDER BY id`))).toEqual([[2]]);
    expect(transactionEvents(await tm({ kind: 'rollback', name: 'outer' })).map((e) => e.change)).toEqual(['rollback']);
    expect(await count(session)).toBe(1n);
  });

  it('commits and begins the next transaction in one request (beginNew)', async () => {
    await tm({ kind: 'begin' });
    const events = transactionEvents(await tm({ kind: 'commit', beginNew: true }));
    expect(events.map((e) => e.change)).toEqual(['commit', 'begin']);
    expect(events[0]?.descriptor).not.toBe(events[1]?.descriptor);
    await tm({ kind: 'rollback' });
  });

  it('nests BEGIN TRAN in T-SQL: only the outermost COMMIT commits', async () => {
    const events = await ok(session, `
      BEGIN TRAN
      INSERT INTO ${table} VALUES (4)
      BEGIN TRANSACTION
      SELECT @@TRANCOUNT AS nested
      COMMIT
      SELECT @@TRANCOUNT AS after_inner`);
    expect(rows(events)).toEqual([[2]]);
    expect(transactionEvents(events).map((e) => e.change)).toEqual(['begin']);
    expect(await count(other)).toBe(1n);
    expect(transactionEvents(await ok(session, 'COMMIT TRAN')).map((e) => e.change)).toEqual(['commit']);
    expect(await count(other)).toBe(2n);
  });

  it('rolls back to a T-SQL savepoint (SAVE TRAN) and then everything (ROLLBACK)', async () => {
    const events = await ok(session, `
      BEGIN TRAN t1
      INSERT INTO ${table} VALUES (5)
      SAVE TRAN s1
      INSERT INTO ${table} VALUES (6)
      ROLLBACK TRAN s1
      SELECT id FROM ${table} WHERE id >= 5
      ROLLBACK`);
    expect(rows(events)).toEqual([[5]]);
    expect(transactionEvents(events).map((e) => e.change)).toEqual(['begin', 'rollback']);
    expect(await count(session)).toBe(2n);
  });

  it('reports COMMIT/ROLLBACK without a transaction and unknown savepoints', async () => {
    expect(errors(await batch(session, 'COMMIT'))).toMatchObject([{ number: 3902 }]);
    expect(errors(await batch(session, 'ROLLBACK'))).toMatchObject([{ number: 3903 }]);
    expect(errors(await tm({ kind: 'commit' }))).toMatchObject([{ number: 3902 }]);
    expect(errors(await batch(session, 'BEGIN TRAN ROLLBACK TRAN nope'))).toMatchObject([{ number: 6401 }]);
    await ok(session, 'ROLLBACK');
    expect(errors(await batch(session, 'SAVE TRAN x'))).toMatchObject([{ number: 628 }]);
  });

  it('gives every transaction of the engine its own descriptor', async () => {
    const a = transactionEvents(await tm({ kind: 'begin' }))[0]?.descriptor;
    const b = transactionEvents(await collect(other.executeTransaction({ kind: 'begin' }, new AbortController().signal)))[0]?.descriptor;
    expect(a).not.toBe(b);
    await tm({ kind: 'rollback' });
    await collect(other.executeTransaction({ kind: 'rollback' }, new AbortController().signal));
  });

  it('rolls back an open transaction on reset()', async () => {
    await ok(session, `BEGIN TRAN INSERT INTO ${table} VALUES (7)`);
    await session.reset();
    expect(rows(await ok(session, `SELECT @@TRANCOUNT, (SELECT COUNT(*) FROM ${table} WHERE id = 7)`))).toEqual([[0, 0n]]);
  });
});
