import { describe, expect, it } from 'vitest';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('settles as the promise does when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(1), 100)).resolves.toBe(1);
    await expect(withTimeout(Promise.reject(new Error('no')), 100)).rejects.toThrow('no');
  });

  it('rejects naming the operation when the promise is late', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, 'closing')).rejects.toThrow(
      'closing did not settle within 10 ms',
    );
  });
});
