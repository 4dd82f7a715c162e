import { formatEndpoint, type HostEndpoint } from './host-endpoint.js';
import { HostSet } from './host-set.js';

/**
 * The {@link HostSet}s of a provider factory, one per host list and recheck time, so every connection of a data
 * source shares what was learnt about its hosts. A provider keeps one registry per factory.
 */
export class HostSetRegistry {
  readonly #sets = new Map<string, HostSet>();

  /** The set for `endpoints` (created on first use). */
  get<E extends HostEndpoint>(endpoints: readonly E[], recheckMs: number): HostSet<E> {
    const key = `${recheckMs}|${endpoints.map(formatEndpoint).join(',')}`;
    let set = this.#sets.get(key);
    if (!set) {
      set = new HostSet(endpoints, { recheckMs });
      this.#sets.set(key, set);
    }
    return set as unknown as HostSet<E>;
  }

  /** Forgets every set (with `clearAllPools`): the next opens probe every host afresh. */
  clear(): void {
    this.#sets.clear();
  }
}
