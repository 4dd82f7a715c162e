import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MysqlField, MysqlOkPacket } from './mysql-driver.js';

/**
 * The pieces of mysql2's protocol code that `mysql-text-query.ts` reads replies with: the same classes and row parsers
 * mysql2's own `Query` command uses, so a statement read either way yields the same values, OK packets and errors.
 * mysql2's package `exports` lists only its entry points, so they are loaded by file from the installed package;
 * when any is missing or has another shape (another major version), {@link mysqlProtocolParts} is undefined and every
 * statement goes through mysql2's public `query()` as before.
 */

/** A reply packet as mysql2's parser hands it to a command (the members the text query reads). */
export interface ProtocolPacket {
  readonly buffer: Buffer;
  /** Where the packet (its 4-byte header) starts in {@link buffer}. */
  readonly start: number;
  /** Where it ends in {@link buffer}. */
  readonly end: number;
  offset: number;
  isEOF(): boolean;
  isError(): boolean;
  asError(encoding?: string): Error;
  readLengthCodedNumber(): number | null;
  readString(length: undefined, encoding: string): string;
}

/** A compiled (or static) text-protocol row reader. */
export interface TextRowParser {
  next(packet: ProtocolPacket, fields: readonly MysqlField[], options: object): unknown[];
}

/** The connection members the parts take (mysql2's own `Connection`). */
export type ProtocolConnection = object;

/** What is loaded from mysql2. */
export interface MysqlProtocolParts {
  /** An OK packet (`fieldCount` 0), with its session-state changes; mysql2 applies `character_set_client` changes. */
  readonly ResultSetHeader: new (packet: ProtocolPacket, connection: ProtocolConnection) => MysqlOkPacket;
  /** A packet over `buffer[start, end)` (its 4-byte header first), as mysql2's parser makes them. */
  readonly Packet: new (sequenceId: number, buffer: Buffer, start: number, end: number) => ProtocolPacket;
  /** A column definition packet. */
  readonly ColumnDefinition: new (packet: ProtocolPacket, encoding: string, extendedMetadata: boolean) => MysqlField;
  /** The compiled row parser of a result shape (cached by mysql2). */
  readonly getTextParser: (
    fields: readonly MysqlField[],
    options: object,
    config: object,
  ) => new (fields: readonly MysqlField[]) => TextRowParser;
  /** The row parser mysql2 uses with `disableEval`: reads the same values without compiling code. */
  readonly staticTextParser: (fields: readonly MysqlField[], options: object, config: object) => TextRowParser;
  /** The per-query options mysql2 gives its row parsers: the connection's config with the query's overrides. */
  readonly queryOptions: (config: object, overrides: object) => object;
  /** mysql2's character-set number → Node encoding table. */
  readonly charsetToEncoding: readonly string[];
}

function load(): MysqlProtocolParts | undefined {
  try {
    const requireHere = createRequire(import.meta.url);
    const root = dirname(requireHere.resolve('mysql2'));
    const part = (file: string): unknown => requireHere(join(root, 'lib', file));
    const packets = part('packets/index.js') as Record<string, unknown>;
    const config = part('connection_config.js') as { queryOptions?: unknown };
    const parts = {
      Packet: packets['Packet'],
      ResultSetHeader: packets['ResultSetHeader'],
      ColumnDefinition: packets['ColumnDefinition'],
      getTextParser: part('parsers/text_parser.js'),
      staticTextParser: part('parsers/static_text_parser.js'),
      queryOptions: config.queryOptions,
      charsetToEncoding: part('constants/charset_encodings.js'),
    };
    const complete =
      typeof parts.Packet === 'function' &&
      typeof parts.ResultSetHeader === 'function' &&
      typeof parts.ColumnDefinition === 'function' &&
      typeof parts.getTextParser === 'function' &&
      typeof parts.staticTextParser === 'function' &&
      typeof parts.queryOptions === 'function' &&
      Array.isArray(parts.charsetToEncoding);
    return complete ? (parts as unknown as MysqlProtocolParts) : undefined;
  } catch {
    return undefined;
  }
}

/** mysql2's protocol parts, or undefined when this mysql2 does not have them where expected. */
export const mysqlProtocolParts: MysqlProtocolParts | undefined = load();
