import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors.js';
import { CommandType } from '../contracts/command-type.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { MemoryServer } from '../testing/memory-server.js';
import { openConnection, rejectionOf, thrownBy } from '../testing/test-support.js';
import { assertNoLoneSurrogate } from './lone-surrogate.js';

describe('assertNoLoneSurrogate (issue 13 item 6)', () => {
  it.each(['\uD800', 'a\uDC00', 'x\uD83D', '\uDE00\uD83D', 'ok\uD800\uD800\uDC00'])(
    'refuses %j naming the parameter',
    (text) => {
      const error = (() => {
        try {
          assertNoLoneSurrogate(text, 'p');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).paramName).toBe('p');
    },
  );
  it.each(['', 'plain', '\uD83D\uDE00', 'a\uD83D\uDE00b'])('accepts %j', (text) =>
    expect(() => assertNoLoneSurrogate(text, 'p')).not.toThrow(),
  );
  it('gives the index of the first lone surrogate', () =>
    expect(() => assertNoLoneSurrogate('ab\uD83D\uDE00c\uDC01', 'p')).toThrow('U+DC01 at index 5'));
  it('walks arrays, objects and keys of a JSON parameter, and survives cycles', () => {
    expect(() => assertNoLoneSurrogate({ a: [{ b: '\uD800' }] }, 'p')).toThrow('at .a[0].b');
    expect(() => assertNoLoneSurrogate({ ['\uDC00']: 1 }, 'p')).toThrow(ArgumentError);
    const cyclic: Record<string, unknown> = { ok: 'fine' };
    cyclic.self = cyclic;
    expect(() => assertNoLoneSurrogate(cyclic, 'p')).not.toThrow();
  });
});

describe('command text with a lone surrogate (found probing issue 13 item 6)', () => {
  it('is refused by Begin and the Promise methods, every time, and nothing is sent', async () => {
    const factory = new MemoryProviderFactory(new MemoryServer(), { supportsStoredProcedures: true });
    const { connection, server } = await openConnection('Database=test;async=true', factory);
    try {
      for (const text of ["UPDATE 1 -- '\uD800'", "SELECT '\uDC00' AS x; UPDATE 1"]) {
        const command = connection.createCommand(text);
        const error = thrownBy(() => command.beginExecuteNonQuery());
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).paramName).toBe('commandText');
        expect((error as Error).message).toMatch(/lone UTF-16 surrogate \(U\+D[8C]00 at index \d+\)/);
        // Not cached as translated: the second attempt is refused too.
        expect(await rejectionOf(command.executeNonQuery())).toBeInstanceOf(ArgumentError);
      }
      const procedure = connection.createCommand('proc\uD800');
      procedure.commandType = CommandType.StoredProcedure;
      expect(await rejectionOf(procedure.executeNonQuery())).toBeInstanceOf(ArgumentError);
      expect(server.executed).toEqual([]);
      expect(await connection.createCommand('UPDATE 2 -- \uD83D\uDE00').executeNonQuery()).toBe(2);
    } finally {
      await connection.close();
    }
  });
});
