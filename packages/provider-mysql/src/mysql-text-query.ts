import type { MysqlDriverConnection, MysqlField } from './mysql-driver.js';
import {
  mysqlProtocolParts,
  type MysqlProtocolParts,
  type ProtocolPacket,
  type TextRowParser,
} from './mysql-protocol-parts.js';
import { needsStaticParser } from './mysql-row-parser-choice.js';
import type { MysqlStatementStream } from './mysql-statement-stream.js';

/** COM_QUERY. */
const COM_QUERY = 0x03;
/** Capability flag: COM_QUERY carries query attributes (a parameter count and a parameter-set count first). */
const CLIENT_QUERY_ATTRIBUTES = 0x08000000;
/** Server status flag: another result follows (a CALL, or a statement returning several results). */
const SERVER_MORE_RESULTS_EXISTS = 8;
/** A payload this long or longer is split into several packets; such statements go through mysql2's `query()`. */
const MAX_PAYLOAD = 0xffffff;
/** Characters of SQL certain to fit one packet in any encoding (at most 4 bytes a character). */
const MAX_SQL_CHARACTERS = Math.floor((MAX_PAYLOAD - 8) / 4);

/** The members of mysql2's `Connection` a text query uses (not in mysql2's typings; checked by {@link fitsTextQuery}). */
interface QueryConnection {
  sequenceId: number;
  readonly serverCapabilityFlags?: number;
  readonly clientEncoding: string;
  readonly _mariadbExtendedMetadata?: boolean;
  readonly config: {
    readonly clientFlags: number;
    readonly charsetNumber: number;
    readonly compress?: boolean;
    readonly debug?: boolean;
  };
  _resetSequenceId(): void;
  write(buffer: Buffer): unknown;
  addCommand(command: MysqlTextQuery): unknown;
  protocolError(message: string, code?: string): unknown;
}

/**
 * What a physical connection keeps for its text queries: mysql2's per-query row-parser options, made once, and the
 * column definitions last read for each statement (see {@link ShapeMemo}).
 */
export interface TextQueryCache {
  textOptions: object | undefined;
  shapes: Map<string, ShapeMemo> | undefined;
}

/** Node's unchecked UTF-8 writer on Buffer (not in its typings). */
interface Utf8Writable {
  utf8Write(text: string, offset: number, length: number): number;
}

/** Statements whose result columns a connection remembers; beyond this the oldest is dropped. */
const SHAPES_PER_CONNECTION = 32;

/**
 * The column definitions a statement's first result had on this connection: the packets' bytes, the fields mysql2's
 * `ColumnDefinition` read from them, and the row parser made for those fields. A statement run again whose column
 * definition packets are byte for byte the same (the usual case: a loop, a pool running the same queries) reuses the
 * fields and the parser — no `ColumnDefinition` per column, no parser-cache lookup — and hands the stream the same
 * fields array, which the shape cache recognises by identity. Any difference (ALTER TABLE, another type for a user
 * variable, another client encoding) reads the definitions afresh and replaces the memo.
 */
export class ShapeMemo {
  constructor(
    /** Each column definition packet's payload. */
    readonly packets: readonly Buffer[],
    readonly fields: readonly MysqlField[],
    readonly parser: TextRowParser,
    /** The client encoding the fields' names were decoded with. */
    readonly encoding: string,
  ) {}
}

/**
 * @internal For tests (and for comparing the two paths in the benchmark's profiles): `enabled` false sends every text
 * statement through mysql2's `query()`; `started` counts the text queries started.
 */
export const textQueries = { enabled: true, started: 0 };

/** Where a text query is in its reply. */
const enum Step {
  /** Not written yet: mysql2 starts it by calling `execute` without a packet. */
  Unsent,
  /** Waiting for an OK packet, an error, or a result's column count. */
  Header,
  /** Reading column definitions. */
  Fields,
  /** The EOF packet after the column definitions. */
  FieldsEnd,
  /** Rows, up to the EOF packet that ends the result. */
  Rows,
  /** The OK (or error) packet after the empty reply to a LOCAL INFILE request. */
  InfileEnd,
}

