import { beforeEach, describe, expect, it } from 'vitest';
import { TdsEngineError, type EngineEvent } from '../engine/engine-types.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';
import { execBatch } from '../testing/tedious-client.js';

const intColumn = (name: string) => ({ name, type: 'int' as const, nullable: false });

describe('SQL_BATCH responses through tedious', () => {
  const engine = new FakeEngine();
  const logs: string[] = [];
  const tds = tediousSuite({ engine, log: (m) => logs.push(m) });

  beforeEach(() => {
    logs.length = 0;
  });

  it('passes the batch text to the engine', async () => {
    engine.script.batch = undefined;
    await execBatch(tds.connection, "SELECT N'ü' -- ☃");
    expect(engine.sessions[0]!.calls.at(-1)).toEqual({ kind: 'batch', sql: "SELECT N'ü' -- ☃" });
  });

  it('streams several result sets with their row counts; only the last DONE lacks MORE', async () => {
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'columns', columns: [intColumn('a')] },
      { kind: 'row', values: [1] },
      { kind: 'row', values: [2] },
      { kind: 'done', rowCount: 2 },
      { kind: 'done', rowCount: 5 }, // an UPDATE
      { kind: 'columns', columns: [intColumn('b'), intColumn('c')] },
      { kind: 'row', values: [3, 4] },
      { kind: 'done', rowCount: 1 },
    ];
    const result = await execBatch(tds.connection, 'three statements');
    expect(result.error).toBeUndefined();
    expect(result.resultSets).toEqual([[[1], [2]], [[3, 4]]]);
    expect(result.dones).toEqual([
      { event: 'done', rowCount: 2, more: true },
      { event: 'done', rowCount: 5, more: true },
      { event: 'done', rowCount: 1, more: false },
    ]);
    expect(result.rowCount).toBe(8);
  });

  it('omits the row count when the engine has none, and ends an event-less batch with one DONE', async () => {
    engine.script.batch = (): EngineEvent[] => [{ kind: 'done', rowCount: null }];
    expect((await execBatch(tds.connection, 'SET NOCOUNT ON')).dones).toEqual([
      { event: 'done', rowCount: undefined, more: false },
    ]);
    engine.script.batch = (): EngineEvent[] => [];
    expect((await execBatch(tds.connection, '')).dones).toEqual([{ event: 'done', rowCount: undefined, more: false }]);
  });

  it('turns low-severity messages into INFO (infoMessage) and high ones into ERROR with their number', async () => {
    const infos: Array<{ number: number; message: string; class: number }> = [];
    const onInfo = (info: { number: number; message: string; class: number }) => infos.push(info);
    tds.connection.on('infoMessage', onInfo);
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'message', message: { number: 0, state: 1, severity: 0, message: 'hello from PRINT' } },
      { kind: 'done', rowCount: null },
      {
        kind: 'message',
        message: {
          number: 2627,
          state: 1,
          severity: 14,
          message: 'Violation of PRIMARY KEY constraint',
          procName: 'p',
          lineNumber: 3,
        },
      },
      { kind: 'done', rowCount: null, error: true },
    ];
    const result = await execBatch(tds.connection, "PRINT 'x'; INSERT …");
    tds.connection.off('infoMessage', onInfo);
    expect(infos).toMatchObject([{ number: 0, message: 'hello from PRINT', class: 0 }]);
    expect(result.error).toMatchObject({
      number: 2627,
      message: 'Violation of PRIMARY KEY constraint',
      procName: 'p',
      lineNumber: 3,
    });
    expect(result.dones.at(-1)).toEqual({ event: 'done', rowCount: undefined, more: false });
  });

  it('ends the response with ERROR and DONE(ERROR) when the engine throws a TdsEngineError mid-stream', async () => {
    engine.script.batch = async function* (): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: [intColumn('a')] };
      yield { kind: 'row', values: [1] };
      throw new TdsEngineError({ number: 8134, state: 1, severity: 16, message: 'Divide by zero error encountered.' });
    };
    const result = await execBatch(tds.connection, 'select 1/0');
    expect(result.resultSets).toEqual([[[1]]]);
    expect(result.error).toMatchObject({ number: 8134, message: 'Divide by zero error encountered.' });
    expect(logs).toEqual([]);
    // The connection stays usable.
    engine.script.batch = undefined;
    expect((await execBatch(tds.connection, 'select 2')).error).toBeUndefined();
  });

  it('reports an unexpected engine failure as error 50000 and logs it', async () => {
    engine.script.batch = async function* (): AsyncGenerator<EngineEvent> {
      yield { kind: 'done', rowCount: 1 };
      throw new Error('pg went away');
    };
    const result = await execBatch(tds.connection, 'boom');
    expect(result.error).toMatchObject({ number: 50000, message: 'TDS test server engine failure: pg went away' });
    expect(result.dones.map((d) => [d.rowCount, d.more])).toEqual([
      [1, true],
      [undefined, false],
    ]);
    expect(logs.join('\n')).toContain('pg went away');
  });

  it('reports a value that does not fit its column as an error and keeps the connection', async () => {
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'columns', columns: [{ name: 't', type: 'tinyint', nullable: false }] },
      { kind: 'row', values: [1] },
      { kind: 'row', values: [300] },
      { kind: 'done', rowCount: 2 },
    ];
    const result = await execBatch(tds.connection, 'overflow');
    expect(result.resultSets).toEqual([[[1]]]);
    expect(result.error).toMatchObject({ number: 50000 });
    expect(result.error!.message).toContain('300 is out of range for tinyint');
    engine.script.batch = undefined;
    expect((await execBatch(tds.connection, 'after')).error).toBeUndefined();
  });

  it('reports a database change as ENVCHANGE (databaseChange)', async () => {
    const changes: string[] = [];
    const onChange = (name: string) => changes.push(name);
    tds.connection.on('databaseChange', onChange);
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'database', name: 'other' },
      { kind: 'done', rowCount: null },
    ];
    await execBatch(tds.connection, 'USE other');
    tds.connection.off('databaseChange', onChange);
    expect(changes).toEqual(['other']);
  });
});
