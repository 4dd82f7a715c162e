import { describe, expect, it } from 'vitest';
import { rejectionOf, thrownBy } from './rejection.js';

describe('rejectionOf', () => {
  it('resolves the rejection error', async () => {
    const error = new TypeError('no');
    await expect(rejectionOf(Promise.reject(error))).resolves.toBe(error);
  });

  it('fails when the promise resolves, showing the value', async () => {
    await expect(rejectionOf(Promise.resolve(5n))).rejects.toThrow(
      'Expected a rejection, but the promise resolved with 5n',
    );
  });
});

describe('thrownBy', () => {
  it('returns what the call throws synchronously', () => {
    const error = new RangeError('sync');
    expect(
      thrownBy(() => {
        throw error;
      }),
    ).toBe(error);
  });

  it('fails when the call returns a Promise instead of throwing, without leaving it unhandled', () => {
    expect(() => thrownBy(() => Promise.reject(new Error('async')))).toThrow(
      'Expected a synchronous throw, but the call returned a Promise',
    );
  });
});
