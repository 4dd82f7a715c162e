import { Request, TYPES } from 'tedious';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent, RpcParameter } from '../engine/engine-types.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';
import { collect } from '../testing/tedious-client.js';

describe('RPC requests from tedious', () => {
  const engine = new FakeEngine();
  const logs: string[] = [];
  const tds = tediousSuite({ engine, log: (m) => logs.push(m) });
  let received: { procName: string; parameters: readonly RpcParameter[] } | undefined;

  beforeEach(() => {
    received = undefined;
    logs.length = 0;
    engine.script.rpc = (procName, parameters): EngineEvent[] => {
      received = { procName, parameters };
      return [{ kind: 'returnStatus', value: 0 }];
    };
  });

  const byName = (name: string): RpcParameter => {
    const parameter = received?.parameters.find((p) => p.name === name);
    if (!parameter) throw new Error(`no parameter ${name}`);
    return parameter;
  };

  it('decodes sp_executesql with a typed parameter of every kind', async () => {
    const when = new Date('2024-05-06T07:08:09.123Z');
    const { request, done } = collect((callback) => new Request('select @id', callback));
    request.addParameter('id', TYPES.Int, 42);
    request.addParameter('nothing', TYPES.Int, null);
    request.addParameter('tiny', TYPES.TinyInt, 200);
    request.addParameter('small', TYPES.SmallInt, -300);
    request.addParameter('name', TYPES.NVarChar, 'héllo 😀');
    request.addParameter('long', TYPES.NVarChar, 'ẍ'.repeat(5000), { length: Infinity });
    request.addParameter('emptyMax', TYPES.NVarChar, '', { length: Infinity });
    request.addParameter('nullMax', TYPES.NVarChar, null, { length: Infinity });
    request.addParameter('ascii', TYPES.VarChar, 'café');
    request.addParameter('fixed', TYPES.NChar, 'ab', { length: 2 });
    request.addParameter('amount', TYPES.Decimal, 1234.5678, { precision: 10, scale: 4 });
    request.addParameter('big', TYPES.Numeric, -98765432109876.54, { precision: 38, scale: 2 });
    request.addParameter('at', TYPES.DateTime2, when);
    request.addParameter('at3', TYPES.DateTime2, when, { scale: 3 });
    request.addParameter('atOffset', TYPES.DateTimeOffset, when);
    request.addParameter('legacy', TYPES.DateTime, when);
    request.addParameter('small_dt', TYPES.SmallDateTime, new Date('2024-05-06T07:08:00Z'));
    request.addParameter('guid', TYPES.UniqueIdentifier, '6f9619ff-8b86-d011-b42d-00c04fc964ff');
    request.addParameter('bytes', TYPES.VarBinary, Buffer.from([1, 2, 3]));
    request.addParameter('blob', TYPES.VarBinary, Buffer.alloc(10_000, 9), { length: Infinity });
    request.addParameter('bin', TYPES.Binary, Buffer.from([9, 8]), { length: 2 });
    request.addParameter('flag', TYPES.Bit, true);
    request.addParameter('huge', TYPES.BigInt, '9007199254740993');
    request.addParameter('day', TYPES.Date, new Date('2024-02-29T00:00:00Z'));
    request.addParameter('clock', TYPES.Time, new Date('1970-01-01T13:14:15.123Z'));
    request.addParameter('clock0', TYPES.Time, new Date('1970-01-01T13:14:15Z'), { scale: 0 });
    request.addParameter('ratio', TYPES.Float, 3.25);
    request.addParameter('single', TYPES.Real, 0.5);
    request.addParameter('price', TYPES.Money, 12.34);
    request.addParameter('negPrice', TYPES.Money, -922337203685.4775);
    request.addParameter('smallPrice', TYPES.SmallMoney, -1.5);
    tds.connection.execSql(request);
    const result = await done;
    expect(result.error).toBeUndefined();
    expect(received!.procName).toBe('sp_executesql');
    expect(received!.parameters[0]).toMatchObject({
      name: '@statement',
      value: 'select @id',
      output: false,
      type: { type: 'nvarchar' },
    });
    expect(received!.parameters[1]!.name).toBe('@params');
    expect(received!.parameters[1]!.value).toContain('@id int');

    expect(byName('@id')).toEqual({
      name: '@id',
      type: { name: '@id', type: 'int', nullable: true },
      value: 42,
      output: false,
    });
    expect(byName('@nothing').value).toBeNull();
    expect(byName('@tiny')).toMatchObject({ type: { type: 'tinyint' }, value: 200 });
    expect(byName('@small')).toMatchObject({ type: { type: 'smallint' }, value: -300 });
    expect(byName('@name')).toMatchObject({ type: { type: 'nvarchar', length: 8 }, value: 'héllo 😀' });
    expect(byName('@long')).toMatchObject({ type: { type: 'nvarchar', length: -1 }, value: 'ẍ'.repeat(5000) });
    expect(byName('@emptyMax')).toMatchObject({ type: { length: -1 }, value: '' });
    expect(byName('@nullMax')).toMatchObject({ type: { length: -1 }, value: null });
    expect(byName('@ascii')).toMatchObject({ type: { type: 'varchar' }, value: 'café' });
    expect(byName('@fixed')).toMatchObject({ type: { type: 'nchar', length: 2 }, value: 'ab' });
    expect(byName('@amount')).toMatchObject({ type: { type: 'decimal', precision: 10, scale: 4 }, value: '1234.5678' });
    expect(byName('@big')).toMatchObject({
      type: { type: 'numeric', precision: 38, scale: 2 },
      value: '-98765432109876.54',
    });
    expect(byName('@at')).toMatchObject({ type: { type: 'datetime2', scale: 7 }, value: when });
    expect(byName('@at3')).toMatchObject({ type: { type: 'datetime2', scale: 3 }, value: when });
    expect(byName('@atOffset')).toMatchObject({
      type: { type: 'datetimeoffset', scale: 7 },
      value: { date: when, offsetMinutes: -when.getTimezoneOffset() || 0 }, // tedious sends the local offset
    });
    expect(byName('@legacy')).toMatchObject({ type: { type: 'datetime' }, value: when });
    expect(byName('@small_dt')).toMatchObject({ type: { type: 'datetime' }, value: new Date('2024-05-06T07:08:00Z') });
    expect(byName('@guid')).toMatchObject({
      type: { type: 'uniqueidentifier' },
      value: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    });
    expect(byName('@bytes')).toMatchObject({ type: { type: 'varbinary', length: 3 }, value: Buffer.from([1, 2, 3]) });
    expect(byName('@blob')).toMatchObject({ type: { type: 'varbinary', length: -1 } });
    expect(Buffer.compare(byName('@blob').value as Buffer, Buffer.alloc(10_000, 9))).toBe(0);
    expect(byName('@bin')).toMatchObject({ type: { type: 'binary', length: 2 }, value: Buffer.from([9, 8]) });
    expect(byName('@flag')).toMatchObject({ type: { type: 'bit' }, value: true });
    expect(byName('@huge')).toMatchObject({ type: { type: 'bigint' }, value: 9007199254740993n });
    expect(byName('@day')).toMatchObject({ type: { type: 'date' }, value: '2024-02-29' });
    expect(byName('@clock')).toMatchObject({ type: { type: 'time', scale: 7 }, value: '13:14:15.1230000' });
    expect(byName('@clock0')).toMatchObject({ type: { type: 'time', scale: 0 }, value: '13:14:15' });
    expect(byName('@ratio')).toMatchObject({ type: { type: 'float' }, value: 3.25 });
    expect(byName('@single')).toMatchObject({ type: { type: 'real' }, value: 0.5 });
    expect(byName('@price')).toMatchObject({ type: { type: 'money' }, value: '12.3400' });
    // tedious multiplies by 10000 in floating point (-9223372036854776); the server decodes those bytes exactly.
    expect(byName('@negPrice')).toMatchObject({ type: { type: 'money' }, value: '-922337203685.4776' });
    expect(byName('@smallPrice')).toMatchObject({ type: { type: 'money' }, value: '-1.5000' });
  });

  it('answers OUTPUT parameters with RETURNVALUE and the return code with RETURNSTATUS', async () => {
    engine.script.rpc = (procName, parameters): EngineEvent[] => {
      received = { procName, parameters };
      return [
        { kind: 'columns', columns: [{ name: 'x', type: 'int', nullable: false }] },
        { kind: 'row', values: [1] },
        { kind: 'done', rowCount: 1 },
        { kind: 'returnStatus', value: 5 },
        {
          kind: 'returnValue',
          ordinal: 1,
          name: '@count',
          type: { name: '@count', type: 'int', nullable: true },
          value: 7,
        },
        {
          kind: 'returnValue',
          ordinal: 2,
          name: '@label',
          type: { name: '@label', type: 'nvarchar', length: 50, nullable: true },
          value: 'sept ü',
        },
        {
          kind: 'returnValue',
          ordinal: 3,
          name: '@total',
          type: { name: '@total', type: 'decimal', precision: 10, scale: 2, nullable: true },
          value: '3.14',
        },
        {
          kind: 'returnValue',
          ordinal: 4,
          name: 'body',
          type: { name: 'body', type: 'nvarchar', length: -1, nullable: true },
          value: 'ω'.repeat(6000),
        },
        {
          kind: 'returnValue',
          ordinal: 5,
          name: '@missing',
          type: { name: '@missing', type: 'datetime2', nullable: true },
          value: null,
        },
      ];
    };
    const { request, done } = collect((callback) => new Request('my_proc', callback));
    request.addParameter('in', TYPES.Int, 1);
    request.addOutputParameter('count', TYPES.Int);
    request.addOutputParameter('label', TYPES.NVarChar, null, { length: 50 });
    request.addOutputParameter('total', TYPES.Decimal, null, { precision: 10, scale: 2 });
    tds.connection.callProcedure(request);
    const result = await done;
    expect(result.error).toBeUndefined();
    expect(received!.procName).toBe('my_proc');
    expect(received!.parameters.map((p) => [p.name, p.output])).toEqual([
      ['@in', false],
      ['@count', true],
      ['@label', true],
      ['@total', true],
    ]);
    expect(result.resultSets).toEqual([[[1]]]);
    expect(result.returnValues).toEqual([
      { name: 'count', value: 7 },
      { name: 'label', value: 'sept ü' },
      { name: 'total', value: 3.14 },
      { name: 'body', value: 'ω'.repeat(6000) },
      { name: 'missing', value: null },
    ]);
    // Statements inside a procedure end with DONEINPROC; the wire layer closes the call with DONEPROC.
    expect(result.dones).toEqual([
      { event: 'doneInProc', rowCount: 1, more: true },
      { event: 'doneProc', rowCount: undefined, more: false, returnStatus: 5 },
    ]);
  });

  it('names special procedures called by id (tedious prepare/execute/unprepare)', async () => {
    engine.script.rpc = (procName, parameters): EngineEvent[] => {
      received = { procName, parameters };
      if (procName === 'sp_prepare') {
        return [
          {
            kind: 'returnValue',
            ordinal: 1,
            name: '@handle',
            type: { name: '@handle', type: 'int', nullable: true },
            value: 17,
          },
        ];
      }
      return [];
    };
    const prepared = collect((callback) => new Request('select @a', callback));
    prepared.request.addParameter('a', TYPES.Int);
    const ready = new Promise<void>((resolve) => prepared.request.once('prepared', () => resolve()));
    tds.connection.prepare(prepared.request);
    await ready;
    expect(received!.procName).toBe('sp_prepare');
    expect(received!.parameters.map((p) => [p.name, p.output])).toEqual([
      ['@handle', true],
      ['@params', false],
      ['@stmt', false],
    ]);
    expect((prepared.request as unknown as { handle: number }).handle).toBe(17);

    tds.connection.execute(prepared.request, { a: 5 });
    await prepared.done;
    expect(received!.procName).toBe('sp_execute');
    // tedious sends the handle positionally (no name).
    expect(received!.parameters.map((p) => [p.name, p.value])).toEqual([
      ['', 17],
      ['@a', 5],
    ]);
  });

  it('answers an RPC the engine fails with ERROR and DONEPROC(ERROR)', async () => {
    engine.script.rpc = (): EngineEvent[] => [
      { kind: 'message', message: { number: 208, state: 1, severity: 16, message: "Invalid object name 'nope'." } },
      { kind: 'done', rowCount: null, error: true },
    ];
    const { request, done } = collect((callback) => new Request('select * from nope', callback));
    tds.connection.execSql(request);
    const result = await done;
    expect(result.error).toMatchObject({ number: 208, message: "Invalid object name 'nope'." });
    expect(result.dones.map((d) => d.event)).toEqual(['doneInProc', 'doneProc']);
  });
});
