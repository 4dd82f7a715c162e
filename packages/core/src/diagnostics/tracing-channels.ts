import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The context object published on every asyncdb tracing channel, with OpenTelemetry database semantic-convention
 * attribute names. Parameter values are never included.
 */
export interface DbTraceContext {
  readonly 'db.system': string;
  readonly 'db.namespace': string;
  readonly 'server.address': string;
  /** The server's port, when the provider reports it (multi-host data sources always do). */
  readonly 'server.port'?: number;
  /** The command text as written (commands only). */
  readonly 'db.query.text'?: string;
  /** The number of commands, when the operation runs a `DbBatch` (whose `db.query.text` joins their texts with `; `). */
  readonly 'db.operation.batch.size'?: number;
  /** `executeReader`, `executeNonQuery`, `open`, `commit`, … */
  readonly 'db.operation.name': string;
  /** The provider invariant name (`pg`, `mysql`, `mssql`, …). */
  readonly 'asyncdb.provider': string;
  /**
   * Set before `asyncEnd`: the rows affected when the operation resolves a count (`executeNonQuery`), else undefined.
   * Query results never appear here (Node's own `tracePromise` would publish them, so asyncdb publishes by hand).
   */
  result?: number | undefined;
  /** Set before `error`: the error the operation failed with. */
  error?: unknown;
}

/** Commands: `executeReader` (until the reader is returned), `executeNonQuery`, `executeScalar`, `executeXmlReader`. */
export const commandChannel = diagnosticsChannel.tracingChannel<unknown, DbTraceContext>('asyncdb:command');
/** Opening a connection (including the wait for a pooled connection). */
export const connectionOpenChannel = diagnosticsChannel.tracingChannel<unknown, DbTraceContext>(
  'asyncdb:connection:open',
);
/** Transactions: begin, commit, rollback, savepoints. */
export const transactionChannel = diagnosticsChannel.tracingChannel<unknown, DbTraceContext>('asyncdb:transaction');

/** The channel names, for subscribers. */
export const TRACING_CHANNEL_NAMES = Object.freeze({
  command: 'asyncdb:command',
  connectionOpen: 'asyncdb:connection:open',
  transaction: 'asyncdb:transaction',
});

/**
 * Runs `operation` inside a tracing channel when anyone subscribes, and runs it bare otherwise (no cost for
 * applications that do not trace).
 * @internal
 */
export function traced<T>(
  channel: diagnosticsChannel.TracingChannel<unknown, DbTraceContext>,
  context: () => DbTraceContext,
  operation: () => Promise<T>,
): Promise<T> {
  if (!channel.hasSubscribers) return operation();
  const ctx = context();
  return channel.start.runStores(ctx, () => {
    let promise: Promise<T>;
    try {
      promise = operation();
    } catch (error) {
      ctx.error = error;
      channel.error.publish(ctx);
      channel.end.publish(ctx);
      throw error;
    }
    channel.end.publish(ctx);
    return promise.then(
      (result) => {
        // Only a count is published: a scalar or a reader could carry the data itself.
        ctx.result = typeof result === 'number' ? result : undefined;
        channel.asyncStart.publish(ctx);
        channel.asyncEnd.publish(ctx);
        return result;
      },
      (error: unknown) => {
        ctx.error = error;
        channel.error.publish(ctx);
        channel.asyncStart.publish(ctx);
        channel.asyncEnd.publish(ctx);
        throw error;
      },
    );
  });
}
