import { DbError, DbErrorCategory, DbTimeoutError } from '../errors/errors.js';
import { AllHostsFailedError, type HostFailure } from './all-hosts-failed-error.js';
import type { HostEndpoint } from './host-endpoint.js';
import { orderHosts, type HostOrder } from './host-order.js';
import type { HostSet } from './host-set.js';
import { passesOf, roleSatisfies, type HostRole, type TargetSessionAttributes } from './target-session-attributes.js';

/** What {@link openOnHosts} needs from a provider. */
export interface OpenOnHostsOptions<E extends HostEndpoint, S> {
  readonly hosts: HostSet<E>;
  readonly target: TargetSessionAttributes;
  readonly order: HostOrder;
  readonly providerName: string;
  /** The open's signal (Connect Timeout for the whole list, the caller's abort, close): no host is tried once it aborted. */
  readonly signal: AbortSignal;
  /** Opens (or takes from that host's pool) a session on one host; rejects when the host cannot be reached. */
  connect(endpoint: E): Promise<S>;
  /** The role of the server behind `session`: asked only when `target` is not `any` and the role is not known. */
  roleOf(session: S, endpoint: E): Promise<HostRole>;
  /** Gives back a session that is not used (wrong role; `broken` when the role check itself failed). */
  release(session: S, broken: boolean): Promise<void>;
}

/** The session an open found, and where. */
export interface HostSession<E extends HostEndpoint, S> {
  readonly session: S;
  readonly endpoint: E;
  /** The role, when it was needed and known. */
  readonly role: HostRole | undefined;
}

/**
 * The open of a multi-host data source, provider-neutral. The hosts are taken in `order`; a host marked down, or known
 * (within its recheck time) to have a role `target` does not accept, is skipped without a connect; a host that fails
 * to connect is marked down; a session whose server has the wrong role is given back and its role remembered.
 * `prefer-primary` / `prefer-standby` make a second pass that accepts any role. When no host gave a session and some
 * were skipped on what was remembered, those are tried once more regardless (so "every host down" still probes
 * them all, and a just-promoted standby is found without waiting for the recheck time).
 * @throws {AllHostsFailedError} listing every host and why it was not used.
 */
export async function openOnHosts<E extends HostEndpoint, S>(
  options: OpenOnHostsOptions<E, S>,
): Promise<HostSession<E, S>> {
  const { hosts, target } = options;
  // The order applies to the hosts that may serve this open first, so round-robin spreads opens evenly over them
  // (rotating the whole list would give the host after a skipped one twice the share); the others follow.
  const usable = (endpoint: E): boolean => {
    if (hosts.isDown(endpoint)) return false;
    const role = hosts.knownRole(endpoint);
    return target === 'any' || role === undefined || roleSatisfies(target, role, 1);
  };
  const context = { turn: hosts.nextTurn(), openCount: (endpoint: HostEndpoint) => hosts.openCount(endpoint as E) };
  const ordered = [
    ...orderHosts(hosts.endpoints.filter(usable), options.order, context),
    ...orderHosts(
      hosts.endpoints.filter((endpoint) => !usable(endpoint)),
      options.order,
      context,
    ),
  ];
  const failures = new Map<E, Error>();
  const skipped: E[] = [];
  const found =
    (await tryHosts(options, ordered, failures, skipped, false)) ??
    (skipped.length > 0
      ? await tryHosts(
          options,
          ordered.filter((e) => skipped.includes(e)),
          failures,
          [],
          true,
        )
      : undefined);
  if (found) return found;
  // The deadline passed while a host's pool had no free slot: that is the open's failure (kind 'pool'), as on one host.
  for (const error of failures.values()) if (error instanceof DbTimeoutError && error.kind === 'pool') throw error;
  const list: HostFailure[] = ordered.map((endpoint) => ({
    endpoint,
    error: failures.get(endpoint) ?? new Error('not tried before the open was aborted'),
  }));
  throw new AllHostsFailedError(list, { providerName: options.providerName, target });
}

const ONE_PASS = [1] as const;
const PREFER_PASSES = [1, 2] as const;

async function tryHosts<E extends HostEndpoint, S>(
  options: OpenOnHostsOptions<E, S>,
  ordered: readonly E[],
  failures: Map<E, Error>,
  skipped: E[],
  ignoreKnown: boolean,
): Promise<HostSession<E, S> | undefined> {
  const { hosts, target, signal } = options;
  for (const pass of passesOf(target) === 2 ? PREFER_PASSES : ONE_PASS) {
    for (const endpoint of ordered) {
      if (signal.aborted) return undefined;
      if (!ignoreKnown && hosts.isDown(endpoint)) {
        if (!failures.has(endpoint)) failures.set(endpoint, skippedAsDown(hosts, endpoint, options.providerName));
        if (!skipped.includes(endpoint)) skipped.push(endpoint);
        continue;
      }
      const known = ignoreKnown ? undefined : hosts.knownRole(endpoint);
      if (target !== 'any' && known && !roleSatisfies(target, known, pass)) {
        failures.set(endpoint, wrongRole(known, target, options.providerName));
        if (!skipped.includes(endpoint)) skipped.push(endpoint);
        continue;
      }
      let session: S;
      try {
        session = await options.connect(endpoint);
      } catch (error) {
        failures.set(endpoint, error instanceof Error ? error : new Error(String(error)));
        // The host did not fail when the open itself was aborted (deadline, cancel, close) or the host's pool had no
        // free slot: marking it down would keep every other open off a healthy host until its recheck time.
        if (!signal.aborted && !(error instanceof DbTimeoutError && error.kind === 'pool')) {
          hosts.markDown(endpoint, error);
        }
        continue;
      }
      if (target === 'any') {
        hosts.markUp(endpoint);
        return { session, endpoint, role: known };
      }
      let role = known;
      if (!role) {
        try {
          role = await options.roleOf(session, endpoint);
        } catch (error) {
          await options.release(session, true).catch(() => {});
          hosts.markDown(endpoint, error);
          failures.set(endpoint, error instanceof Error ? error : new Error(String(error)));
          continue;
        }
      }
      hosts.markUp(endpoint, role);
      if (roleSatisfies(target, role, pass)) return { session, endpoint, role };
      failures.set(endpoint, wrongRole(role, target, options.providerName));
      await options.release(session, false).catch(() => {});
    }
  }
  return undefined;
}

function wrongRole(role: HostRole, target: TargetSessionAttributes, providerName: string): DbError {
  const what = role.standby ? 'a standby (in recovery)' : role.readOnly ? 'a read-only primary' : 'a primary';
  return new DbError(`the server is ${what}, which Target Session Attributes=${target} does not accept`, {
    category: DbErrorCategory.ConnectionFailure,
    providerName,
  });
}

function skippedAsDown<E extends HostEndpoint>(hosts: HostSet<E>, endpoint: E, providerName: string): DbError {
  const status = hosts.status(endpoint);
  const seconds = Math.max(0, Math.ceil((status.downUntil - hosts.now()) / 1000));
  return new DbError(`skipped: marked down (${status.downReason ?? 'unreachable'}) for another ${seconds} s`, {
    category: DbErrorCategory.ConnectionFailure,
    providerName,
  });
}
