import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TYPES } from 'tedious';
import { TdsEngineError, type EngineEvent } from '../engine/engine-types.js';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { PacketType } from '../protocol/packet.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { RawClient } from '../testing/raw-client.js';
import { tediousBatchedRpc } from '../testing/tedious-payloads.js';
import { parseTokens } from '../testing/tedious-tokens.js';

const SP_EXECUTESQL = 10;

/** An sp_executesql call with one int parameter, as tedious encodes it. */
function call(statement: string, id: number) {
  return {
    procedure: SP_EXECUTESQL,
    parameters: [
      { name: 'statement', type: TYPES.NVarChar, value: statement },
      { name: 'params', type: TYPES.NVarChar, value: '@id int' },
      { name: 'id', type: TYPES.Int, value: id },
    ],
  };
}

describe('batched RPC (several RPCs in one RPC_REQUEST message)', () => {
  let server: TdsTestServer;
  let engine: FakeEngine;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    engine = new FakeEngine();
    server = await startTdsTestServer({ engine, log: (m) => logs.push(m) });
  });
  afterEach(async () => {
    await server.close();
  });

  it('runs every RPC in order, ends each with DONEPROC (MORE on all but the last), and runs the RPCs after a failing one, as SQL Server does', async () => {
    engine.script.rpc = (_name, parameters): EngineEvent[] => {
      const id = parameters.find((parameter) => parameter.name === '@id')!.value as number;
      if (id === 2) {
        throw new TdsEngineError({ number: 2627, state: 1, severity: 14, message: 'Violation of PRIMARY KEY.' });
      }
      return [
        { kind: 'columns', columns: [{ name: 'id', type: 'int', nullable: false }] },
        { kind: 'row', values: [id] },
        { kind: 'done', rowCount: 1 },
      ];
    };
    const client = await RawClient.open(server.port);
    await client.login();
    client.send(
      PacketType.RpcRequest,
      tediousBatchedRpc([call('SELECT @id', 1), call('INSERT @id', 2), call('SELECT @id', 3)]),
    );
    const response = await client.readMessage();
    const tokens = await parseTokens(response.payload);
    const calls = engine.sessions[0]!.calls.filter((made) => made.kind === 'rpc');
    expect(calls.map((made) => (made.kind === 'rpc' ? made.parameters.at(-1)!.value : undefined))).toEqual([1, 2, 3]);
    const procs = tokens.filter((token) => token.name === 'DONEPROC');
    expect(procs.map((token) => token.more)).toEqual([true, true, false]);
    expect(procs.map((token) => token.sqlError)).toEqual([false, true, false]);
    const errors = tokens.filter((token) => token.name === 'ERROR');
    expect(errors.map((token) => token.number)).toEqual([2627]);
    const rows = tokens.filter((token) => token.name === 'ROW').length;
    expect(rows).toBe(2);
  });

  it('answers a NoExecFlag separator, which it does not implement, with an error naming it, and keeps the connection', async () => {
    const client = await RawClient.open(server.port);
    await client.login();
    const payload = tediousBatchedRpc([call('SELECT @id', 1), call('SELECT @id', 2)]);
    const separator = payload.length - secondCallLength() - 1;
    expect(payload[separator]).toBe(0xff);
    payload[separator] = 0xfe;
    client.send(PacketType.RpcRequest, payload);
    const tokens = await parseTokens((await client.readMessage()).payload);
    const errors = tokens.filter((token) => token.name === 'ERROR').map((token) => String(token.message));
    expect(errors).toEqual([expect.stringMatching(/NoExecFlag \(0xFE\) is not supported/)]);
    expect(engine.sessions[0]!.calls.filter((made) => made.kind === 'rpc')).toEqual([]);
  });
});

/** Bytes of a call of {@link call} without ALL_HEADERS (so the test finds the separator from the end). */
function secondCallLength(): number {
  const one = tediousBatchedRpc([call('SELECT @id', 2)]);
  return one.length - one.readUInt32LE(0);
}
