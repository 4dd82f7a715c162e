import {
  CommandBehavior,
  CommandType,
  DbError,
  DbErrorCategory,
  hasBehavior,
  ParameterDirection,
  type AsyncDbError,
  type CommandRequest,
  type OneShotKind,
  type OneShotResult,
} from '@asyncdb/core';
import { toDbError } from './mssql-error-converter.js';
import { errorRouteOf } from './mssql-error-route.js';
import { statementText } from './mssql-statement-text.js';
import type { MssqlExecuteHooks } from './mssql-execute.js';
import { addParameters, sendsParameters } from './mssql-parameters.js';
import {
  createSinkRequest,
  type TediousColumnMetadata,
  type TediousColumnValue,
  type TediousConnection,
  type TediousMessageToken,
  type TediousRequestSink,
} from './mssql-tedious.js';
import { valueConverterFor, type MssqlValueConverter } from './mssql-values.js';

/**
 * `executeScalar` / `executeNonQuery` of a plain text command in one promise: the request's tokens go straight to a
 * sink that keeps what the result needs — the first value of the first result with columns, the DML counts, the first
 * error — and the promise settles once tedious completed the request (the session is idle). No cursor, no token
 * queue, no reader-side waits: core's `runCursorOnce` over the cursor cost about a dozen promises per `SELECT 1`.
 *
 * The outcome is the reader path's (docs/writing-a-provider.md, one-shot): every statement runs, the first ERROR
 * token in stream order rejects (after the request completed), rows of other results are converted and dropped (a
 * value that cannot be converted fails the command where the reader would), a cancel (ATTENTION) rejects with
 * tedious' cancellation once the server acknowledged it, and a connection failure reaches `onFatal` before the
 * caller sees it.
 *
 * Returns undefined — core then takes the cursor path — for what this sink does not model: stored procedures, output
 * or return-value parameters, batches, SchemaOnly/KeyInfo, and text without statements.
 */
export function executeOnce(
  connection: TediousConnection,
  request: CommandRequest,
  kind: OneShotKind,
  hooks: MssqlExecuteHooks,
): Promise<OneShotResult> | undefined {
  if (
    request.batch !== undefined ||
    request.commandType === CommandType.StoredProcedure ||
    request.statements.length === 0 ||
    hasBehavior(request.behavior, CommandBehavior.SchemaOnly) ||
    hasBehavior(request.behavior, CommandBehavior.KeyInfo) ||
    request.cancellation.aborted
  ) {
    return undefined;
  }
  const { parameters } = request;
  for (const parameter of parameters) if (parameter.direction !== ParameterDirection.Input) return undefined;
  const text = statementText(request.statements);
  return new Promise<OneShotResult>((resolve, reject) => {
    const sink = new OneShotSink(kind, resolve, reject, hooks, () => connection.cancel());
    const route = errorRouteOf(connection);
    const tediousRequest = createSinkRequest(text, (error) => {
      if (route.current === sink.onErrorMessage) route.current = undefined;
      sink.complete(error);
    });
    // Parameters are mapped first: a value that cannot be sent fails here, before anything is sent or listened to.
    if (parameters.length > 0) addParameters(tediousRequest, parameters);
    tediousRequest.sink = sink;
    route.current = sink.onErrorMessage;
    request.cancellation.onAbort(sink.onAbort);
    hooks.onStarted?.();
    if (sendsParameters(parameters)) connection.execSql(tediousRequest);
    else connection.execSqlBatch(tediousRequest);
  });
}

/** Keeps what a one-shot result needs from a request's tokens (see {@link executeOnce}). */
class OneShotSink implements TediousRequestSink {
  #converters: MssqlValueConverter[] = Array();
  /** The first result with columns was seen (its first row, if any, holds the value). */
  #found = false;
  /** Rows of the current result are the first result's (the value comes from the first of them). */
  #inFirst = false;
  #value: unknown;
  #afterColumns = false;
  #recordsAffected = -1;
  #error: AsyncDbError | undefined;
  #fatal: AsyncDbError | undefined;
  #cancelRequested = false;
  #ended = false;

  constructor(
    private readonly kind: OneShotKind,
    private readonly resolve: (result: OneShotResult) => void,
    private readonly reject: (error: unknown) => void,
    private readonly hooks: MssqlExecuteHooks,
    private readonly cancel: () => void,
  ) {}

  onColumnMetadata(columns: readonly TediousColumnMetadata[]): void {
    this.#converters = columns.map(valueConverterFor);
    this.#afterColumns = true;
    this.#inFirst = !this.#found;
    this.#found = true;
  }

  onRow(columns: readonly TediousColumnValue[]): void {
    if (this.#error !== undefined || this.#cancelRequested) return;
    const converters = this.#converters;
    try {
      let first: unknown;
      for (let index = 0; index < columns.length; index += 1) {
        const raw = columns[index]!.value;
        const convert = converters[index];
        const value = convert === undefined ? raw : convert(raw);
        if (index === 0) first = value;
      }
      if (this.#inFirst) {
        this.#inFirst = false;
        if (this.kind === 'scalar') this.#value = first;
      }
    } catch (error) {
      this.#error = toDbError(error);
    }
  }

  onDone(rowCount: number | undefined): void {
    this.#inFirst = false;
    if (this.#afterColumns) {
      this.#afterColumns = false;
      return;
    }
    // A DONE outside a result set ends a statement; with a count it was DML (or a SELECT assignment).
    if (rowCount !== undefined && this.#error === undefined) {
      this.#recordsAffected = Math.max(this.#recordsAffected, 0) + rowCount;
    }
  }

  onDoneProc(): void {}

  onReturnValue(): void {}

  readonly onErrorMessage = (token: TediousMessageToken): void => {
    if (this.#ended || this.#cancelRequested) return;
    const error = toDbError({ ...token, code: 'EREQUEST' });
    this.#noteFatal(error);
    this.#error ??= error;
  };

  readonly onAbort = (): void => {
    if (this.#ended || this.#cancelRequested) return;
    this.#cancelRequested = true;
    this.cancel();
  };

  complete(error: Error | null | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error) this.#noteFatal(toDbError(error));
    this.hooks.onEnded?.(this.#fatal !== undefined);
    const fatal = this.#fatal;
    if (fatal !== undefined) {
      // As the cursor path does (its close reports the loss after the reader had the error): let the socket's own
      // end reach the session first, so the connection is Broken with what the network said (ESOCKET, 08S01) and
      // only then with this request's view of it.
      setImmediate(() => {
        this.hooks.onFatal?.(fatal);
        this.#settle(error);
      });
      return;
    }
    this.#settle(error);
  }

  #settle(error: Error | null | undefined): void {
    if (this.#cancelRequested) {
      this.reject(toDbError(error ?? new Error('The command was cancelled.')));
    } else if (this.#error !== undefined) {
      this.reject(this.#error);
    } else if (error) {
      this.reject(toDbError(error));
    } else {
      this.resolve({ value: this.#value, recordsAffected: this.#recordsAffected });
    }
  }

  #noteFatal(error: AsyncDbError): void {
    if (error instanceof DbError && error.category === DbErrorCategory.ConnectionFailure) this.#fatal ??= error;
  }
}
