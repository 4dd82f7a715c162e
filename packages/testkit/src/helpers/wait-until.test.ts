import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.js';

describe('waitUntil', () => {
  it('resolves the first truthy value', async () => {
    let calls = 0;
    await expect(waitUntil(() => (++calls >= 3 ? `call ${calls}` : undefined), { intervalMs: 1 })).resolves.toBe(
      'call 3',
    );
  });

  it('rejects naming what it waited for and the last value once the timeout elapsed', async () => {
    await expect(waitUntil(() => 0, { timeoutMs: 30, intervalMs: 5, what: 'the answer' })).rejects.toThrow(
      /Timed out after 30 ms waiting for the answer \(last value: 0\)/,
    );
  });

  it('does not retry a probe that throws', async () => {
    let calls = 0;
    const probe = () => {
      calls += 1;
      throw new Error('broken probe');
    };
    await expect(waitUntil(probe)).rejects.toThrow('broken probe');
    expect(calls).toBe(1);
  });
});
