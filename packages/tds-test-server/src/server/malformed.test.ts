import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.js';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { BufferWriter } from '../protocol/buffer-writer.js';
import { PacketStatus, PacketType } from '../protocol/packet.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { RawClient } from '../testing/raw-client.js';
import { clientConfig, connect, disconnect, execBatch } from '../testing/tedious-client.js';
import { parseTokens } from '../testing/tedious-tokens.js';

/** ALL_HEADERS with a zero transaction descriptor, as tedious sends it. */
function allHeaders(): Buffer {
  return new BufferWriter().u32(22).u32(18).u16(2).bytes(Buffer.alloc(8)).u32(1).toBuffer();
}

describe('malformed input and connection life cycle', () => {
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

  const expectStillServing = async () => {
    const connection = await connect(clientConfig(server.port));
    expect((await execBatch(connection, 'select 1')).error).toBeUndefined();
    await disconnect(connection);
  };

  it('closes a connection whose packet length is shorter than the header, and keeps serving others', async () => {
    const client = await RawClient.open(server.port);
    client.write(Buffer.from([PacketType.Prelogin, PacketStatus.Eom, 0x00, 0x03, 0, 0, 1, 0]));
    await client.closed;
    expect(logs.join('\n')).toMatch(/protocol error: packet length 3 is shorter than its header/);
    await expectStillServing();
  });

  it('closes a connection that sends SQL before logging in', async () => {
    const client = await RawClient.open(server.port);
    client.send(PacketType.SqlBatch, Buffer.from('select 1', 'ucs2'));
    await client.closed;
    expect(logs.join('\n')).toMatch(/unexpected SqlBatch message in state 'prelogin'/);
  });

  it('closes a connection whose LOGIN7 is truncated', async () => {
    const client = await RawClient.open(server.port);
    client.send(PacketType.Login7, Buffer.from([0x10, 0, 0, 0, 0x04, 0, 0, 0x74]));
    await client.closed;
    expect(logs.join('\n')).toMatch(/protocol error: truncated LOGIN7 fixed part/);
    await expectStillServing();
  });

  it('refuses integrated (SSPI/NTLM) authentication with 18456 and closes the connection', async () => {
    const client = await RawClient.open(server.port);
    const tokens = await parseTokens(await client.login('secret', { sspi: Buffer.from('NTLMSSP\0') }));
    expect(tokens).toMatchObject([
      { name: 'ERROR', number: 18456 },
      { name: 'DONE', sqlError: true },
    ]);
    expect(String(tokens[0]!.message)).toContain('integrated (SSPI/NTLM) authentication is not supported');
    await client.closed;
    expect(engine.sessions).toHaveLength(0);
  });

  it('closes a connection that changes packet type inside a message', async () => {
    const client = await RawClient.open(server.port);
    await client.login();
    client.send(PacketType.SqlBatch, Buffer.from('sel', 'ucs2'), 0);
    client.send(PacketType.RpcRequest, Buffer.from('ect', 'ucs2'));
    await client.closed;
    expect(logs.join('\n')).toMatch(/inside a message of type 0x1/);
    await expect.poll(() => engine.sessions[0]?.closed).toBe(true);
  });

  it('assembles a request split over several packets and TCP chunks', async () => {
    const client = await RawClient.open(server.port);
    await client.login();
    const text = Buffer.concat([allHeaders(), Buffer.from('select split', 'ucs2')]);
    client.send(PacketType.SqlBatch, text.subarray(0, 5), 0);
    const last = Buffer.alloc(8 + text.length - 5);
    last.writeUInt8(PacketType.SqlBatch, 0);
    last.writeUInt8(PacketStatus.Eom, 1);
    last.writeUInt16BE(last.length, 2);
    text.copy(last, 8, 5);
    for (const byte of last) client.write(Buffer.from([byte])); // one byte per TCP write
    const response = await client.readMessage();
    expect(await parseTokens(response.payload)).toMatchObject([{ name: 'DONE', sqlError: false, more: false }]);
    expect(engine.sessions[0]!.calls.at(-1)).toEqual({ kind: 'batch', sql: 'select split' });
    client.destroy();
  });

  it('acknowledges an ATTENTION that arrives when no request is running', async () => {
    const client = await RawClient.open(server.port);
    await client.login();
    client.send(PacketType.Attention, Buffer.alloc(0));
    const response = await client.readMessage();
    expect(await parseTokens(response.payload)).toMatchObject([{ name: 'DONE', attention: true }]);
    client.destroy();
  });

  it('answers an RPC with an unsupported parameter type with error 8009 and keeps the connection', async () => {
    const client = await RawClient.open(server.port);
    await client.login();
    const rpc = new BufferWriter().bytes(allHeaders()).u16(0xffff).u16(10).u16(0);
    rpc.bVarChar('@t').u8(0).u8(0xf3); // a table-valued parameter
    client.send(PacketType.RpcRequest, rpc.toBuffer());
    const tokens = await parseTokens((await client.readMessage()).payload);
    expect(tokens).toMatchObject([
      { name: 'ERROR', number: 8009 },
      { name: 'DONEPROC', sqlError: true },
    ]);
    expect(String(tokens[0]!.message)).toContain(
      'parameter 1 ("@t"): data type table-valued parameter (0xf3) is not supported',
    );
    client.send(PacketType.SqlBatch, Buffer.concat([allHeaders(), Buffer.from('still here', 'ucs2')]));
    expect(await parseTokens((await client.readMessage()).payload)).toMatchObject([{ name: 'DONE' }]);
    client.destroy();
  });

  it('aborts the engine and closes the session when the client disconnects mid-stream', async () => {
    let aborted = false;
    engine.script.batch = async function* (_sql, signal): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: [{ name: 'n', type: 'int', nullable: false }] };
      while (!signal.aborted) {
        yield { kind: 'row', values: [1] };
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      aborted = true;
    };
    const client = await RawClient.open(server.port);
    await client.login();
    client.send(PacketType.SqlBatch, Buffer.concat([allHeaders(), Buffer.from('endless', 'ucs2')]));
    await client.waitForBytes(100); // the response has started streaming
    client.destroy();
    await expect.poll(() => aborted).toBe(true);
    await expect.poll(() => engine.sessions[0]!.closed).toBe(true);
    expect(logs).toEqual([]);
  });

  it('close() ends open connections and closes their sessions', async () => {
    const connection = await connect(clientConfig(server.port));
    const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
    await server.close();
    await ended;
    expect(engine.sessions[0]!.closed).toBe(true);
  });
});

describe('TLS', () => {
  it("refuses a client that opens TLS before PRELOGIN (tedious encrypt: 'strict') with a logged reason", async () => {
    const logs: string[] = [];
    const server = await startTdsTestServer({ engine: new FakeEngine(), log: (m) => logs.push(m) });
    try {
      await expect(connect(clientConfig(server.port, { encrypt: 'strict', connectTimeout: 3000 }))).rejects.toThrow();
      expect(logs.join('\n')).toContain('the client started TLS before PRELOGIN');
    } finally {
      await server.close();
    }
  });
});
