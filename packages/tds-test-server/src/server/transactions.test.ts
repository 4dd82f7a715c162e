import { ISOLATION_LEVEL } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';
import { call, execBatch } from '../testing/tedious-client.js';

describe('TRANSACTION_MANAGER and RESETCONNECTION through tedious', () => {
  const engine = new FakeEngine();
  const tds = tediousSuite({ engine, log: () => undefined });

  const lastCall = () => engine.sessions[0]!.calls.at(-1);
  const state = () => tds.connection as unknown as { inTransaction: boolean; transactionDescriptors: Buffer[] };

  it('begins, saves and commits with the descriptor the engine hands out', async () => {
    const descriptor = await call<Buffer>((cb) =>
      tds.connection.beginTransaction(cb, 'outer', ISOLATION_LEVEL.SERIALIZABLE),
    );
    expect(lastCall()).toEqual({
      kind: 'transaction',
      request: { kind: 'begin', isolationLevel: 'serializable', name: 'outer' },
    });
    expect(state().inTransaction).toBe(true);
    // tedious adopts the descriptor from ENVCHANGE(begin) and sends it in every later request's ALL_HEADERS.
    expect(descriptor.readBigUInt64LE(0)).toBeGreaterThan(0n);

    await call((cb) => tds.connection.saveTransaction(cb, 'sp1'));
    expect(lastCall()).toEqual({ kind: 'transaction', request: { kind: 'save', name: 'sp1' } });

    await call((cb) => tds.connection.commitTransaction(cb, 'outer'));
    expect(lastCall()).toEqual({ kind: 'transaction', request: { kind: 'commit', name: 'outer' } });
    expect(state().inTransaction).toBe(false);
    expect(state().transactionDescriptors).toHaveLength(1);
  });

  it('rolls back and tedious reports rollbackTransaction', async () => {
    let rolledBack = false;
    tds.connection.once('rollbackTransaction', () => (rolledBack = true));
    await call<Buffer>((cb) => tds.connection.beginTransaction(cb));
    // tedious' default isolation level is READ COMMITTED.
    expect(lastCall()).toEqual({ kind: 'transaction', request: { kind: 'begin', isolationLevel: 'read committed' } });
    await call((cb) => tds.connection.rollbackTransaction(cb));
    expect(lastCall()).toEqual({ kind: 'transaction', request: { kind: 'rollback' } });
    expect(rolledBack).toBe(true);
    expect(state().inTransaction).toBe(false);
  });

  it('runs the transaction() helper: begin, work, commit', async () => {
    await call((done) =>
      tds.connection.transaction((error, txDone) => {
        if (error) return done(error);
        execBatch(tds.connection, 'work').then(() => txDone!(null, done), done);
      }),
    );
    const kinds = engine.sessions[0]!.calls.slice(-3).map((c) => (c.kind === 'transaction' ? c.request.kind : c.kind));
    expect(kinds).toEqual(['begin', 'batch', 'commit']);
  });

  it('reports an engine refusal (commit without a transaction) as a request error', async () => {
    engine.script.transaction = (): EngineEvent[] => [
      {
        kind: 'message',
        message: {
          number: 3902,
          state: 1,
          severity: 16,
          message: 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.',
        },
      },
      { kind: 'done', rowCount: null, error: true },
    ];
    await expect(call((cb) => tds.connection.commitTransaction(cb))).rejects.toMatchObject({ number: 3902 });
    engine.script.transaction = undefined;
  });

  it('resets the session before the batch that carries RESETCONNECTION and acknowledges it', async () => {
    const session = engine.sessions[0]!;
    const resetsBefore = session.resets;
    let resetsSeenByBatch = -1;
    engine.script.batch = (_sql, _signal, s): EngineEvent[] => {
      resetsSeenByBatch = s.resets;
      return [{ kind: 'done', rowCount: null }];
    };
    let acknowledged = false;
    tds.connection.once('resetConnection', () => (acknowledged = true));
    await call((cb) => tds.connection.reset(cb));
    expect(session.resets).toBe(resetsBefore + 1);
    expect(resetsSeenByBatch).toBe(resetsBefore + 1);
    expect(acknowledged).toBe(true);
    // Only that one request carried the flag.
    await execBatch(tds.connection, 'plain');
    expect(session.resets).toBe(resetsBefore + 1);
    engine.script.batch = undefined;
  });

  it('announces a database change the engine made without an event, and the one a reset made', async () => {
    const session = engine.sessions[0]!;
    const changes: string[] = [];
    const onChange = (name: string) => changes.push(name);
    tds.connection.on('databaseChange', onChange);
    engine.script.batch = (): EngineEvent[] => {
      session.database = 'elsewhere'; // without a `database` event: the server notices anyway
      return [{ kind: 'done', rowCount: null }];
    };
    await execBatch(tds.connection, 'USE elsewhere');
    engine.script.batch = undefined;
    const reset = session.reset.bind(session);
    session.reset = async () => {
      await reset();
      session.database = 'testdb';
    };
    await call((cb) => tds.connection.reset(cb));
    tds.connection.off('databaseChange', onChange);
    expect(changes).toEqual(['elsewhere', 'testdb']);
  });
});
