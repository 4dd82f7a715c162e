import { parsePgArray } from './pg-array-parser.js';
import { parseTimestamp, parseTimestampTz } from './pg-datetime.js';
import { PgOid, pgTypeInfo } from './pg-type-map.js';

/** Converts one non-NULL value from PostgreSQL's text format to its JS value. */
export type PgValueParser = (text: string) => unknown;

const identity: PgValueParser = (text) => text;

/** Reads `bytea` in hex (the default `bytea_output`) or escape format. */
export function parseBytea(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] !== '\\') {
      bytes.push(text.charCodeAt(i));
    } else if (text[i + 1] === '\\') {
      bytes.push(0x5c);
      i += 1;
    } else {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    }
  }
  return Buffer.from(bytes);
}

/**
 * Reads `money` as an exact decimal string ('-1234.56'). The session runs with `lc_monetary=C` (a startup option), so
 * the server prints '-$1,234.56': the currency sign and group separators go, a parenthesised amount is negative.
 */
export function parseMoney(text: string): string {
  const negative = text.includes('-') || text.startsWith('(');
  const digits = text.replace(/[^0-9.]/g, '');
  return negative ? `-${digits}` : digits;
}

/** The scalar parsers (docs/values.md); every other type reads as its text. */
const SCALAR_PARSERS: ReadonlyMap<number, PgValueParser> = new Map<number, PgValueParser>([
  [PgOid.bool, (text) => text === 't' || text === 'true'],
  [PgOid.bytea, parseBytea],
  [PgOid.int2, Number],
  [PgOid.int4, Number],
  [PgOid.int8, BigInt],
  [PgOid.oid, BigInt],
  [PgOid.xid, BigInt],
  [PgOid.cid, BigInt],
  [PgOid.xid8, BigInt],
  [PgOid.float4, Number],
  [PgOid.float8, Number],
  [PgOid.money, parseMoney],
  [PgOid.json, (text) => JSON.parse(text) as unknown],
  [PgOid.jsonb, (text) => JSON.parse(text) as unknown],
  [PgOid.timestamp, parseTimestamp],
  [PgOid.timestamptz, parseTimestampTz],
  [PgOid.uuid, (text) => text.toLowerCase()],
]);

/**
 * The parser for values of type `oid` in text format. Built from the provider's own table, never from `pg-types`'
 * global registry, so an application's `pg.types.setTypeParser` neither changes asyncdb's values nor is changed by
 * asyncdb (docs/values.md asks for the same JS type on every provider).
 */
export function pgValueParser(oid: number): PgValueParser {
  const scalar = SCALAR_PARSERS.get(oid);
  if (scalar) return scalar;
  const elementOid = pgTypeInfo(oid)?.elementOid;
  if (elementOid !== undefined) {
    const element = SCALAR_PARSERS.get(elementOid) ?? identity;
    return (text) => parsePgArray(text, element);
  }
  return identity;
}

/**
 * The `types` option handed to each `pg.Client`, so the few queries `pg` parses itself use the same conversions
 * without touching `pg.types` (the process-wide parsers other libraries rely on).
 */
export const PG_CLIENT_TYPES = Object.freeze({
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    return format === 'binary' ? identity : pgValueParser(oid);
  },
});
