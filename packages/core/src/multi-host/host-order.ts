import type { HostEndpoint } from './host-endpoint.js';

/**
 * The order in which the hosts of a multi-host data source are tried (MySqlConnector's `Load Balance`; Npgsql's
 * `Load Balance Hosts=true` is `round-robin`).
 */
export const HostOrder = {
  /** Always the order of the connection string: the first host that works takes every connection. */
  InOrder: 'in-order',
  /** Each open starts one host further than the previous one. */
  RoundRobin: 'round-robin',
  /** A random order for each open. */
  Random: 'random',
  /** The host with the fewest open connections of this data source first (ties in connection-string order). */
  FewestConnections: 'fewest-connections',
} as const;
/** One of the {@link HostOrder} values. */
export type HostOrder = (typeof HostOrder)[keyof typeof HostOrder];

/** What {@link orderHosts} needs besides the list. */
export interface HostOrderContext {
  /** A counter the data source increments per open: where round-robin starts. */
  readonly turn: number;
  /** Open connections per host, for `fewest-connections`. */
  readonly openCount?: (endpoint: HostEndpoint) => number;
  /** A number in [0, 1), for `random`; `Math.random` by default. */
  readonly random?: () => number;
}

/** The hosts in the order `order` tries them; the list given is not changed. */
export function orderHosts<E extends HostEndpoint>(
  hosts: readonly E[],
  order: HostOrder,
  context: HostOrderContext,
): E[] {
  const count = hosts.length;
  switch (order) {
    case 'in-order':
      return [...hosts];
    case 'round-robin': {
      const start = count === 0 ? 0 : ((context.turn % count) + count) % count;
      return [...hosts.slice(start), ...hosts.slice(0, start)];
    }
    case 'random': {
      const random = context.random ?? Math.random;
      const shuffled = [...hosts];
      for (let index = shuffled.length - 1; index > 0; index--) {
        const other = Math.floor(random() * (index + 1));
        [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
      }
      return shuffled;
    }
    case 'fewest-connections': {
      const openCount = context.openCount ?? (() => 0);
      // Array.prototype.sort is stable: ties keep the connection string's order.
      return hosts
        .map((host) => ({ host, open: openCount(host) }))
        .sort((a, b) => a.open - b.open)
        .map(({ host }) => host);
    }
  }
}
