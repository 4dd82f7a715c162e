import { describe, expect, it } from 'vitest';
import { orderHosts } from './host-order.js';

const hosts = [1, 2, 3].map((port) => ({ host: 'h', port }));
const ports = (list: Array<{ port: number }>) => list.map((e) => e.port);

describe('orderHosts', () => {
  it('keeps the order for in-order', () =>
    expect(ports(orderHosts(hosts, 'in-order', { turn: 5 }))).toEqual([1, 2, 3]));

  it('starts one host further on each turn for round-robin', () => {
    expect([0, 1, 2, 3].map((turn) => ports(orderHosts(hosts, 'round-robin', { turn }))[0])).toEqual([1, 2, 3, 1]);
  });

  it('shuffles with the given random source', () => {
    expect(ports(orderHosts(hosts, 'random', { turn: 0, random: () => 0 }))).toEqual([2, 3, 1]);
  });

  it('puts the host with the fewest open connections first, ties in order', () => {
    const open = new Map([
      [1, 4],
      [2, 1],
      [3, 1],
    ]);
    expect(ports(orderHosts(hosts, 'fewest-connections', { turn: 0, openCount: (e) => open.get(e.port)! }))).toEqual([
      2, 3, 1,
    ]);
  });
});
