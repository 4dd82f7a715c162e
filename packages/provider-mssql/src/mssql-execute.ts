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
import { describeFirstResultSet, describedToDbColumn } from './mssql-describe.js';
import { addParameters, sendsParameters } from './mssql-parameters.js';
import { MssqlResultCursor } from './mssql-result-cursor.js';
import { createTediousRequest, type TediousConnection, type TediousMessageToken } from './mssql-tedious.js';

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
 */
export async function executeOnConnection(
  connection: TediousConnection,
  request: CommandRequest,
  onFatal?: (error: AsyncDbError) => void,
): Promise<MssqlResultCursor | ResultCursor> {
  request.signal.throwIfAborted();
  const procedure = request.commandType === CommandType.StoredProcedure;
  const text = procedure ? request.commandText : request.statements.map((statement) => statement.text).join(';\n');
  if (!procedure && request.statements.length === 0) return EMPTY_CURSOR;
  if (!procedure && hasBehavior(request.behavior, CommandBehavior.SchemaOnly)) {
    const described = await describeFirstResultSet(connection, text, request.parameters, request.signal);
    return schemaOnlyCursor(described.length === 0 ? [] : [{ columns: described.map(describedToDbColumn) }]);
  }
  // Without a description the command still runs, only without key information (as with a server that has none).
  const keyInfo =
    !procedure && hasBehavior(request.behavior, CommandBehavior.KeyInfo)
      ? await describeFirstResultSet(connection, text, request.parameters, request.signal).catch(() => undefined)
      : undefined;
  request.signal.throwIfAborted();
  // Parameters are mapped first: a value that cannot be sent fails here, before anything is sent or listened to.
  const tediousRequest = createTediousRequest(text, (error) => {
    connection.off('errorMessage', onErrorMessage);
    cursor.complete(error);
  });
  addParameters(tediousRequest, request.parameters);
  const returnValue = request.parameters.find((parameter) => parameter.direction === ParameterDirection.ReturnValue);
  const cursor = new MssqlResultCursor({
    cancel: () => connection.cancel(),
    signal: request.signal,
    drainOnClose: request.parameters.some((parameter) => parameter.direction !== ParameterDirection.Input),
    parameterNames: request.parameters.map((parameter) => parameter.name),
    returnValueName: procedure ? returnValue?.name : undefined,
    keyInfo,
    onFatal,
  });
  const onErrorMessage = (token: TediousMessageToken): void => cursor.onErrorMessage(token);
  cursor.attach(tediousRequest);
  connection.on('errorMessage', onErrorMessage);
  if (procedure) connection.callProcedure(tediousRequest);
  else if (sendsParameters(request.parameters)) connection.execSql(tediousRequest);
  else connection.execSqlBatch(tediousRequest);
  return cursor;
}
