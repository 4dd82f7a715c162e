import { DbError, DbErrorCategory } from '../errors/errors.js';
import { formatEndpoint, type HostEndpoint } from './host-endpoint.js';

/** Why one host of a multi-host data source gave no usable session. */
export interface HostFailure {
  readonly endpoint: HostEndpoint;
  /** The connect error, or an error saying the server had the wrong role or was skipped as down. */
  readonly error: Error;
}

/**
 * An open of a multi-host data source found no usable host: every host failed to connect, was skipped as down, or had
 * the wrong role for `Target Session Attributes`. Category `connection_failure` (transient). The message names each
 * host and why; {@link errors} keeps the per-host errors (the provider's own `DbError`s, passwords already removed),
 * and `cause` is an `AggregateError` of them.
 */
export class AllHostsFailedError extends DbError {
  /** One entry per host, in the order they were considered. */
  readonly hostFailures: readonly HostFailure[];
  /** The per-host errors, in the same order. */
  readonly errors: readonly Error[];

  constructor(failures: readonly HostFailure[], options: { readonly providerName: string; readonly target?: string }) {
    const detail = failures.map(({ endpoint, error }) => `${formatEndpoint(endpoint)}: ${error.message}`).join('; ');
    const wanted = options.target && options.target !== 'any' ? ` (Target Session Attributes=${options.target})` : '';
    const errors = failures.map((failure) => failure.error);
    super(`Could not open a connection on any of the ${failures.length} hosts${wanted}. ${detail}`, {
      category: DbErrorCategory.ConnectionFailure,
      isTransient: true,
      providerName: options.providerName,
      cause: new AggregateError(errors, 'Every host failed.'),
    });
    this.hostFailures = Object.freeze([...failures]);
    this.errors = Object.freeze(errors);
  }
}
