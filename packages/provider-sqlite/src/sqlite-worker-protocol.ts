/**
 * The messages between a connection (main thread) and the worker thread that owns its SQLite handle.
 * Values cross as structured clones: bigint, number, string, Uint8Array and null.
 * @internal
 */

/** How the worker opens the database. */
export interface OpenRequest {
  readonly op: 'open';
  readonly path: string;
  readonly readonly: boolean;
  readonly fileMustExist: boolean;
  /** The busy timeout in milliseconds (`Default Timeout`). */
  readonly busyTimeoutMs: number;
  /** The encryption key (`Password`), or '' for none. Never echoed back. */
  readonly encryptionKey: string;
  /** Statements run once after opening (`PRAGMA foreign_keys = 1`). */
  readonly setup: readonly string[];
  /** PRAGMAs whose values after `setup` the worker remembers, for `reset` to put back. */
  readonly restoredPragmas: readonly string[];
}

/** Runs one statement; binds `parameters` to its `?` markers in order, and answers with the first batch of rows. */
export interface ExecuteRequest {
  readonly op: 'execute';
  readonly sql: string;
  readonly parameters: readonly SqliteValue[];
  readonly maxRows: number;
  /** Describe the columns without running the statement (`CommandBehavior.SchemaOnly`). */
  readonly schemaOnly: boolean;
  /** Look up which columns are (part of) the primary key (`CommandBehavior.KeyInfo`). */
  readonly keyInfo: boolean;
}

/** The next batch of rows of the statement whose execution left rows unread. */
export interface FetchRequest {
  readonly op: 'fetch';
  readonly maxRows: number;
}

/** Ends the statement whose rows are still unread, so it holds no lock. */
export interface CloseCursorRequest {
  readonly op: 'closeCursor';
}

/**
 * Makes the connection as it was after `open`, for the next user of a pooled session: ends a statement left running,
 * rolls back an open transaction, detaches attached databases, drops temp tables, views and triggers, and puts back
 * every remembered PRAGMA that differs (and `case_sensitive_like` off).
 */
export interface ResetRequest {
  readonly op: 'reset';
}

/** Closes the database; the worker exits afterwards. */
export interface CloseRequest {
  readonly op: 'close';
}

/** A request the worker answers, tagged with its sequence number. */
export type WorkerRequest = (
  | OpenRequest
  | ExecuteRequest
  | FetchRequest
  | CloseCursorRequest
  | ResetRequest
  | CloseRequest
) & {
  readonly id: number;
};

/** Sent outside the request sequence: calls `sqlite3_interrupt` at once, even while a statement computes. */
export interface InterruptMessage {
  readonly op: 'interrupt';
}

/** A value as SQLite stores it (integers always as bigint, read with safe integers). */
export type SqliteValue = bigint | number | string | Uint8Array | null;

/** A result column as the statement describes it. */
export interface WorkerColumn {
  readonly name: string;
  /** The declared type of the table column (`sqlite3_column_decltype`), null for an expression. */
  readonly declaredType: string | null;
  readonly table: string | null;
  readonly column: string | null;
  /** With `keyInfo`: part of the table's primary key. */
  readonly isKey?: boolean;
  /** With `keyInfo`: declared NOT NULL. */
  readonly notNull?: boolean;
}

/** What `open` answers. */
export interface OpenResult {
  readonly version: string;
}

/** What `execute` and `fetch` answer. */
export interface BatchResult {
  /** The columns (`execute` only; empty for a statement without rows). */
  readonly columns?: readonly WorkerColumn[];
  readonly rows: readonly (readonly SqliteValue[])[];
  /** True when the statement has no more rows. */
  readonly done: boolean;
  /** Rows changed by a statement without result columns (`execute` only), -1 for a query. */
  readonly changes?: number;
}

/** The error of a failed request, as plain data. */
export interface WorkerError {
  readonly message: string;
  /** `SQLITE_CONSTRAINT_UNIQUE`, … (libsql's code), when the engine raised it. */
  readonly code?: string;
  /** The extended result code. */
  readonly rawCode?: number;
}

/** The answer to request `id`. */
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError };
