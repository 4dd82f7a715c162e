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

describe('alternate with other baselines', () => {
  it('rotates every side in its key order, run by run (ABCABC…), so each baseline sees the same drift', async () => {
    const order: string[] = [];
    const side = (name: string) => async () => {
      order.push(name);
      return order.length;
    };
    const results = await alternate(2, { asyncdb: side('A'), raw: side('B'), 'postgres.js': side('C') });
    expect(order.join('')).toBe('ABCABC');
    expect(results).toEqual({ asyncdb: [1, 4], raw: [2, 5], 'postgres.js': [3, 6] });
  });
});
