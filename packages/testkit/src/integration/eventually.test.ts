import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { uniqueName } from './unique-name.js';

describe('eventually', () => {
  it('resolves once the probe turns true', async () => {
    let calls = 0;
    await eventually(async () => (calls += 1) === 3);
    expect(calls).toBe(3);
  });

  it('rejects after the given number of attempts', async () => {
    let calls = 0;
    await expect(eventually(async () => ((calls += 1), false), 2)).rejects.toThrow('did not become true');
    expect(calls).toBe(2);
  });
});

describe('uniqueName', () => {
  it('starts with the prefix and the process id and differs between calls', () => {
    const first = uniqueName('t');
    expect(first.startsWith(`t_${process.pid}_`)).toBe(true);
    expect(uniqueName('t')).not.toBe(first);
  });
});
