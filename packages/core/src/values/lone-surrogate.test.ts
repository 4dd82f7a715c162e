import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors.js';
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
