import { describe, expect, it } from 'vitest';
import type { HostEndpoint } from './host-endpoint.js';
import { HostSet } from './host-set.js';

describe('HostSet', () => {
  it('shares what it knows of a host between equal endpoint objects (each connection parses its own)', () => {
    const hosts = new HostSet([{ host: 'a', port: 5432 }], { recheckMs: 1_000, now: () => 0 });
    hosts.markDown({ host: 'a', port: 5432 }, new Error('refused'));
    hosts.opened({ host: 'a', port: 5432 });
    expect(hosts.isDown(hosts.endpoints[0]!)).toBe(true);
    expect(hosts.status({ host: 'a', port: 5432 })).toMatchObject({ downReason: 'refused', open: 1 });
    expect(hosts.isDown({ host: 'a', port: 5433 })).toBe(false);
  });

  it('builds the key of an endpoint object once, not on every look-up', () => {
    let reads = 0;
    const endpoint: HostEndpoint = {
      get host() {
        reads += 1;
        return 'db1';
      },
      port: 5432,
    };
    const hosts = new HostSet([endpoint], { recheckMs: 1_000, now: () => 0 });
    hosts.opened(endpoint);
    const afterFirst = reads;
    for (let i = 0; i < 10; i++) {
      hosts.isDown(endpoint);
      hosts.knownRole(endpoint);
      hosts.openCount(endpoint);
    }
    expect(afterFirst).toBeGreaterThan(0);
    expect(reads).toBe(afterFirst);
    expect(hosts.openCount(endpoint)).toBe(1);
  });
});
