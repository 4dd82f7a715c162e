import type { DbType } from '@asyncdb/core';

/** What a column's declared type tells the provider: its DbType, and the precision and scale it names. */
export interface SqliteColumnType {
  readonly dbType: DbType;
  /** The name the column reports (`getDataTypeName`): the declared type, or the storage class of an expression. */
  readonly dataTypeName: string;
  /** For `decimal(p,s)`, `money`: the digits after the point that values are padded to. */
  readonly scale?: number;
  readonly precision?: number;
}

/**
 * Declared type names → DbType, matched on the words of the declared type (`TEXT DECIMAL(20,4)` matches `decimal`).
 * SQLite stores any value in any column (its storage classes are NULL, INTEGER, REAL, TEXT and BLOB); the declared
 * type is how a schema says what a column holds, so the provider reads it the way the declared type means, as
 * Microsoft.Data.Sqlite reads a value through `GetFieldValue<T>`.
 */
const DECLARED_TYPES: ReadonlyArray<readonly [readonly string[], DbType]> = [
  [['boolean', 'bool', 'bit'], 'Boolean'],
  [['tinyint', 'uint8'], 'Byte'],
  [['smallint', 'int2'], 'Int16'],
  [['int', 'int4', 'mediumint'], 'Int32'],
  [['integer', 'bigint', 'int8'], 'Int64'],
  [['decimal', 'numeric'], 'Decimal'],
  [['money', 'currency'], 'Currency'],
  [['float4', 'single'], 'Single'],
  [['real', 'double', 'float', 'float8'], 'Double'],
  [['char', 'nchar'], 'StringFixedLength'],
  [['varchar', 'nvarchar', 'text', 'clob', 'string', 'ntext'], 'String'],
  [['date'], 'Date'],
  [['time'], 'Time'],
  [['datetime', 'timestamp'], 'DateTime'],
  [['datetime2'], 'DateTime2'],
  [['datetimeoffset', 'timestamptz'], 'DateTimeOffset'],
  [['uuid', 'uniqueidentifier', 'guid'], 'Guid'],
  [['blob', 'binary', 'varbinary', 'bytea'], 'Binary'],
  [['json', 'jsonb'], 'Json'],
];

const BY_WORD = new Map<string, DbType>(
  DECLARED_TYPES.flatMap(([words, dbType]) => words.map((word) => [word, dbType])),
);

/** What {@link columnTypeOf} found for each declared type seen (null: a name the table does not know). */
const BY_DECLARED_TYPE = new Map<string, SqliteColumnType | null>();
/** Declared types remembered; past it the memo starts afresh (a schema uses a bounded set of type names). */
const DECLARED_TYPE_MEMO_LIMIT = 256;

/**
 * The DbType of a declared type, or undefined for a name the table does not know. Every result asks again for each
 * column, so the answer is remembered per declared type: the same frozen object each time.
 */
export function columnTypeOf(declaredType: string): SqliteColumnType | undefined {
  const known = BY_DECLARED_TYPE.get(declaredType);
  if (known !== undefined) return known ?? undefined;
  const found = readDeclaredType(declaredType);
  if (BY_DECLARED_TYPE.size >= DECLARED_TYPE_MEMO_LIMIT) BY_DECLARED_TYPE.clear();
  BY_DECLARED_TYPE.set(declaredType, found ?? null);
  return found;
}

function readDeclaredType(declaredType: string): SqliteColumnType | undefined {
  const lower = declaredType.toLowerCase();
  const words = lower
    .replace(/\(.*$/s, '')
    .split(/[^a-z0-9_]+/)
    .filter(Boolean);
  // The more specific word wins: `TEXT DECIMAL(20,4)` is a decimal stored as text, `DOUBLE PRECISION` a double.
  const dbType =
    words.map((word) => BY_WORD.get(word)).find((found) => found !== undefined && found !== 'String') ??
    words.map((word) => BY_WORD.get(word)).find((found) => found !== undefined);
  if (dbType === undefined) return undefined;
  const numbers = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(lower);
  const precision = numbers?.[1] === undefined ? undefined : Number(numbers[1]);
  const scale = numbers?.[2] === undefined ? (dbType === 'Currency' ? 4 : undefined) : Number(numbers[2]);
  return Object.freeze({ dbType, dataTypeName: declaredType, precision, scale });
}

/** The DbType of a value with no declared type (an expression), by its storage class. */
export function storageClassTypeOf(value: unknown): SqliteColumnType {
  if (typeof value === 'bigint') return { dbType: 'Int64', dataTypeName: 'INTEGER' };
  if (typeof value === 'number') return { dbType: 'Double', dataTypeName: 'REAL' };
  if (value instanceof Uint8Array) return { dbType: 'Binary', dataTypeName: 'BLOB' };
  return { dbType: 'String', dataTypeName: 'TEXT' };
}
