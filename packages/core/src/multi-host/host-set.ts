import { formatEndpoint, type HostEndpoint } from './host-endpoint.js';
import type { HostRole } from './target-session-attributes.js';

/** What a {@link HostSet} knows about one host. */
export interface HostStatus {
  /** Until when (epoch ms) the host counts as down; 0 when it is not. */
  readonly downUntil: number;
  /** Why it was last marked down. */
  readonly downReason: string | undefined;
  /** The role last seen, and until when it is trusted without asking the server again. */
  readonly role: HostRole | undefined;
  readonly roleUntil: number;
  /** Connections of this data source open on the host. */
  readonly open: number;
}

/** Options of a {@link HostSet}. */
export interface HostSetOptions {
  /** How long a host found down, or of a role, is believed without a new probe (`Host Recheck Seconds`). */
  readonly recheckMs: number;
  /** The clock; `Date.now` by default (tests pass their own). */
  readonly now?: () => number;
}

interface MutableStatus {
  downUntil: number;
  downReason: string | undefined;
  role: HostRole | undefined;
  roleUntil: number;
  open: number;
}

/**
 * The hosts of one multi-host data source and what is known about each: down until when, role until when, open
 * connections. One per data source (per connection string's host list), shared by all its connections, so a host one
 * open found down is skipped by the next opens until its recheck time. Provider-neutral; synchronous; no timers.
 */
export class HostSet<E extends HostEndpoint = HostEndpoint> {
  readonly endpoints: readonly E[];
  readonly recheckMs: number;
  readonly #now: () => number;
  /** By `host:port`: the connections of one data source parse their own endpoint objects, equal but not the same. */
  readonly #status = new Map<string, MutableStatus>();
  /** By endpoint object, in front of {@link HostSet.#status}: a known endpoint is found without building its key. */
  readonly #byEndpoint = new WeakMap<E, MutableStatus>();
  #turn = 0;

  constructor(endpoints: readonly E[], options: HostSetOptions) {
    this.endpoints = Object.freeze([...endpoints]);
    this.recheckMs = options.recheckMs;
    this.#now = options.now ?? Date.now;
  }

  /** The clock reading the set uses. */
  now(): number {
    return this.#now();
  }

  /** The round-robin counter: a different value for each open. */
  nextTurn(): number {
    return this.#turn++;
  }

  /** Whether `endpoint` was marked down and its recheck time has not come yet. */
  isDown(endpoint: E): boolean {
    return this.#get(endpoint).downUntil > this.#now();
  }

  /** The role last seen on `endpoint`, while it is still trusted; undefined once its recheck time has passed. */
  knownRole(endpoint: E): HostRole | undefined {
    const status = this.#get(endpoint);
    return status.roleUntil > this.#now() ? status.role : undefined;
  }

  /** Records a failed connect: the host is skipped until its recheck time (unless every host is). */
  markDown(endpoint: E, reason: unknown): void {
    const status = this.#get(endpoint);
    status.downUntil = this.#now() + this.recheckMs;
    status.downReason = reason instanceof Error ? reason.message : String(reason);
    status.roleUntil = 0;
  }

  /** Records a successful connect, with the role found when one was checked. */
  markUp(endpoint: E, role?: HostRole): void {
    const status = this.#get(endpoint);
    status.downUntil = 0;
    status.downReason = undefined;
    if (role) {
      status.role = role;
      status.roleUntil = this.#now() + this.recheckMs;
    }
  }

  /** Forgets the role of `endpoint`, so the next open asks the server again (e.g. after its session saw a failover). */
  forgetRole(endpoint: E): void {
    this.#get(endpoint).roleUntil = 0;
  }

  /** Counts a connection opened on `endpoint` (for `fewest-connections` and diagnostics). */
  opened(endpoint: E): void {
    this.#get(endpoint).open += 1;
  }

  /** Counts a connection on `endpoint` closed. */
  closed(endpoint: E): void {
    const status = this.#get(endpoint);
    status.open = Math.max(0, status.open - 1);
  }

  /** Open connections on `endpoint`. */
  openCount(endpoint: E): number {
    return this.#get(endpoint).open;
  }

  /** A snapshot of what is known about `endpoint`. */
  status(endpoint: E): HostStatus {
    return { ...this.#get(endpoint) };
  }

  #get(endpoint: E): MutableStatus {
    const known = this.#byEndpoint.get(endpoint);
    if (known !== undefined) return known;
    const key = formatEndpoint(endpoint);
    let status = this.#status.get(key);
    if (!status) {
      status = { downUntil: 0, downReason: undefined, role: undefined, roleUntil: 0, open: 0 };
      this.#status.set(key, status);
    }
    this.#byEndpoint.set(endpoint, status);
    return status;
  }
}