/**
 * True when `sql` can run as a {@link MysqlTextQuery} on `driver`: mysql2's protocol parts were found, the connection
 * looks as expected, has no compression or debug framing, its character set is one Node encodes, and the statement
 * fits one packet. Otherwise the session uses mysql2's `query()`.
 */
export function fitsTextQuery(driver: MysqlDriverConnection, sql: string): boolean {
  const connection = driver as unknown as Partial<QueryConnection>;
  const config = connection.config;
  if (!textQueries.enabled) return false;
  if (mysqlProtocolParts === undefined || config === undefined || config.compress || config.debug) return false;
  if (sql.length > MAX_SQL_CHARACTERS || typeof connection.sequenceId !== 'number') return false;
  if (typeof connection.write !== 'function' || typeof connection.addCommand !== 'function') return false;
  if (typeof connection._resetSequenceId !== 'function') return false;
  const encoding = mysqlProtocolParts.charsetToEncoding[config.charsetNumber];
  return encoding !== undefined && (encoding === 'utf8' || Buffer.isEncoding(encoding));
}

/**
 * Runs a statement without values (text protocol) as a command of asyncdb's own, queued on mysql2's connection like
 * mysql2's `Query` and reading the same replies with the same mysql2 classes and row parsers, but handing each item
 * straight to the statement's stream: no event emitter per statement, no listeners, no per-query options object,
 * no format pass over SQL that has nothing to interpolate (docs/benchmarks.md). Check {@link fitsTextQuery} first.
 *
 * It is not traced on mysql2's `diagnostics_channel` channels (asyncdb traces its commands itself).
 */
export function startTextQuery(
  driver: MysqlDriverConnection,
  sql: string,
  stream: MysqlStatementStream,
  cache: TextQueryCache,
): void {
  const connection = driver as unknown as QueryConnection;
  const parts = mysqlProtocolParts!;
  // mysql2's row parsers read the connection's options merged with the query's (rows as arrays, as every command).
  cache.textOptions ??= parts.queryOptions(connection.config, {
    rowsAsArray: (connection.config as { rowsAsArray?: boolean }).rowsAsArray,
  });
  textQueries.started += 1;
  connection.addCommand(new MysqlTextQuery(sql, stream, parts, cache));
}

/**
 * One COM_QUERY and its reply, as a mysql2 command: mysql2 calls {@link execute} with each reply packet (and once
 * without one to start it), and {@link onResult} when the connection fails while it is queued or running.
 */
export class MysqlTextQuery {
  /** mysql2 sets `sql` on the errors of a command; kept for the same error objects. */
  readonly sql: string;
  readonly #stream: MysqlStatementStream;
  readonly #parts: MysqlProtocolParts;
  readonly #options: object;
  #step = Step.Unsent;
  readonly #cache: TextQueryCache;
  #fieldCount = 0;
  #fields: MysqlField[] | undefined;
  #parser: TextRowParser | undefined;
  /** The statement's first result is still being read (the only one a {@link ShapeMemo} is kept for). */
  #firstResult = true;
  /** The memo the column definitions read so far matched, byte for byte; undefined once one did not. */
  #memo: ShapeMemo | undefined;
  /** Column definitions that matched the memo so far (no fields made for them yet). */
  #matched = 0;
  /** The payloads of the column definitions read, for a new memo (undefined while they all match). */
  #payloads: Buffer[] | undefined;
  /** A row that could not be read: the remaining rows are skipped and the statement ends with this error. */
  #failure: Error | undefined;

  constructor(sql: string, stream: MysqlStatementStream, parts: MysqlProtocolParts, cache: TextQueryCache) {
    this.sql = sql;
    this.#stream = stream;
    this.#parts = parts;
    this.#options = cache.textOptions!;
    this.#cache = cache;
  }

