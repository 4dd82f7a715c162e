import { DbColumn, type DbType } from '@asyncdb/core';
import { BINARY_CHARSET, MysqlFieldFlags, MysqlTypes, type MysqlField } from './mysql-driver.js';
import {
  identity,
  readBigInt,
  readBitBigInt,
  readBitBoolean,
  readDate,
  readDateTime,
  readFloat,
  readTime,
  readTinyBoolean,
  type ValueReader,
} from './mysql-value-readers.js';

/** How one column is described and how its values are read. */
interface ColumnType {
  readonly dbType: DbType;
  readonly dataTypeName: string;
  readonly read: ValueReader;
}

/** The columns of a result set and the conversion of its rows. */
export interface MysqlResultShape {
  readonly columns: readonly DbColumn[];
  /** Converts a row (as mysql2 produced it with `rowsAsArray`) in place and returns it. */
  readonly convert: (row: unknown[]) => unknown[];
}

/** `decimals` values meaning "not fixed" (expressions): the scale is unknown. */
const NOT_FIXED_DECIMALS = new Set([31, 39]);

/** Maximum bytes per character of the common collations, to turn a byte length into characters. */
function bytesPerCharacter(characterSet: number): number {
  if (characterSet === BINARY_CHARSET) return 1;
  // utf8mb4 collations are 45, 46, 224–247, 255+ ; utf8mb3 33, 83, 192–215; latin1 and friends 1.
  if (characterSet === 45 || characterSet === 46 || (characterSet >= 224 && characterSet <= 247) || characterSet >= 255)
    return 4;
  if (characterSet === 33 || characterSet === 83 || (characterSet >= 192 && characterSet <= 215)) return 3;
  return 1;
}

function integerType(field: MysqlField, name: string, signed: DbType, unsigned: DbType): ColumnType {
  const isUnsigned = (field.flags & MysqlFieldFlags.UNSIGNED) !== 0;
  return {
    dbType: isUnsigned ? unsigned : signed,
    dataTypeName: isUnsigned ? `${name} UNSIGNED` : name,
    read: identity,
  };
}

function textType(field: MysqlField, name: string, fixed: boolean): ColumnType {
  if (field.extendedFormat === 'json') return { dbType: 'Json', dataTypeName: 'JSON', read: identity };
  if (field.extendedTypeName === 'uuid') return { dbType: 'Guid', dataTypeName: 'UUID', read: identity };
  if (field.characterSet === BINARY_CHARSET) {
    return {
      dbType: 'Binary',
      dataTypeName: name === 'TEXT' ? 'BLOB' : fixed ? 'BINARY' : 'VARBINARY',
      read: identity,
    };
  }
  if (field.flags & MysqlFieldFlags.ENUM) return { dbType: 'String', dataTypeName: 'ENUM', read: identity };
  if (field.flags & MysqlFieldFlags.SET) return { dbType: 'String', dataTypeName: 'SET', read: identity };
  const dataTypeName = field.extendedTypeName ? field.extendedTypeName.toUpperCase() : name;
  return { dbType: fixed ? 'StringFixedLength' : 'String', dataTypeName, read: identity };
}

