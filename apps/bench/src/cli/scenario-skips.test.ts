import { describe, expect, it } from 'vitest';
import { scenarioSkip } from './scenario-skips.js';

describe('scenarioSkip', () => {
  it('runs only round trips and streaming on SQLite, each skip with its reason', () => {
    expect(scenarioSkip('sqlite', 'round-trips')).toBeUndefined();
    expect(scenarioSkip('sqlite', 'streaming')).toBeUndefined();
    expect(scenarioSkip('sqlite', 'parallelism')).toMatch(/no sleep function/);
    expect(scenarioSkip('sqlite', 'open-close')).toMatch(/no pool/);
    expect(scenarioSkip('sqlite', 'concurrency')).toMatch(/no pool/);
  });

  it('runs every scenario on the network providers', () => {
    for (const provider of ['pg', 'mysql', 'mssql'] as const) {
      for (const scenario of ['round-trips', 'open-close', 'streaming', 'concurrency', 'parallelism'] as const) {
        expect(scenarioSkip(provider, scenario)).toBeUndefined();
      }
    }
  });
});
