import { AllHostsFailedError, DbErrorCategory, DbError, type HostEndpoint } from '@asyncdb/core';
import { MSSQL_DEFAULT_PORT, type MssqlDataSource } from './mssql-data-source.js';

/** A server of a `Data Source` + `Failover Partner` pair, with what tedious needs to reach it. */
export interface MssqlEndpoint extends HostEndpoint {
  /** The source as tedious takes it (a named instance has no port here; `port` is then the default, for display). */
  readonly source: MssqlDataSource;
  /** True for the `Failover Partner`. */
  readonly partner: boolean;
}

/** The endpoint of a parsed `Data Source` (or partner). */
export function endpointOf(source: MssqlDataSource, partner: boolean): MssqlEndpoint {
  return { host: source.host, port: source.port ?? MSSQL_DEFAULT_PORT, source, partner };
}

/**
 * Which server of each `Data Source` / `Failover Partner` pair answered last, per connection string: SqlClient
 * remembers the partner once it had to fail over, so the next opens (new pooled sessions too) go to it first rather
 * than waiting for the old primary to time out again. Forgotten by `clearAllPools`.
 */
export class FailoverMemory {
  readonly #partnerFirst = new Set<string>();

  /** The pair in the order to try it for `key`. */
  order(key: string, primary: MssqlEndpoint, partner: MssqlEndpoint): [MssqlEndpoint, MssqlEndpoint] {
    return this.#partnerFirst.has(key) ? [partner, primary] : [primary, partner];
  }

  /** Remembers which server answered. */
  remember(key: string, used: MssqlEndpoint): void {
    if (used.partner) this.#partnerFirst.add(key);
    else this.#partnerFirst.delete(key);
  }

  clear(): void {
    this.#partnerFirst.clear();
  }
}

/**
 * Opens a session on the first of `endpoints` that answers, within one `Connect Timeout` budget for both: the first
 * server gets half of what is left (so a server that never answers still leaves time for its partner, as SqlClient
 * splits its login timeout), the last gets what is left minus a small margin, so its own timeout is reported before
 * core's deadline aborts the open. `connect(endpoint, timeoutMs)` opens one session (0 = no timeout).
 * A login the server refused (wrong password, unknown database) is final: the server answered, its partner would
 * not be tried by SqlClient either. Every other failure moves on to the partner.
 * @throws {AllHostsFailedError} (connection_failure, transient) naming each server and why it failed; `errors` keeps
 *   the per-server errors.
 */
export async function openOnFailoverPair<S>(
  endpoints: readonly MssqlEndpoint[],
  connectTimeoutMs: number,
  signal: AbortSignal,
  connect: (endpoint: MssqlEndpoint, timeoutMs: number) => Promise<S>,
): Promise<{ session: S; endpoint: MssqlEndpoint }> {
  const deadline = connectTimeoutMs > 0 ? Date.now() + connectTimeoutMs : Infinity;
  const failures: Array<{ endpoint: MssqlEndpoint; error: Error }> = [];
  for (let index = 0; index < endpoints.length; index += 1) {
    const endpoint = endpoints[index]!;
    if (signal.aborted) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      failures.push({ endpoint, error: new Error('not tried: Connect Timeout was spent on the servers before it') });
      continue;
    }
    const last = index === endpoints.length - 1;
    const slice = deadline === Infinity ? 0 : last ? Math.max(1, left - Math.min(250, left / 10)) : left / 2;
    try {
      return { session: await connect(endpoint, Math.ceil(slice)), endpoint };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (isFinalLoginFailure(failure)) throw failure;
      failures.push({ endpoint, error: failure });
    }
  }
  for (const endpoint of endpoints.slice(failures.length)) {
    failures.push({ endpoint, error: new Error('not tried before the open was aborted') });
  }
  throw new AllHostsFailedError(failures, { providerName: 'mssql' });
}

/** A login the server answered and refused: retrying on its partner would not change the answer. */
function isFinalLoginFailure(error: Error): boolean {
  return error instanceof DbError && error.category === DbErrorCategory.PermissionDenied;
}
