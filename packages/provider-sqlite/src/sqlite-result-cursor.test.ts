import { createHook } from 'node:async_hooks';
import { CommandBehavior, type CommandRequest } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { SqliteResultCursor } from './sqlite-result-cursor.js';
import type { SqliteSession } from './sqlite-session.js';
import type { BatchResult } from './sqlite-worker-protocol.js';

/** A session whose worker answers `answers` in turn (a rejection for an Error). */
function sessionAnswering(...answers: Array<BatchResult | Error>): SqliteSession {
  return {
    exited: false,
    request: () => {
      const answer = answers.shift();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as SqliteSession;
}

const REQUEST = {
  statements: [{ text: 'SELECT x FROM t', parameters: [] }],
  behavior: CommandBehavior.Default,
} as unknown as CommandRequest;

const ROWS: BatchResult = {
  columns: [{ name: 'x', declaredType: 'INTEGER', table: 't', column: 'x' }],
  rows: [[1n], [2n], [3n]],
  done: false,
};

class Converted extends Error {}
const convert = (error: unknown): unknown => new Converted(String((error as Error).message));

describe('SqliteResultCursor', () => {
  it('hands the reader its failures converted, from nextResult, fetch and close alike', async () => {
    await expect(
      new SqliteResultCursor(sessionAnswering(new Error('a')), REQUEST, convert).nextResult(),
    ).rejects.toThrow(Converted);
    const cursor = new SqliteResultCursor(sessionAnswering(ROWS, new Error('b'), new Error('c')), REQUEST, convert);
    await cursor.nextResult();
    expect(await cursor.fetch(3)).toEqual([[1n], [2n], [3n]]);
    await expect(cursor.fetch(3)).rejects.toThrow(new Converted('b'));
    const closing = new SqliteResultCursor(sessionAnswering(ROWS, new Error('c')), REQUEST, convert);
    await closing.nextResult();
    await expect(closing.close()).rejects.toThrow(new Converted('c'));
  });

  it('costs one promise for a fetch the buffered rows answer', async () => {
    const cursor = new SqliteResultCursor(sessionAnswering(ROWS), REQUEST, convert);
    await cursor.nextResult();
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises += 1;
      },
    });
    hook.enable();
    let fetching: Promise<unknown[][]>;
    try {
      fetching = cursor.fetch(1);
    } finally {
      hook.disable();
    }
    expect(await fetching).toEqual([[1n]]);
    expect(promises).toBe(1);
  });
});
