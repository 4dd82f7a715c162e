import { describe, expect, it } from 'vitest';
import { createSinkRequest, type TediousColumnMetadata, type TediousRequestSink } from './mssql-tedious.js';

const INT: TediousColumnMetadata = { colName: 'n', type: { name: 'IntN' }, dataLength: 4, flags: 0x01 };

describe('createSinkRequest', () => {
  it("hands tedious' result events to the sink as calls, and leaves tedious' own events to the listeners", () => {
    const calls: unknown[][] = [];
    const sink: TediousRequestSink = {
      onColumnMetadata: (columns) => calls.push(['columns', columns.length]),
      onRow: (columns) => calls.push(['row', columns[0]?.value]),
      onDone: (rowCount) => calls.push(['done', rowCount]),
      onDoneProc: (returnStatus) => calls.push(['doneProc', returnStatus]),
      onReturnValue: (name, value) => calls.push(['returnValue', name, value]),
    };
    const request = createSinkRequest('SELECT 1', () => {});
    const emitter = request as unknown as {
      emit(event: string, ...args: unknown[]): boolean;
      on(event: string, listener: () => void): void;
    };
    // Before a sink is set, events go to listeners as usual.
    let early = 0;
    emitter.on('row', () => (early += 1));
    emitter.emit('row', [{ value: 0, metadata: INT }]);
    expect(early).toBe(1);
    request.sink = sink;
    let pauses = 0;
    emitter.on('pause', () => (pauses += 1));
    emitter.emit('columnMetadata', [INT]);
    emitter.emit('row', [{ value: 1, metadata: INT }]);
    emitter.emit('done', 1, true, undefined);
    emitter.emit('doneInProc', 2, true, undefined);
    emitter.emit('returnValue', 'total', 42, INT);
    emitter.emit('doneProc', undefined, false, 7, undefined);
    request.pause();
    expect(calls).toEqual([
      ['columns', 1],
      ['row', 1],
      ['done', 1],
      ['done', 2],
      ['returnValue', 'total', 42],
      ['doneProc', 7],
    ]);
    expect(early).toBe(1);
    expect(pauses).toBe(1);
  });
});
