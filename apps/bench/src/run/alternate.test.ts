import { describe, expect, it } from 'vitest';
import { alternate } from './alternate.js';

describe('alternate', () => {
  it('runs asyncdb and raw one after the other, run by run (ABAB…), and keeps each side’s results in order', async () => {
    const order: string[] = [];
    let counter = 0;
    const results = await alternate(3, {
      asyncdb: async () => {
        order.push('A');
        return ++counter;
      },
      raw: async () => {
        order.push('B');
        return ++counter;
      },
    });
    expect(order.join('')).toBe('ABABAB');
    expect(results).toEqual({ asyncdb: [1, 3, 5], raw: [2, 4, 6] });
  });
});