  /** mysql2's command protocol: handles one packet; true once the command is over. */
  execute(packet: ProtocolPacket | undefined, connection: QueryConnection): boolean {
    if (this.#step === Step.Unsent) {
      connection._resetSequenceId();
      this.#write(connection);
      this.#step = Step.Header;
      return false;
    }
    if (packet === undefined) return false;
    if (packet.isError()) {
      const error = packet.asError(connection.clientEncoding);
      (error as { sql?: string }).sql = this.sql;
      this.#stream.finish({ kind: 'error', error });
      return true;
    }
    switch (this.#step) {
      case Step.Header:
        return this.#header(packet, connection);
      case Step.Fields:
        this.#field(packet, connection);
        return false;
      case Step.FieldsEnd:
        if (!packet.isEOF()) {
          connection.protocolError('Expected EOF packet');
          return true;
        }
        this.#step = Step.Rows;
        return false;
      case Step.Rows:
        return this.#row(packet);
      case Step.InfileEnd:
        this.#stream.finish({ kind: 'error', error: infileRefused() });
        return true;
    }
    return false;
  }

  /** mysql2's command protocol: the connection failed while this command was queued or running. */
  onResult(error: Error | null): void {
    this.#stream.finish({ kind: 'error', error: error ?? new Error('The connection failed.') });
  }

