import type { PgPipelineEntry } from './pg-pipeline-entry.js';
import type { PgMultiplexer } from './pg-multiplexer.js';
import type { PgPipelineSession } from './pg-pipeline-session.js';

/** Where a logical connection's commands go: any session of the multiplexer, or the session its transaction holds. */
export interface PgMuxRoute {
  submit(entry: PgPipelineEntry): void;
  /** True when the entry was taken back before anything of it was written. */
  withdraw(entry: PgPipelineEntry): boolean;
  /** The cache of catalog types shared by the commands of this route (keyed by the multiplexer). */
  readonly typeCacheKey: object;
}

/** Commands shared over the multiplexer's sessions. */
export function multiplexerRoute(multiplexer: PgMultiplexer): PgMuxRoute {
  return {
    submit: (entry) => multiplexer.submit(entry),
    withdraw: (entry) => multiplexer.withdraw(entry),
    typeCacheKey: multiplexer,
  };
}

/** Commands of a transaction, on the session it holds. */
export function boundRoute(multiplexer: PgMultiplexer, session: PgPipelineSession): PgMuxRoute {
  return {
    submit: (entry) => session.enqueue(entry),
    withdraw: (entry) => session.withdraw(entry),
    typeCacheKey: multiplexer,
  };
}
