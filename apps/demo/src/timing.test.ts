import { describe, expect, it } from 'vitest';
import { formatDuration } from './timing.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [12.4, '12 ms'],
    [999.4, '999 ms'],
    [1000, '1.00 s'],
    [1834, '1.83 s'],
    [61_000, '61.00 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
