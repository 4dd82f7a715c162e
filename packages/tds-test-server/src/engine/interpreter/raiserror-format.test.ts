import { describe, expect, it } from 'vitest';
import { formatRaiserror } from './raiserror-format.js';

describe('formatRaiserror', () => {
  it.each<[string, unknown[], string]>([
    ['plain', [], 'plain'],
    ['%s has %d rows', ['t', 5], 't has 5 rows'],
    ['%i%%', [42], '42%'],
    ['[%5d] [%-5d] [%05d]', [7, 7, 7], '[    7] [7    ] [00007]'],
    ['%x %X %o %u', [255, 255, 8, -1], 'ff FF 10 4294967295'],
    ['%.3s|%*d', ['abcdef', 4, 9], 'abc|   9'],
    ['missing %s', [], 'missing (null)'],
    ['null %d', [null], 'null (null)'],
  ])('%s', (template, args, expected) => {
    expect(formatRaiserror(template, args as never)).toBe(expected);
  });
});
