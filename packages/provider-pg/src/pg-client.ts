/**
 * The slice of `pg` this provider uses, described structurally. We don't use the types from `@types/pg` here
 * because the provider drives the extended query protocol itself (as `pg-cursor` does) and needs members those
 * typings leave out (`connection.parse`, `processID`, `getTransactionStatus`…); keeping the list short also
 * shows exactly which parts of `pg` a new major version must keep. Only `pg-driver.ts` touches `pg` itself.
 */

/** A column of a RowDescription message. */
export interface PgFieldDescription {
  readonly name: string;
  /** OID of the table the column comes from, 0 for an expression. */
  readonly tableID: number;
  /** Attribute number of the column in that table, 0 for an expression. */
  readonly columnID: number;
  readonly dataTypeID: number;
  /** `pg_type.typlen`: negative for variable-length types. */
  readonly dataTypeSize: number;
  /** The type modifier (`atttypmod`): length, precision/scale; -1 when none. */
  readonly dataTypeModifier: number;
  readonly format: 'text' | 'binary';
}

/** The fields PostgreSQL sends in an ErrorResponse or NoticeResponse. */
export interface PgNoticeFields {
  readonly message?: string | undefined;
  readonly severity?: string | undefined;
  readonly code?: string | undefined;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  readonly position?: string | undefined;
  readonly where?: string | undefined;
  readonly schema?: string | undefined;
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly dataType?: string | undefined;
  readonly constraint?: string | undefined;
  readonly routine?: string | undefined;
}

/** A value as written into a Bind message: text, raw bytes (sent in binary format), or NULL. */
export type PgWireValue = string | Buffer | null;

/** The frontend messages of the extended query protocol, as `pg`'s `Connection` writes them. */
export interface PgWireConnection {
  parse(message: { text: string; name?: string; types?: readonly number[] }): void;
  bind(message: { portal?: string; statement?: string; values?: readonly PgWireValue[]; binary?: boolean }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(message: { portal?: string; rows?: number }): void;
  close(message: { type: 'P' | 'S'; name?: string }): void;
  flush(): void;
  sync(): void;
  /** A simple-protocol Query message: the server parses, runs and ends it with ReadyForQuery by itself. */
  query(text: string): void;
  sendCopyFail(message: string): void;
  on(
    event: 'noData' | 'closeComplete' | 'readyForQuery' | 'parameterStatus',
    listener: (...args: unknown[]) => void,
  ): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Names of the statements `pg` believes are prepared on the server (cleared after DISCARD ALL). */
  parsedStatements: Record<string, string>;
  readonly stream: {
    readonly writable: boolean;
    destroy(error?: Error): void;
    /** Half-closes after writing `data` (Node's `socket.end`); `callback` runs once it is flushed. */
    end?(data: Uint8Array, callback: () => void): void;
    ref?(): void;
    unref?(): void;
    cork?(): void;
    uncork?(): void;
    /** Stops reading the socket (backpressure on a pipelined result). */
    pause?(): void;
    resume?(): void;
  };
}

/**
 * What `pg`'s Client calls on the query it runs (a "Submittable"): `submit` when it is this query's turn, then one
 * handler per backend message until ReadyForQuery. On ErrorResponse the client forgets its active query before
 * calling `handleError`, so the ReadyForQuery that follows must be awaited on the connection directly.
 */
export interface PgSubmittable {
  submit(connection: PgWireConnection): void;
  handleRowDescription(message: { fields: PgFieldDescription[] }): void;
  handleDataRow(message: { fields: Array<string | null> }): void;
  handlePortalSuspended(connection: PgWireConnection): void;
  handleCommandComplete(message: { text: string }, connection: PgWireConnection): void;
  handleEmptyQuery(connection: PgWireConnection): void;
  handleError(error: Error, connection: PgWireConnection): void;
  handleReadyForQuery(connection: PgWireConnection): void;
  handleCopyInResponse(connection: PgWireConnection): void;
  handleCopyData(message: unknown, connection: PgWireConnection): void;
}

/** One physical session: `pg.Client`, or a client checked out of `pg.Pool` (which adds `release`). */
export interface PgClient {
  readonly connection: PgWireConnection;
  /** Backend process id and secret key from BackendKeyData: what a CancelRequest names. */
  readonly processID: number | null;
  readonly secretKey: number | null;
  readonly host: string;
  readonly port: number;
  /** The database pg resolved (connection string, else PGDATABASE, else the user name). */
  readonly database?: string | undefined;
  /** Server parameters reported with ParameterStatus (server_version, TimeZone…), recorded by `pg-driver.ts`. */
  readonly serverParameters: ReadonlyMap<string, string>;
  /**
   * How many times a connection took this client (counted by the provider; a multiplexer's clients, never asked
   * their role, are not counted): 1 while `serverParameters` are first-hand.
   */
  handovers: number;
  connect(): Promise<unknown>;
  query(submittable: PgSubmittable): unknown;
  /** The transaction status of the last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' failed transaction. */
  getTransactionStatus(): string | null;
  end(): Promise<void>;
  /** Pooled clients only: returns the client to the pool, or destroys it when given an error. */
  release?(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'notice', listener: (notice: PgNoticeFields) => void): unknown;
  removeListener(event: 'error' | 'end' | 'notice', listener: (...args: never[]) => void): unknown;
}
