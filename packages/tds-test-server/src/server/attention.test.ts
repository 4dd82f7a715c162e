import { Request } from 'tedious';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.js';
import { BufferWriter } from '../protocol/buffer-writer.js';
import { PacketType } from '../protocol/packet.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';
import { RawClient } from '../testing/raw-client.js';
import { collect, execBatch } from '../testing/tedious-client.js';
import { parseTokens } from '../testing/tedious-tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const column = [{ name: 'n', type: 'int' as const, nullable: false }];

describe('ATTENTION (connection.cancel())', () => {
  const engine = new FakeEngine();
  const logs: string[] = [];
  const tds = tediousSuite({ engine, log: (m) => logs.push(m), settleTimeoutMs: 300 });

  beforeEach(() => {
    logs.length = 0;
  });

  it('aborts the engine signal, acknowledges with DONE(ATTN), and the connection runs the next request', async () => {
    let sawAbort = false;
    let produced = 0;
    engine.script.batch = async function* (_sql, signal): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: column };
      while (!signal.aborted) {
        yield { kind: 'row', values: [produced++] };
        await sleep(2);
      }
      sawAbort = true;
    };
    const { request, done } = collect((callback) => new Request('slow', callback));
    let received = 0;
    request.on('row', () => {
      if (++received === 10) tds.connection.cancel();
    });
    tds.connection.execSqlBatch(request);
    const result = await done;
    expect(result.error).toMatchObject({ code: 'ECANCEL' });
    await expect.poll(() => sawAbort).toBe(true);
    const rowsAtCancel = produced;
    await sleep(30);
    expect(produced).toBe(rowsAtCancel); // the engine stopped producing

    engine.script.batch = (): EngineEvent[] => [
      { kind: 'columns', columns: column },
      { kind: 'row', values: [99] },
      { kind: 'done', rowCount: 1 },
    ];
    const next = await execBatch(tds.connection, 'select 99');
    expect(next.error).toBeUndefined();
    expect(next.resultSets).toEqual([[[99]]]);
    expect(logs).toEqual([]);
  });

  it('stops at once even when the engine ignores the abort, then runs the next request after the settle timeout', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    engine.script.batch = async function* (): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: column };
      yield { kind: 'row', values: [1] };
      await stuck; // deaf to the signal
      yield { kind: 'row', values: [2] };
    };
    const { request, done } = collect((callback) => new Request('deaf', callback));
    request.on('row', () => tds.connection.cancel());
    tds.connection.execSqlBatch(request);
    const started = Date.now();
    expect((await done).error).toMatchObject({ code: 'ECANCEL' });
    expect(Date.now() - started).toBeLessThan(1000);

    engine.script.batch = undefined;
    expect((await execBatch(tds.connection, 'next')).error).toBeUndefined();
    expect(logs.join('\n')).toContain('has not finished the cancelled request');
    release();
  });

  it('cancels a response the client has paused (socket backpressure) and recovers', async () => {
    engine.script.batch = async function* (_sql, signal): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: [{ name: 's', type: 'nvarchar', length: 100, nullable: false }] };
      for (let i = 0; !signal.aborted; i++) yield { kind: 'row', values: ['x'.repeat(100)] };
    };
    const { request, done } = collect((callback) => new Request('endless', callback));
    let rows = 0;
    request.on('row', () => {
      if (++rows === 50) {
        request.pause();
        setTimeout(() => tds.connection.cancel(), 100);
      }
    });
    tds.connection.execSqlBatch(request);
    expect((await done).error).toMatchObject({ code: 'ECANCEL' });
    engine.script.batch = undefined;
    expect((await execBatch(tds.connection, 'next')).error).toBeUndefined();
  });

  it('answers a request the client abandoned mid-send (IGNORE bit) without running it', async () => {
    engine.script.batch = undefined;
    const callsBefore = engine.sessions[0]!.calls.length;
    const { request, done } = collect((callback) => new Request('never runs', callback));
    tds.connection.execSqlBatch(request);
    tds.connection.cancel(); // before the message finished: tedious ends it with IGNORE instead of sending ATTENTION
    expect((await done).error).toMatchObject({ code: 'ECANCEL' });
    expect(engine.sessions[0]!.calls.length).toBe(callsBefore);
    expect((await execBatch(tds.connection, 'after')).error).toBeUndefined();
  });

  it('on the wire: ends the cut-short response with EOM, then sends a message holding only DONE(ATTN)', async () => {
    engine.script.batch = async function* (_sql, signal): AsyncGenerator<EngineEvent> {
      yield { kind: 'columns', columns: column };
      for (let i = 0; !signal.aborted; i++) {
        yield { kind: 'row', values: [i] };
        await sleep(1);
      }
    };
    const client = await RawClient.open(tds.server.port);
    await client.login();
    const headers = new BufferWriter().u32(22).u32(18).u16(2).bytes(Buffer.alloc(8)).u32(1).toBuffer();
    client.send(PacketType.SqlBatch, Buffer.concat([headers, Buffer.from('slow', 'ucs2')]));
    await client.waitForBytes(50);
    client.send(PacketType.Attention, Buffer.alloc(0));
    const cut = await client.readMessage();
    const cutTokens = await parseTokens(cut.payload);
    expect(cutTokens[0]!.name).toBe('COLMETADATA');
    expect(cutTokens.at(-1)).toMatchObject({ name: 'DONE', attention: false });
    const ack = await client.readMessage();
    expect(await parseTokens(ack.payload)).toMatchObject([{ name: 'DONE', attention: true, more: false }]);
    client.destroy();
  });
});
