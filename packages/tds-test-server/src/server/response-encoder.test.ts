import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.js';
import { parseTokens, type TediousToken } from '../testing/tedious-tokens.js';
import { ResponseEncoder, type ResponseMode } from './response-encoder.js';

async function encodeAll(mode: ResponseMode, events: EngineEvent[]): Promise<TediousToken[]> {
  const encoder = new ResponseEncoder(mode, 'srv', 'db');
  const buffers = events.flatMap((event) => encoder.encode(event));
  buffers.push(...encoder.finish());
  return parseTokens(buffers);
}

const summary = (tokens: TediousToken[]) =>
  tokens.map((t) =>
    t.name.startsWith('DONE')
      ? `${t.name}(${t.more ? 'more' : 'final'}${t.sqlError ? ',error' : ''}${t.rowCount === undefined ? '' : `,${t.rowCount}`})`
      : t.name,
  );

describe('ResponseEncoder', () => {
  it('holds the last DONE of a batch so only it lacks MORE', async () => {
    const tokens = await encodeAll('batch', [
      { kind: 'done', rowCount: 1 },
      { kind: 'message', message: { number: 0, state: 1, severity: 0, message: 'printed' } },
      { kind: 'done', rowCount: null },
    ]);
    expect(summary(tokens)).toEqual(['DONE(more,1)', 'INFO', 'DONE(final)']);
  });

  it('sets ERROR on the DONE that follows an error message, and on the final DONE if none follows', async () => {
    const error = { kind: 'message', message: { number: 50000, state: 1, severity: 16, message: 'boom' } } as const;
    expect(
      summary(await encodeAll('batch', [error, { kind: 'done', rowCount: null }, { kind: 'done', rowCount: 2 }])),
    ).toEqual(['ERROR', 'DONE(more,error)', 'DONE(final,2)']);
    expect(summary(await encodeAll('batch', [{ kind: 'done', rowCount: 1 }, error]))).toEqual([
      'DONE(more,1)',
      'ERROR',
      'DONE(final,error)',
    ]);
  });

  it('ends RPCs with DONEINPROC per statement and a DONEPROC of its own', async () => {
    const tokens = await encodeAll('rpc', [
      { kind: 'done', rowCount: 4 },
      { kind: 'message', message: { number: 1, state: 1, severity: 16, message: 'bad' } },
      { kind: 'done', rowCount: null, error: true },
      { kind: 'returnStatus', value: -4 },
    ]);
    expect(summary(tokens)).toEqual([
      'DONEINPROC(more,4)',
      'ERROR',
      'DONEINPROC(more,error)',
      'RETURNSTATUS',
      'DONEPROC(final,error)',
    ]);
  });

  it('fails a response after the held DONE, and keeps the held DONE when an event cannot be encoded', async () => {
    const encoder = new ResponseEncoder('batch', 'srv', 'db');
    const buffers = encoder.encode({ kind: 'done', rowCount: 1 });
    expect(() => encoder.encode({ kind: 'row', values: [1] })).toThrow(/row event before any columns/);
    buffers.push(...encoder.fail({ number: 50000, state: 1, severity: 16, message: 'cannot encode' }));
    expect(summary(await parseTokens(buffers))).toEqual(['DONE(more,1)', 'ERROR', 'DONE(final,error)']);
  });

  it('tracks the database across database events', async () => {
    const encoder = new ResponseEncoder('batch', 'srv', 'first');
    const tokens = await parseTokens([
      ...encoder.encode({ kind: 'database', name: 'second' }),
      ...encoder.encode({ kind: 'database', name: 'third' }),
    ]);
    expect(tokens.map((t) => [t.newValue, t.oldValue])).toEqual([
      ['second', 'first'],
      ['third', 'second'],
    ]);
    expect(encoder.currentDatabase).toBe('third');
  });

  it('writes transaction ENVCHANGEs and a final DONE for TRANSACTION_MANAGER responses', async () => {
    const tokens = await encodeAll('transaction', [
      { kind: 'transaction', change: 'begin', descriptor: Buffer.alloc(8, 1) },
    ]);
    expect(summary(tokens)).toEqual(['ENVCHANGE', 'DONE(final)']);
    expect(tokens[0]).toMatchObject({ type: 'BEGIN_TXN', newValue: Buffer.alloc(8, 1) });
  });
});
