import {
  CommandBehavior,
  CommandType,
  NotSupportedError,
  ParameterDirection,
  hasBehavior,
  type BatchRequest,
  type CommandRequest,
} from '@asyncdb/core';
import { toDbError } from './mssql-error-converter.js';
import { errorRouteOf } from './mssql-error-route.js';
import type { MssqlExecuteHooks } from './mssql-execute.js';
import { addParameters } from './mssql-parameters.js';
import { MssqlResultCursor } from './mssql-result-cursor.js';
import { statementText } from './mssql-statement-text.js';
import {
  createSinkRequest,
  createTediousRequest,
  prepareBatchedRpc,
  type TediousConnection,
  type TediousRpcCall,
} from './mssql-tedious.js';

/**
 * Runs a `DbBatch` in one round trip: one RPC_REQUEST message carrying one RPC per command (a batched RPC, as
 * SqlClient's `SqlBatch` sends it) — `sp_executesql` with the command's own `@name` parameters for Text, the procedure
 * by name for StoredProcedure. A command whose text is only comments sends nothing.
 *
 * Error semantics: SQL Server runs every RPC of the message whatever happened to the ones before it (each is its own
 * batch on the server). The cursor reports the first failure where the reader reaches it and drops the results of
 * the RPCs after it; their work is done all the same, outside a transaction committed (see docs/batching.md).
 * Closing the reader early reads the rest of the response rather than sending ATTENTION, so what ran does not depend
 * on timing; cancel() and timeouts still send ATTENTION, which stops the RPC running and skips the rest.
 *
 * Not offered in a batch (NotSupportedError before anything is sent): Output, InputOutput and ReturnValue parameters
 * (core copies output values back only on the sequential path) and the SchemaOnly / KeyInfo behaviours.
 */
export function startBatch(
  connection: TediousConnection,
  request: CommandRequest,
  batch: BatchRequest,
  hooks: MssqlExecuteHooks,
): MssqlResultCursor {
  if (
    hasBehavior(request.behavior, CommandBehavior.SchemaOnly) ||
    hasBehavior(request.behavior, CommandBehavior.KeyInfo)
  ) {
    throw new NotSupportedError(
      'CommandBehavior.SchemaOnly and KeyInfo are not supported for a DbBatch on SQL Server.',
    );
  }
  const calls: TediousRpcCall[] = [];
  const statements: number[] = [];
  batch.commands.forEach((command, index) => {
    const output = command.parameters.find((parameter) => parameter.direction !== ParameterDirection.Input);
    if (output !== undefined) {
      throw new NotSupportedError(
        `The batch command at index ${index} has the ${output.direction} parameter '@${output.name.replace(/^@/, '')}': a DbBatch on SQL ` +
          'Server returns no output values. Run that command as a DbCommand.',
      );
    }
    const procedure = command.commandType === CommandType.StoredProcedure;
    if (!procedure && command.statements.length === 0) return;
    const holder = createTediousRequest(procedure ? command.commandText : '', () => {});
    addParameters(holder, command.parameters);
    calls.push(
      procedure
        ? { procedure: command.commandText, parameters: holder }
        : { procedure: 'sp_executesql', statement: statementText(command.statements), parameters: holder },
    );
    statements.push(Math.max(command.statements.length, 1));
  });
  // tedious validates every value first: a value it refuses fails here, before anything is sent or listened to.
  let send: ReturnType<typeof prepareBatchedRpc>;
  try {
    send = prepareBatchedRpc(connection, calls);
  } catch (error) {
    throw toDbError(error);
  }
  const sending = calls.length > 0;
  const route = errorRouteOf(connection);
  const sink = createSinkRequest('', (error) => {
    if (route.current === cursor.onErrorMessage) route.current = undefined;
    cursor.complete(error);
  });
  const cursor = new MssqlResultCursor({
    cancel: () => connection.cancel(),
    cancellation: request.cancellation,
    drainOnClose: true,
    parameterNames: NO_NAMES,
    onFatal: hooks.onFatal,
    onEnded: sending ? hooks.onEnded : undefined,
    batchStatements: statements,
  });
  sink.sink = cursor;
  cursor.attach(sink);
  if (!sending) {
    // Only comments: nothing to send, and no result.
    cursor.complete(undefined);
    return cursor;
  }
  route.current = cursor.onErrorMessage;
  hooks.onStarted?.();
  send(sink);
  return cursor;
}

const NO_NAMES: readonly string[] = Object.freeze([]);