/** The DbType, type name and value reader of a column (docs/values.md; the README has the table). */
export function mysqlColumnType(field: MysqlField): ColumnType {
  switch (field.columnType) {
    case MysqlTypes.TINY:
      // MySQL's BOOLEAN is TINYINT(1); MySqlConnector's TreatTinyAsBoolean does the same.
      if (field.columnLength === 1) return { dbType: 'Boolean', dataTypeName: 'BOOL', read: readTinyBoolean };
      return integerType(field, 'TINYINT', 'SByte', 'Byte');
    case MysqlTypes.SHORT:
      return integerType(field, 'SMALLINT', 'Int16', 'Int32');
    case MysqlTypes.INT24:
      return integerType(field, 'MEDIUMINT', 'Int32', 'Int32');
    case MysqlTypes.LONG:
      // INT UNSIGNED is still a 32-bit integer: a number (getInt32 throws OverflowError above 2^31-1).
      return integerType(field, 'INT', 'Int32', 'Int32');
    case MysqlTypes.LONGLONG: {
      const type = integerType(field, 'BIGINT', 'Int64', 'Int64');
      return { ...type, read: readBigInt };
    }
    case MysqlTypes.YEAR:
      return { dbType: 'Int16', dataTypeName: 'YEAR', read: identity };
    case MysqlTypes.FLOAT:
      return { dbType: 'Single', dataTypeName: 'FLOAT', read: readFloat };
    case MysqlTypes.DOUBLE:
      return { dbType: 'Double', dataTypeName: 'DOUBLE', read: identity };
    case MysqlTypes.DECIMAL:
    case MysqlTypes.NEWDECIMAL:
      return { dbType: 'Decimal', dataTypeName: 'DECIMAL', read: identity };
    case MysqlTypes.DATE:
    case MysqlTypes.NEWDATE:
      return { dbType: 'Date', dataTypeName: 'DATE', read: readDate };
    case MysqlTypes.TIME:
      return { dbType: 'Time', dataTypeName: 'TIME', read: readTime };
    case MysqlTypes.DATETIME:
      return { dbType: 'DateTime', dataTypeName: 'DATETIME', read: readDateTime };
    case MysqlTypes.TIMESTAMP:
      // An instant (stored as UTC, shown in the session's zone, which the provider pins to UTC): timestamptz's kin.
      return { dbType: 'DateTimeOffset', dataTypeName: 'TIMESTAMP', read: readDateTime };
    case MysqlTypes.BIT:
      if (field.columnLength === 1) return { dbType: 'Boolean', dataTypeName: 'BIT', read: readBitBoolean };
      return { dbType: 'Int64', dataTypeName: 'BIT', read: readBitBigInt };
    case MysqlTypes.JSON:
      return { dbType: 'Json', dataTypeName: 'JSON', read: identity };
    case MysqlTypes.NULL:
      return { dbType: 'Object', dataTypeName: 'NULL', read: identity };
    case MysqlTypes.GEOMETRY:
      return { dbType: 'Object', dataTypeName: field.extendedTypeName?.toUpperCase() ?? 'GEOMETRY', read: identity };
    case MysqlTypes.VECTOR:
      return { dbType: 'Object', dataTypeName: 'VECTOR', read: identity };
    case MysqlTypes.STRING:
      return textType(field, 'CHAR', true);
    case MysqlTypes.TINY_BLOB:
    case MysqlTypes.MEDIUM_BLOB:
    case MysqlTypes.LONG_BLOB:
    case MysqlTypes.BLOB:
      return textType(field, 'TEXT', false);
    default:
      return textType(field, 'VARCHAR', false);
  }
}

/** The DbColumn of a field (nullability, keys, base table and column from the column definition packet). */
export function mysqlDbColumn(field: MysqlField, ordinal: number, type: ColumnType = mysqlColumnType(field)): DbColumn {
  const flags = field.flags;
  const isDecimal = type.dbType === 'Decimal';
  const scale = NOT_FIXED_DECIMALS.has(field.decimals) ? undefined : field.decimals;
  const isText = type.dbType === 'String' || type.dbType === 'StringFixedLength';
  const unsignedOrNoScale = (flags & MysqlFieldFlags.UNSIGNED ? 0 : 1) + (scale ? 1 : 0);
  const orgName = field.orgName ?? '';
  const orgTable = field.orgTable ?? '';
  return new DbColumn({
    columnName: field.name,
    columnOrdinal: ordinal,
    dataTypeName: type.dataTypeName,
    dbType: type.dbType,
    allowDBNull: (flags & MysqlFieldFlags.NOT_NULL) === 0,
    columnSize: isText ? Math.floor(field.columnLength / bytesPerCharacter(field.characterSet)) : field.columnLength,
    numericPrecision: isDecimal ? field.columnLength - unsignedOrNoScale : undefined,
    numericScale: isDecimal ? scale : undefined,
    isKey: (flags & MysqlFieldFlags.PRI_KEY) !== 0,
    isUnique: (flags & MysqlFieldFlags.UNIQUE_KEY) !== 0,
    isAutoIncrement: (flags & MysqlFieldFlags.AUTO_INCREMENT) !== 0,
    isLong: (flags & MysqlFieldFlags.BLOB) !== 0,
    isAliased: orgName !== '' && orgName !== field.name,
    isExpression: orgTable === '',
    baseSchemaName: field.schema || undefined,
    baseTableName: orgTable || undefined,
    baseColumnName: orgName || undefined,
    providerType: field.columnType,
  });
}

/** Describes a result set and builds its row converter (only columns that need a conversion are touched). */
export function mysqlResultShape(fields: readonly MysqlField[]): MysqlResultShape {
  const types = fields.map((field) => mysqlColumnType(field));
  const columns = fields.map((field, ordinal) => mysqlDbColumn(field, ordinal, types[ordinal]));
  const readers: Array<readonly [number, ValueReader]> = [];
  types.forEach((type, ordinal) => {
    if (type.read !== identity) readers.push([ordinal, type.read]);
  });
  const convert = (row: unknown[]): unknown[] => {
    for (const [ordinal, read] of readers) {
      const raw = row[ordinal];
      if (raw !== null && raw !== undefined) row[ordinal] = read(raw);
    }
    return row;
  };
  return { columns, convert };
}
