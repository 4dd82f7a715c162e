import type { ConnectionInternals } from '../contracts/db-connection.js';
import type { DbTraceContext } from '../diagnostics/tracing-channels.js';
import type { CommandRequest, ResultCursor } from '../providers/provider-spi.js';
import type { CommandRequestInput } from './build-command-request.js';

/**
 * What `DbBatch` changes in the execution of the command it runs on: how the request is built, how its cursor is
 * opened, and the trace attributes. Everything else — the ADO.NET checks, the APM layer, timeouts, cancellation,
 * the reader and the busy-connection rules — stays the command's own, so a batch cannot get them wrong.
 * @internal
 */
export interface CommandExecutionHooks {
  /** Builds the request instead of `buildCommandRequest` (called at the same point, synchronously). */
  buildRequest(input: CommandRequestInput): CommandRequest;
  /** Opens the cursor instead of `internals.execute(request)`. */
  openCursor(internals: ConnectionInternals, request: CommandRequest): Promise<ResultCursor>;
  /** Adds attributes to the command's trace context. */
  traceContext(context: DbTraceContext): DbTraceContext;
}
