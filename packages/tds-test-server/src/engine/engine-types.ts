/**
 * The seam between the TDS wire layer (`src/protocol`, `src/server`) and the engine that runs T-SQL
 * on PostgreSQL (`src/engine`). The wire layer decodes requests into these shapes and encodes the
 * events back into TDS tokens; the engine never sees bytes, the wire layer never sees SQL.
 */

/** The SQL Server types the test server can describe in COLMETADATA and RETURNVALUE tokens. */
export type TdsTypeName =
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'bit'
  | 'real'
  | 'float'
  | 'decimal'
  | 'numeric'
  | 'money'
  | 'nvarchar'
  | 'varchar'
  | 'nchar'
  | 'char'
  | 'varbinary'
  | 'binary'
  | 'date'
  | 'time'
  | 'datetime'
  | 'datetime2'
  | 'datetimeoffset'
  | 'uniqueidentifier'
  | 'xml';

/** A column (or a typed parameter) as SQL Server would describe it. */
export interface TdsColumn {
  readonly name: string;
  readonly type: TdsTypeName;
  /** Characters for (n)var/char, bytes for var/binary; -1 for MAX. */
  readonly length?: number;
  /** decimal/numeric precision. */
  readonly precision?: number;
  /** decimal/numeric scale; fractional-second digits (0–7) for time/datetime2/datetimeoffset. */
  readonly scale?: number;
  readonly nullable: boolean;
  /** True for IDENTITY columns. */
  readonly identity?: boolean;
}

/**
 * A value crossing the seam. Integers up to 32 bits are numbers, bigint is `bigint`, decimal/numeric/money
 * are exact decimal strings, date is 'YYYY-MM-DD', time is 'HH:MM:SS[.fffffff]', datetime/datetime2 are
 * `Date` (UTC), datetimeoffset is `{ date: Date; offsetMinutes: number }`, uniqueidentifier is a string,
 * binary is a Buffer, bit is boolean, xml and text are strings, NULL is null.
 */
export type TdsValue =
  | null
  | number
  | bigint
  | boolean
  | string
  | Buffer
  | Date
  | { readonly date: Date; readonly offsetMinutes: number };

/** One parameter of an RPC request, decoded from the wire. */
export interface RpcParameter {
  /** With the leading '@', as sent ('' for positional parameters). */
  readonly name: string;
  readonly type: TdsColumn;
  readonly value: TdsValue;
  /** True when the client marked the parameter as an OUTPUT (by-reference) parameter. */
  readonly output: boolean;
}

/** A message the server reports (ERROR or INFO token). */
export interface TdsMessage {
  /** SQL Server error number (e.g. 2627, 547, 208, 18456, 50000 for RAISERROR with text). */
  readonly number: number;
  readonly state: number;
  /**
   * Severity: 0–10 is an INFO token, 11 and above an ERROR token. 20 and above is fatal, as in SQL Server: the
   * wire layer sends it and then closes the connection (the engine reports a session whose PostgreSQL backend
   * was killed or lost this way, error 596 severity 21).
   */
  readonly severity: number;
  readonly message: string;
  readonly procName?: string;
  readonly lineNumber?: number;
}

/**
 * What executing a batch or an RPC produces, in order. The wire layer turns each event into TDS tokens:
 * `columns` → COLMETADATA, `row` → ROW/NBCROW, `done` → DONE (or DONEINPROC inside an RPC / DONEPROC at the end
 * of an RPC), `message` → ERROR or INFO, `returnValue` → RETURNVALUE, `returnStatus` → RETURNSTATUS,
 * `transaction` → ENVCHANGE begin/commit/rollback transaction, `database` → ENVCHANGE database.
 *
 * DONE bookkeeping is the wire layer's: it sets MORE on every DONE but the last of a response, and it ends
 * every RPC with a DONEPROC of its own (ERROR bit if any error was reported). So the engine emits one `done`
 * per statement and none for the RPC call itself; inside an RPC each `done` becomes a DONEINPROC. An
 * iterable that throws ends the response with ERROR (the TdsEngineError's message, else error 50000) and
 * DONE with the ERROR bit.
 */
