import { describe, expect, it } from 'vitest';
import { retainedBytes } from './heap-probe.js';

describe('retainedBytes', () => {
  it('grows by what is retained and not by garbage', () => {
    const baseline = retainedBytes();
    let garbage: string[] | undefined = Array.from({ length: 100_000 }, (_, index) => `garbage ${index} `.repeat(5));
    expect(garbage.length).toBe(100_000);
    garbage = undefined;
    const afterGarbage = retainedBytes();
    const kept = Array.from({ length: 100_000 }, (_, index) => `kept ${index} `.repeat(5));
    const afterKept = retainedBytes();
    expect(kept.length).toBe(100_000);
    expect(afterGarbage - baseline).toBeLessThan(5 * 1024 * 1024);
    expect(afterKept - baseline).toBeGreaterThan(5 * 1024 * 1024);
  });
});