  #write(connection: QueryConnection): void {
    const sql = this.sql;
    const encoding = this.#parts.charsetToEncoding[connection.config.charsetNumber]!;
    const attributes =
      (connection.config.clientFlags & (connection.serverCapabilityFlags ?? 0) & CLIENT_QUERY_ATTRIBUTES) !== 0;
    const start = attributes ? 7 : 5;
    const utf8 = encoding === 'utf8' || encoding === 'utf-8';
    const length = start + Buffer.byteLength(sql, utf8 ? 'utf8' : (encoding as BufferEncoding));
    const packet = Buffer.allocUnsafe(length);
    // Buffer's own utf8Write, as mysql2 uses: `write()` validates its arguments on every call (measurable here).
    if (utf8) (packet as unknown as Utf8Writable).utf8Write(sql, start, length - start);
    else packet.write(sql, start, encoding as BufferEncoding);
    const payload = length - 4;
    packet[0] = payload & 0xff;
    packet[1] = (payload >> 8) & 0xff;
    packet[2] = payload >> 16;
    packet[3] = connection.sequenceId;
    connection.sequenceId = (connection.sequenceId + 1) % 256;
    packet[4] = COM_QUERY;
    if (attributes) {
      // No attributes: a parameter count of 0 and one parameter set.
      packet[5] = 0;
      packet[6] = 1;
    }
    connection.write(packet);
  }

  #header(packet: ProtocolPacket, connection: QueryConnection): boolean {
    if (packet.buffer[packet.offset] === 0) {
      // An OK packet: the statement produced no rows (mysql2 reports it as `fields` undefined, then the packet).
      const ok = new this.#parts.ResultSetHeader(packet, connection);
      this.#stream.onFields(undefined);
      this.#stream.onResult(ok);
      return this.#resultDone(ok.serverStatus ?? 0, undefined);
    }
    const count = packet.readLengthCodedNumber();
    if (count === null) {
      // LOCAL INFILE: refused (the client flag is off), with an empty reply so the server ends the statement.
      const empty = Buffer.alloc(4);
      empty[3] = connection.sequenceId;
      connection.sequenceId = (connection.sequenceId + 1) % 256;
      connection.write(empty);
      this.#step = Step.InfileEnd;
      return false;
    }
    this.#fieldCount = count;
    const memo = this.#firstResult ? this.#cache.shapes?.get(this.sql) : undefined;
    this.#memo =
      memo !== undefined && memo.fields.length === count && memo.encoding === connection.clientEncoding
        ? memo
        : undefined;
    this.#matched = 0;
    this.#fields = this.#memo === undefined ? [] : undefined;
    this.#payloads = this.#memo === undefined && this.#firstResult ? [] : undefined;
    this.#step = Step.Fields;
    return false;
  }

  #field(packet: ProtocolPacket, connection: QueryConnection): void {
    const memo = this.#memo;
    if (memo !== undefined) {
      if (samePayload(memo.packets[this.#matched]!, packet)) {
        this.#matched += 1;
        if (this.#matched === this.#fieldCount) this.#fieldsRead(memo.fields, memo.parser);
        return;
      }
      // The first difference: the definitions that matched are the memo's, the rest are read.
      this.#memo = undefined;
      this.#fields = memo.fields.slice(0, this.#matched);
      this.#payloads = memo.packets.slice(0, this.#matched);
    }
    const fields = this.#fields!;
    let source = packet;
    if (this.#payloads !== undefined) {
      // Remembered: read from a copy of the packet. mysql2's ColumnDefinition keeps the buffer it was read from (it
      // decodes its names lazily), and the socket's chunk behind `packet` can be 64 KB of rows.
      const copy = Buffer.from(packet.buffer.subarray(packet.start, packet.end));
      this.#payloads.push(copy.subarray(4));
      source = new this.#parts.Packet(0, copy, 0, copy.length);
    }
    fields.push(
      new this.#parts.ColumnDefinition(source, connection.clientEncoding, connection._mariadbExtendedMetadata === true),
    );
    if (fields.length < this.#fieldCount) return;
    const config = (connection as unknown as { config: object }).config;
    // mysql2's compiled parser refuses some column names (`__proto__`…); its static one reads the same values.
    const parser = needsStaticParser(fields)
      ? this.#parts.staticTextParser(fields, this.#options, config)
      : new (this.#parts.getTextParser(fields, this.#options, config))(fields);
    if (this.#payloads === undefined) {
      this.#fieldsRead(fields, parser);
      return;
    }
    // Frozen: handed over again on every run, and the shape cache knows remembered arrays by that.
    const remembered = Object.freeze(fields);
    this.#remember(new ShapeMemo(this.#payloads, remembered, parser, connection.clientEncoding));
    this.#fieldsRead(remembered, parser);
  }

  /** Every column definition of a result was read: the stream gets them, and the rows are read with `parser`. */
  #fieldsRead(fields: readonly MysqlField[], parser: TextRowParser): void {
    this.#fields = fields as MysqlField[];
    this.#parser = parser;
    this.#memo = undefined;
    this.#payloads = undefined;
    this.#stream.onFields(this.#fields);
    this.#step = Step.FieldsEnd;
  }

  #remember(memo: ShapeMemo): void {
    const shapes = (this.#cache.shapes ??= new Map());
    shapes.delete(this.sql);
    if (shapes.size >= SHAPES_PER_CONNECTION) shapes.delete(shapes.keys().next().value!);
    shapes.set(this.sql, memo);
  }

  #row(packet: ProtocolPacket): boolean {
    if (packet.isEOF()) {
      this.#parser = undefined;
      this.#fields = undefined;
      // EOF: 0xfe, the warning count, the status flags (two bytes each, little-endian).
      const buffer = packet.buffer;
      const at = packet.offset;
      return this.#resultDone(buffer[at + 3]! | (buffer[at + 4]! << 8), buffer[at + 1]! | (buffer[at + 2]! << 8));
    }
    if (this.#failure !== undefined) return false;
    let row: unknown[];
    try {
      row = this.#parser!.next(packet, this.#fields!, this.#options);
    } catch (error) {
      // The rest of the result is still read (the connection stays in step), then the statement fails with this.
      this.#failure = error instanceof Error ? error : new Error(String(error));
      return false;
    }
    this.#stream.onResult(row);
    return false;
  }

  /**
   * A result ended with `status` (and, from an EOF packet, `warnings`; an OK packet's were taken with it): the next
   * result follows, or the statement is over.
   */
  #resultDone(status: number, warnings: number | undefined): boolean {
    this.#firstResult = false;
    if ((status & SERVER_MORE_RESULTS_EXISTS) !== 0) {
      this.#step = Step.Header;
      return false;
    }
    if (this.#failure !== undefined) this.#stream.finish({ kind: 'error', error: this.#failure });
    else this.#stream.endWith(warnings, warnings === undefined ? undefined : status);
    return true;
  }
}

/** True when `packet`'s payload is `known`, byte for byte (column definitions are short: a loop beats a native call). */
function samePayload(known: Buffer, packet: ProtocolPacket): boolean {
  const buffer = packet.buffer;
  const start = packet.start + 4;
  const length = known.length;
  if (packet.end - start !== length) return false;
  for (let index = 0; index < length; index++) if (buffer[start + index] !== known[index]) return false;
  return true;
}

/** What mysql2 reports when a server asks for a local file it may not have. */
function infileRefused(): Error {
  return new Error('The server asked for a local file (LOAD DATA LOCAL INFILE), which this provider never sends.');
}