export type EngineEvent =
  | { readonly kind: 'columns'; readonly columns: readonly TdsColumn[] }
  | { readonly kind: 'row'; readonly values: readonly TdsValue[] }
  | { readonly kind: 'done'; readonly rowCount: number | null; readonly error?: boolean }
  | { readonly kind: 'message'; readonly message: TdsMessage }
  | { readonly kind: 'returnValue'; readonly ordinal: number; readonly name: string; readonly type: TdsColumn; readonly value: TdsValue }
  | { readonly kind: 'returnStatus'; readonly value: number }
  | { readonly kind: 'transaction'; readonly change: 'begin' | 'commit' | 'rollback'; readonly descriptor: Buffer }
  | { readonly kind: 'database'; readonly name: string };

/** Isolation levels a TRANSACTION_MANAGER begin request (or SET TRANSACTION ISOLATION LEVEL) can ask for. */
export type TdsIsolationLevel = 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable' | 'snapshot';

/** A transaction-manager request (MS-TDS 2.2.6.9), decoded. */
export type TransactionRequest =
  | { readonly kind: 'begin'; readonly isolationLevel?: TdsIsolationLevel; readonly name?: string }
  | { readonly kind: 'commit'; readonly name?: string; readonly beginNew?: boolean }
  | { readonly kind: 'rollback'; readonly name?: string; readonly beginNew?: boolean }
  | { readonly kind: 'save'; readonly name: string };

/** What the engine learns at login. */
export interface LoginInfo {
  readonly userName: string;
  readonly database: string;
  readonly appName: string;
  readonly hostName: string;
}

/**
 * One T-SQL session, backed by one PostgreSQL session. The wire layer creates one per TDS connection
 * after LOGIN7 succeeds, and pulls events as fast as the socket drains (so streaming stays bounded).
 */
export interface TdsSession {
  /** The SPID the server reports (the PostgreSQL backend pid). */
  readonly spid: number;
  /** The current database name. */
  readonly database: string;
  /** Runs a SQL_BATCH. Aborting `signal` (ATTENTION) cancels the running statement on PostgreSQL. */
  executeBatch(sql: string, signal: AbortSignal): AsyncIterable<EngineEvent>;
  /** Runs an RPC: `sp_executesql`, `sp_prepare`, `sp_execute`, `sp_unprepare`, `sp_reset_connection`, or a user procedure. */
  executeRpc(procName: string, parameters: readonly RpcParameter[], signal: AbortSignal): AsyncIterable<EngineEvent>;
  /** Runs a TRANSACTION_MANAGER request. */
  executeTransaction(request: TransactionRequest, signal: AbortSignal): AsyncIterable<EngineEvent>;
  /** Resets session state (RESETCONNECTION flag / sp_reset_connection): rolls back, resets SET options and temp objects. */
  reset(): Promise<void>;
  /** Ends the PostgreSQL session. */
  close(): Promise<void>;
  /**
   * Optional: settles when the session can no longer serve requests because its PostgreSQL backend went away
   * (KILL from another session, server shutdown); not when `close()` ends it. The wire layer then closes the
   * connection, as SQL Server closes the socket of a killed session, so clients and pools see it at once.
   */
  readonly ended?: Promise<void>;
}

/** Creates sessions; the server holds one. */
export interface TdsEngine {
  /** Checks the credentials and opens a PostgreSQL session; rejects with a TdsMessage-carrying error (18456) on bad login. */
  openSession(login: LoginInfo & { readonly password: string }): Promise<TdsSession>;
  /** The version string `@@VERSION` and LOGINACK report. */
  readonly serverVersion: string;
}

/** Thrown by the engine when a login or request fails with a SQL Server error. */
export class TdsEngineError extends Error {
  constructor(readonly tdsMessage: TdsMessage) {
    super(tdsMessage.message);
    this.name = 'TdsEngineError';
  }
}
