import {
  CommandBehavior,
  CommandType,
  ParameterDirection,
  hasBehavior,
  type AsyncDbError,
  type CommandRequest,
  type ResultCursor,
  type ResultSetHeader,
} from '@asyncdb/core';
import { describeFirstResultSet, describedToDbColumn, type DescribedColumn } from './mssql-describe.js';
import { startBatch } from './mssql-batch.js';
import { errorRouteOf } from './mssql-error-route.js';
import { addParameters, sendsParameters } from './mssql-parameters.js';
import { MssqlResultCursor } from './mssql-result-cursor.js';
import { statementText } from './mssql-statement-text.js';
import { createSinkRequest, type TediousConnection } from './mssql-tedious.js';

/** Results known without running anything: headers without rows. */
function schemaOnlyCursor(headers: readonly ResultSetHeader[]): ResultCursor {
  let next = 0;
  return {
    nextResult: () => Promise.resolve(headers[next++] ?? null),
    fetch: () => Promise.resolve([]),
    recordsAffected: -1,
    close: () => Promise.resolve(),
  };
}

/** A command that had nothing to run (its text held only comments): no results. */
const EMPTY_CURSOR: ResultCursor = Object.freeze(schemaOnlyCursor([]));

/** What the connection running a command wants to hear about it. */
export interface MssqlExecuteHooks {
  /** The session is gone (see `MssqlCursorOptions.onFatal`). */
  readonly onFatal?: ((error: AsyncDbError) => void) | undefined;
  /** A request was sent for the command (not called for commands that send nothing or fail before sending). */
  readonly onStarted?: (() => void) | undefined;
  /** That request completed (see `MssqlCursorOptions.onEnded`). */
  readonly onEnded?: ((fatal: boolean) => void) | undefined;
}

/**
 * Starts a command on a tedious connection and returns its cursor at once (the rows stream in as it is read).
 * - `StoredProcedure` → an RPC of the procedure by name (`callProcedure`), with Input/Output/InputOutput parameters;
 *   the RETURN status goes to the ReturnValue parameter.
 * - `Text` with parameters → `sp_executesql` (`execSql`), declaring every parameter of the command, as SqlClient does.
 * - `Text` without parameters → a plain SQL batch (`execSqlBatch`), so `#temp` tables and `SET` options it creates
 *   outlive the command, as with SqlClient.
 * A batch of several statements runs as one request and yields one result per statement.
 * `CommandBehavior.SchemaOnly` runs nothing: the server describes the first result set. `CommandBehavior.KeyInfo`
 * asks for that description before running the command, for key columns (see `mssql-describe.ts`).
 *
 * Only those two behaviours wait for the server before the command starts; every other command is sent
 * synchronously, so a round trip pays for no async step of its own here.
 */
export function executeOnConnection(
  connection: TediousConnection,
  request: CommandRequest,
  hooks: MssqlExecuteHooks = {},
): Promise<MssqlResultCursor | ResultCursor> {
  try {
    if (request.cancellation.aborted) throw new Error('The command was aborted.');
    if (request.batch !== undefined) return Promise.resolve(startBatch(connection, request, request.batch, hooks));
    const procedure = request.commandType === CommandType.StoredProcedure;
    if (!procedure && request.statements.length === 0) return Promise.resolve(EMPTY_CURSOR);
    const text = procedure ? request.commandText : statementText(request.statements);
    if (!procedure && hasBehavior(request.behavior, CommandBehavior.SchemaOnly)) {
      return describeFirstResultSet(connection, text, request.parameters, request.signal).then((described) =>
        schemaOnlyCursor(described.length === 0 ? [] : [{ columns: described.map(describedToDbColumn) }]),
      );
    }
    if (!procedure && hasBehavior(request.behavior, CommandBehavior.KeyInfo)) {
      // Without a description the command still runs, only without key information (as with a server that has none).
      return describeFirstResultSet(connection, text, request.parameters, request.signal).then(
        (keyInfo) => startRequest(connection, request, text, procedure, hooks, keyInfo),
        () => startRequest(connection, request, text, procedure, hooks, undefined),
      );
    }
    return Promise.resolve(startRequest(connection, request, text, procedure, hooks, undefined));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** Creates the tedious request, its cursor, and sends it. */
function startRequest(
  connection: TediousConnection,
  request: CommandRequest,
  text: string,
  procedure: boolean,
  hooks: MssqlExecuteHooks,
  keyInfo: readonly DescribedColumn[] | undefined,
): MssqlResultCursor {
  if (request.cancellation.aborted) throw new Error('The command was aborted.');
  const { parameters } = request;
  const route = errorRouteOf(connection);
  const tediousRequest = createSinkRequest(text, (error) => {
    if (route.current === cursor.onErrorMessage) route.current = undefined;
    cursor.complete(error);
  });
  let returnValueName: string | undefined;
  let drainOnClose = false;
  if (parameters.length > 0) {
    // Parameters are mapped first: a value that cannot be sent fails here, before anything is sent or listened to.
    addParameters(tediousRequest, parameters);
    drainOnClose = parameters.some((parameter) => parameter.direction !== ParameterDirection.Input);
    if (procedure)
      returnValueName = parameters.find((parameter) => parameter.direction === ParameterDirection.ReturnValue)?.name;
  }
  const cursor = new MssqlResultCursor({
    cancel: () => connection.cancel(),
    cancellation: request.cancellation,
    drainOnClose,
    parameterNames: parameters.length > 0 ? parameters.map((parameter) => parameter.name) : NO_NAMES,
    returnValueName,
    keyInfo,
    onFatal: hooks.onFatal,
    onEnded: hooks.onEnded,
  });
  tediousRequest.sink = cursor;
  cursor.attach(tediousRequest);
  route.current = cursor.onErrorMessage;
  hooks.onStarted?.();
  if (procedure) connection.callProcedure(tediousRequest);
  else if (sendsParameters(parameters)) connection.execSql(tediousRequest);
  else connection.execSqlBatch(tediousRequest);
  return cursor;
}

const NO_NAMES: readonly string[] = Object.freeze([]);
