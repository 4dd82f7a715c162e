import mysql from 'mysql2';

/**
 * The slice of `mysql2` this provider uses, described structurally. We don't use mysql2's own typings because the
 * provider drives commands in event mode (`fields`/`result`/`end`), pauses the socket for backpressure, and reads a
 * few members those typings leave out or type loosely (`threadId`, `stream`, column metadata); keeping the list
 * short also shows exactly which parts of mysql2 a new major version must keep. Only this file imports `mysql2`
 * (and `mysql-protocol-parts.ts` loads the protocol classes the provider's text queries read replies with).
 */

/** A column definition as mysql2 parses it from a ColumnDefinition41 packet. */
export interface MysqlField {
  readonly name: string;
  /** The protocol type code (`MYSQL_TYPE_*`, see {@link MysqlTypes}). */
  readonly columnType: number;
  /** Maximum display length in bytes (characters × the charset's bytes per character for text). */
  readonly columnLength: number;
  /** `*_FLAG` bits (NOT_NULL, PRI_KEY, UNSIGNED, BINARY, …). */
  readonly flags: number;
  /** Collation id; 63 means binary. */
  readonly characterSet: number;
  /** Digits after the decimal point (fractional seconds for temporal types); 31/39 mean "not fixed". */
  readonly decimals: number;
  readonly schema?: string;
  readonly table?: string;
  readonly orgTable?: string;
  readonly orgName?: string;
  /** MariaDB extended metadata: `uuid`, `inet4`, `inet6`, `point`, …. */
  readonly extendedTypeName?: string | undefined;
  /** MariaDB extended metadata: `json` for JSON columns and JSON-returning functions. */
  readonly extendedFormat?: string | undefined;
}

/** An OK packet: what DML, DDL and SET statements return. */
export interface MysqlOkPacket {
  readonly affectedRows: number | string;
  readonly insertId: number | string;
  readonly warningStatus?: number;
  readonly serverStatus?: number;
  readonly stateChanges?: { readonly schema?: string | null } | null;
}

/** A packet as mysql2 hands it to a command, for reading the warning count and status of a result set's EOF packet. */
export interface MysqlPacket {
  isEOF(): boolean;
  eofWarningCount(): number;
  /** An EOF packet's server status flags (`SERVER_STATUS_*`). */
  eofStatusFlags(): number;
}

/** Server status flag: a transaction is active (OK and EOF packets carry it). */
export const SERVER_STATUS_IN_TRANS = 1;

/**
 * A running command (`Query` or `Execute`) in event mode: `fields` per result (undefined before an OK packet),
 * `result` per row (an array, with `rowsAsArray`) or OK packet, `error`, then `end` (which may repeat: ignore the
 * second).
 */
export interface MysqlCommand {
  on(event: 'fields', listener: (this: MysqlCommand, fields: MysqlField[] | undefined) => void): this;
  on(event: 'result', listener: (this: MysqlCommand, row: unknown[] | MysqlOkPacket) => void): this;
  on(event: 'error', listener: (this: MysqlCommand, error: Error) => void): this;
  on(event: 'end', listener: (this: MysqlCommand) => void): this;
}

/** The socket under a connection. */
export interface MysqlSocket {
  ref(): unknown;
  unref(): unknown;
  readonly destroyed?: boolean;
}

/** One physical connection: `mysql2.Connection`, or a `PoolConnection` (which adds `release`). */
export interface MysqlDriverConnection {
  /** The server's id for the session (`CONNECTION_ID()`), known once the handshake is done. */
  readonly threadId: number | null;
  /** mysql2's view: 'authenticated' while usable, 'error'/'disconnected' once it is not. */
  readonly state?: string;
  readonly stream: MysqlSocket;
  /** A text-protocol statement in event mode (no callback). */
  query(sql: string): MysqlCommand;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): MysqlCommand;
  /** A prepared statement (prepared once and cached by mysql2) executed with `values`, in event mode. */
  execute(sql: string, values: readonly unknown[]): MysqlCommand;
  /** COM_RESET_CONNECTION. */
  reset(callback: (error: Error | null) => void): void;
  pause(): void;
  resume(): void;
  /** Closes the socket at once (no COM_QUIT); pending commands get no answer. */
  destroy(): void;
  /** COM_QUIT after the queued commands, then closes. */
  end(callback?: (error?: Error | null) => void): void;
  connect?(callback: (error: Error | null) => void): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  once(event: 'connect', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  /** Only on pooled connections: hands it back to its pool. */
  release?(): void;
}

