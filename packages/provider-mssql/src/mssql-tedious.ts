import { Connection, ISOLATION_LEVEL, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import type { DataType } from 'tedious/lib/data-type.js';

/**
 * The slice of tedious this provider uses, as narrow structural interfaces (kysely's `mssql-dialect-config.ts` idea):
 * the rest of the provider is written against these, so unit tests drive it with small fakes and a tedious upgrade
 * shows up here, in one file. We use tedious directly rather than node-mssql: tedious gives `pause()`/`resume()` and
 * `cancel()` (TDS ATTENTION) on the request we hold, which node-mssql's streaming layer does not pass through reliably.
 */

/** One column as tedious describes it in a COLMETADATA token (`colName`, `type.name`, lengths, flags). */
export interface TediousColumnMetadata {
  readonly colName: string;
  readonly type: { readonly name: string; readonly id?: number };
  readonly flags: number;
  /** Bytes for (n)var/char and var/binary (0xFFFF = MAX, absent for fixed types). */
  readonly dataLength?: number | undefined;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
  readonly tableName?: string | readonly string[] | undefined;
  readonly udtInfo?: { readonly typeName?: string } | undefined;
}

/** One value of a ROW token (tedious' default `useColumnNames: false` shape). */
export interface TediousColumnValue {
  readonly value: unknown;
  readonly metadata: TediousColumnMetadata;
}

/** An ERROR or INFO token. */
export interface TediousMessageToken {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  readonly message: string;
  readonly serverName?: string;
  readonly procName?: string;
  readonly lineNumber?: number;
}

/** The request events the provider listens to. */
export interface TediousRequestEvents {
  columnMetadata: [columns: readonly TediousColumnMetadata[]];
  row: [columns: readonly TediousColumnValue[]];
  done: [rowCount: number | undefined, more: boolean];
  doneInProc: [rowCount: number | undefined, more: boolean];
  doneProc: [rowCount: number | undefined, more: boolean, returnStatus?: number];
  returnValue: [parameterName: string, value: unknown, metadata: TediousColumnMetadata];
}

/** A tedious `Request`: parameters, events, and flow control. */
export interface TediousRequest {
  on<E extends keyof TediousRequestEvents>(event: E, listener: (...args: TediousRequestEvents[E]) => void): unknown;
  addParameter(name: string, type: DataType, value?: unknown, options?: TediousParameterOptions): void;
  addOutputParameter(name: string, type: DataType, value?: unknown, options?: TediousParameterOptions): void;
  /** Stops parsing tokens (and so reading the socket) until `resume()`. */
  pause(): void;
  resume(): void;
}

/** Length, precision and scale of a parameter. */
export interface TediousParameterOptions {
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** Called once per request: with tedious' error (ECANCEL after an acknowledged ATTENTION) or without. */
export type TediousCompletion = (error: Error | null | undefined) => void;

/** The connection events the provider listens to. */
export interface TediousConnectionEvents {
  infoMessage: [token: TediousMessageToken];
  errorMessage: [token: TediousMessageToken];
  databaseChange: [database: string];
  end: [];
  error: [error: Error];
}

/** A tedious `Connection`: one physical TDS session. */
export interface TediousConnection {
  connect(callback: (error?: Error) => void): void;
  close(): void;
  /** RPC `sp_executesql` with the request's parameters. */
  execSql(request: TediousRequest): void;
  /** A SQL_BATCH (no parameters). */
  execSqlBatch(request: TediousRequest): void;
  /** RPC of a stored procedure by name. */
  callProcedure(request: TediousRequest): void;
  /** Sends ATTENTION for the running request; its completion then reports ECANCEL once the server acknowledged. */
  cancel(): boolean;
  /** Runs tedious' initial SQL with the RESETCONNECTION flag (sp_reset_connection semantics). */
  reset(callback: (error?: Error | null) => void): void;
  beginTransaction(callback: (error?: Error | null) => void, name?: string, isolationLevel?: number): void;
  commitTransaction(callback: (error?: Error | null) => void, name?: string): void;
  rollbackTransaction(callback: (error?: Error | null) => void, name?: string): void;
  saveTransaction(callback: (error?: Error | null) => void, name: string): void;
  on<E extends keyof TediousConnectionEvents>(event: E, listener: (...args: TediousConnectionEvents[E]) => void): unknown;
  off<E extends keyof TediousConnectionEvents>(event: E, listener: (...args: TediousConnectionEvents[E]) => void): unknown;
  /** True once the connection ended. */
  readonly closed: boolean;
  /** True while the server reports an open transaction (ENVCHANGE begin/commit/rollback). */
  readonly inTransaction: boolean;
  /** tedious' resolved options; the object its token parser hands to the value parser. */
  readonly config: { readonly options: object };
}

/** tedious' isolation level codes. */
export const TEDIOUS_ISOLATION_LEVEL = ISOLATION_LEVEL;

/** tedious' data types (parameter types). */
export const TEDIOUS_TYPES = TYPES;

export type { ConnectionConfiguration as TediousConnectionConfiguration, DataType as TediousDataType };

/** Creates a tedious connection (not yet connected). */
export function createTediousConnection(config: ConnectionConfiguration): TediousConnection {
  return new Connection(config) as unknown as TediousConnection;
}

/** Creates a tedious request for SQL text or a procedure name. */
export function createTediousRequest(sqlOrProcedure: string, completion: TediousCompletion): TediousRequest {
  return new Request(sqlOrProcedure, (error) => completion(error)) as unknown as TediousRequest;
}
