import { describe, expect, it } from 'vitest';
import { DbError, DbTimeoutError } from '../errors/errors.js';
import { AllHostsFailedError } from './all-hosts-failed-error.js';
import type { HostEndpoint } from './host-endpoint.js';
import { HostSet } from './host-set.js';
import { openOnHosts } from './open-on-hosts.js';
import type { HostRole, TargetSessionAttributes } from './target-session-attributes.js';

type Server = 'primary' | 'standby' | 'down';
const PRIMARY: HostRole = { standby: false, readOnly: false };
const STANDBY: HostRole = { standby: true, readOnly: true };

/** A fake cluster: servers by port, and a log of what the open did. */
function cluster(servers: Server[], clock = { now: 0 }) {
  const endpoints = servers.map((_, index) => ({ host: 'h', port: index + 1 }));
  const hosts = new HostSet(endpoints, { recheckMs: 10_000, now: () => clock.now });
  const log: string[] = [];
  const open = (target: TargetSessionAttributes, order: 'in-order' | 'round-robin' = 'in-order') =>
    openOnHosts<HostEndpoint, number>({
      hosts,
      target,
      order,
      providerName: 'fake',
      signal: new AbortController().signal,
      connect: async ({ port }) => {
        log.push(`connect ${port}`);
        if (servers[port - 1] === 'down') throw new DbError(`connect ECONNREFUSED port ${port}`);
        return port;
      },
      roleOf: async (port) => {
        log.push(`role ${port}`);
        return servers[port - 1] === 'primary' ? PRIMARY : STANDBY;
      },
      release: async (port) => {
        log.push(`release ${port}`);
      },
    });
  return { servers, hosts, log, open, clock };
}

describe('openOnHosts', () => {
  it('takes the first host for any, without a role check', async () => {
    const c = cluster(['standby', 'primary']);
    expect((await c.open('any')).endpoint.port).toBe(1);
    expect(c.log).toEqual(['connect 1']);
  });

  it('skips a standby for primary, remembers its role and does not connect to it again', async () => {
    const c = cluster(['standby', 'primary']);
    expect((await c.open('primary')).endpoint.port).toBe(2);
    expect(c.log).toEqual(['connect 1', 'role 1', 'release 1', 'connect 2', 'role 2']);
    c.log.length = 0;
    expect((await c.open('primary')).endpoint.port).toBe(2);
    expect(c.log).toEqual(['connect 2']);
  });

  it('prefer-standby falls back to the primary when no standby is up', async () => {
    const c = cluster(['primary', 'down', 'down']);
    expect((await c.open('prefer-standby')).endpoint.port).toBe(1);
  });

  it('does not retry a down host before its recheck time, unless every host is down', async () => {
    const c = cluster(['down', 'primary']);
    await c.open('any');
    c.log.length = 0;
    await c.open('any');
    expect(c.log).toEqual(['connect 2']);
    c.servers[1] = 'down';
    c.log.length = 0;
    await expect(c.open('any')).rejects.toBeInstanceOf(AllHostsFailedError);
    // Host 1 was skipped as down, host 2 failed; then host 1 is probed anyway.
    expect(c.log).toEqual(['connect 2', 'connect 1']);
    c.clock.now += 10_001;
    c.servers[0] = 'primary';
    c.log.length = 0;
    expect((await c.open('any')).endpoint.port).toBe(1);
  });

  it('finds a just-promoted standby without waiting for the recheck time', async () => {
    const c = cluster(['primary', 'standby']);
    await c.open('standby');
    c.servers[0] = 'down';
    c.servers[1] = 'primary';
    expect((await c.open('primary')).endpoint.port).toBe(2);
  });

  it('rejects with one error naming every host and why', async () => {
    const c = cluster(['down', 'standby']);
    const error = (await c.open('primary').catch((e: unknown) => e)) as AllHostsFailedError;
    expect(error).toBeInstanceOf(AllHostsFailedError);
    expect(error.category).toBe('connection_failure');
    expect(error.isTransient).toBe(true);
    expect(error.message).toContain('h:1: connect ECONNREFUSED port 1');
    expect(error.message).toContain('h:2: the server is a standby');
    expect(error.errors).toHaveLength(2);
    expect((error.cause as AggregateError).errors).toHaveLength(2);
  });

  it('spreads opens with round-robin', async () => {
    const c = cluster(['primary', 'primary', 'primary']);
    const ports = [];
    for (let i = 0; i < 6; i++) ports.push((await c.open('any', 'round-robin')).endpoint.port);
    expect(ports).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe('openOnHosts load balancing', () => {
  it('round-robin spreads prefer-standby opens evenly over the standbys once the primary is known', async () => {
    const c = cluster(['primary', 'standby', 'standby']);
    const ports: number[] = [];
    for (let i = 0; i < 7; i++) ports.push((await c.open('prefer-standby', 'round-robin')).endpoint.port);
    // The first open learns the primary's role; from then on the two standbys take turns.
    expect(ports.slice(1).filter((p) => p === 2)).toHaveLength(3);
    expect(ports.slice(1).filter((p) => p === 3)).toHaveLength(3);
  });

  it('an open aborted while it waits for a host does not mark that host down', async () => {
    const endpoints = [{ host: 'h', port: 1 }];
    const hosts = new HostSet(endpoints, { recheckMs: 10_000, now: () => 0 });
    const controller = new AbortController();
    const opening = openOnHosts<HostEndpoint, number>({
      hosts,
      target: 'any',
      order: 'in-order',
      providerName: 'fake',
      signal: controller.signal,
      connect: () =>
        new Promise<number>((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(new Error('The open was aborted.'))),
        ),
      roleOf: async () => PRIMARY,
      release: async () => {},
    });
    controller.abort();
    await expect(opening).rejects.toBeInstanceOf(AllHostsFailedError);
    expect(hosts.isDown(endpoints[0]!)).toBe(false);
  });

  it('a host whose pool stayed full fails the open with the pool timeout, and is not marked down', async () => {
    const endpoints = [{ host: 'h', port: 1 }];
    const hosts = new HostSet(endpoints, { recheckMs: 10_000, now: () => 0 });
    const full = new DbTimeoutError('Timeout expired… from the pool', 'pool');
    const opening = openOnHosts<HostEndpoint, number>({
      hosts,
      target: 'any',
      order: 'in-order',
      providerName: 'fake',
      signal: new AbortController().signal,
      connect: () => Promise.reject(full),
      roleOf: async () => PRIMARY,
      release: async () => {},
    });
    await expect(opening).rejects.toBe(full);
    expect(hosts.isDown(endpoints[0]!)).toBe(false);
  });
});