/** A mysql2 pool. */
export interface MysqlDriverPool {
  getConnection(callback: (error: Error | null, connection: MysqlDriverConnection) => void): void;
  end(callback?: (error?: Error | null) => void): void;
  /** Emitted inside `getConnection` when a request has to wait for a connection. */
  on(event: 'enqueue', listener: () => void): unknown;
  /** Emitted inside `getConnection` when a free connection is handed out (and later for a new one). */
  on(event: 'acquire', listener: (connection: MysqlDriverConnection) => void): unknown;
  /** Emitted for every connection the pool makes, before anyone gets it. */
  on(event: 'connection', listener: (connection: MysqlDriverConnection) => void): unknown;
}

/** mysql2 connection options, the subset the provider sets. */
export interface MysqlDriverOptions {
  readonly host: string;
  readonly port: number;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database?: string | undefined;
  readonly charset?: string | undefined;
  readonly ssl?: Record<string, unknown> | undefined;
  readonly connectTimeout: number;
  readonly supportBigNumbers: true;
  readonly bigNumberStrings: true;
  readonly dateStrings: true;
  readonly decimalNumbers: false;
  readonly timezone: 'Z';
  readonly multipleStatements: false;
  /** Rows as arrays, for every command of the connection (statements and the provider's own queries alike). */
  readonly rowsAsArray: true;
  readonly maxPreparedStatements: number;
  readonly flags: string[];
  readonly connectAttributes: Record<string, string>;
}

/** mysql2 pool options. */
export interface MysqlDriverPoolOptions extends MysqlDriverOptions {
  readonly connectionLimit: number;
  readonly maxIdle: number;
  readonly waitForConnections: true;
  readonly queueLimit: 0;
}

/** A bind value with an explicit protocol type (mysql2's `TypedParameter`). */
export interface MysqlTypedValue {
  readonly type: number;
  readonly value: unknown;
  readonly unsigned: boolean;
}

type TypedFactory = (value: unknown) => MysqlTypedValue;

/** The `TypedParameter` factories the parameter encoder uses. */
export interface MysqlTypedParameters {
  readonly LONG: TypedFactory;
  readonly LONGLONG: TypedFactory & { unsigned: TypedFactory };
  readonly FLOAT: TypedFactory;
  readonly DOUBLE: TypedFactory;
  readonly NEWDECIMAL: TypedFactory;
  readonly DATE: TypedFactory;
  readonly DATETIME: TypedFactory;
  readonly TIME: TypedFactory;
  readonly JSON: TypedFactory;
  readonly BLOB: TypedFactory;
  readonly VAR_STRING: TypedFactory;
}

/** The driver entry points. */
export interface MysqlDriver {
  createConnection(options: MysqlDriverOptions): MysqlDriverConnection;
  createPool(options: MysqlDriverPoolOptions): MysqlDriverPool;
  readonly TypedParameter: MysqlTypedParameters;
  /** Character sets and collations mysql2 knows, by upper-case name. */
  readonly Charsets: Readonly<Record<string, number>>;
}

/**
 * mysql2's `TypedParameter` and `Charsets` are getters that run `require()` on every access (a module-cache lookup,
 * and under a require hook such as tsx a full resolution): read once, here, not per command.
 */
const mysqlExtras = mysql as unknown as {
  readonly TypedParameter: MysqlTypedParameters;
  readonly Charsets: Readonly<Record<string, number>>;
};
const TYPED_PARAMETER = mysqlExtras.TypedParameter;
const CHARSETS = mysqlExtras.Charsets;

/** mysql2 itself, seen through {@link MysqlDriver}. */
export const mysqlDriver: MysqlDriver = {
  createConnection: (options) => mysql.createConnection(options) as unknown as MysqlDriverConnection,
  createPool: (options) => mysql.createPool(options) as unknown as MysqlDriverPool,
  TypedParameter: TYPED_PARAMETER,
  Charsets: CHARSETS,
};

/** Protocol type codes (`enum_field_types`). */
export const MysqlTypes = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  VECTOR: 242,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

/** Column flag bits. */
export const MysqlFieldFlags = {
  NOT_NULL: 1,
  PRI_KEY: 2,
  UNIQUE_KEY: 4,
  MULTIPLE_KEY: 8,
  BLOB: 16,
  UNSIGNED: 32,
  ZEROFILL: 64,
  BINARY: 128,
  ENUM: 256,
  AUTO_INCREMENT: 512,
  TIMESTAMP: 1024,
  SET: 2048,
} as const;

/** The collation id of binary strings. */
export const BINARY_CHARSET = 63;
