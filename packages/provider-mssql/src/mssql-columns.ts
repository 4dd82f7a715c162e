import { DbColumn } from '@asyncdb/core';
import type { DescribedColumn } from './mssql-describe.js';
import type { TediousColumnMetadata } from './mssql-tedious.js';
import { columnTypeOf } from './mssql-type-map.js';

// COLMETADATA flags (MS-TDS 2.2.7.4).
const FLAG_NULLABLE = 0x0001;
/** fUpdateable: 0 read-only, 1 read/write, 2 unknown. */
const FLAG_UPDATEABLE_SHIFT = 2;
const FLAG_IDENTITY = 0x0010;
const FLAG_COMPUTED = 0x0020;

/** The length SqlClient reports for MAX and LOB columns. */
const LONG_COLUMN_SIZE = 2_147_483_647;

/** Precision SqlClient's schema reports for the fixed numeric types (decimal/numeric carry their own). */
const FIXED_PRECISION: Readonly<Record<string, number>> = {
  tinyint: 3,
  smallint: 5,
  int: 10,
  bigint: 19,
  real: 7,
  float: 15,
  smallmoney: 10,
  money: 19,
};

/** Bytes per character of the UTF-16 types, whose TDS length is in bytes. */
const UNICODE_TYPES: ReadonlySet<string> = new Set(['nvarchar', 'nchar', 'ntext']);

/**
 * Describes a result column from tedious' metadata, as `SqlDataReader.GetColumnSchema` does: the SQL Server type
 * name, the DbType its values read as, size in characters (bytes for binary; 2147483647 for MAX/LOB types),
 * precision and scale, nullability, identity, read-only/computed, and the base table when the server sent it.
 * `keyInfo` (CommandBehavior.KeyInfo: the server's description of the column) adds `isKey` and the base schema,
 * table and column.
 */
export function toDbColumn(metadata: TediousColumnMetadata, ordinal: number, keyInfo?: DescribedColumn): DbColumn {
  const type = columnTypeOf(metadata);
  const name = type.dataTypeName;
  let columnSize: number | undefined;
  if (type.isLong) columnSize = LONG_COLUMN_SIZE;
  else if (metadata.dataLength !== undefined && metadata.dataLength > 0) {
    columnSize = UNICODE_TYPES.has(name) ? metadata.dataLength / 2 : metadata.dataLength;
  }
  const decimal = type.dbType === 'Decimal';
  const temporal = name === 'time' || name === 'datetime2' || name === 'datetimeoffset';
  const tableName = Array.isArray(metadata.tableName) ? metadata.tableName.at(-1) : metadata.tableName;
  return new DbColumn({
    columnName: metadata.colName,
    columnOrdinal: ordinal,
    dataTypeName: name,
    dbType: type.dbType,
    allowDBNull: (metadata.flags & FLAG_NULLABLE) !== 0,
    columnSize,
    numericPrecision: decimal ? metadata.precision : FIXED_PRECISION[name],
    numericScale: decimal || temporal ? metadata.scale : name.endsWith('money') ? 4 : undefined,
    isAutoIncrement: keyInfo?.isIdentity ?? (metadata.flags & FLAG_IDENTITY) !== 0,
    isKey: keyInfo?.isPartOfUniqueKey,
    baseSchemaName: keyInfo?.sourceSchema,
    baseColumnName: keyInfo?.sourceColumn,
    isReadOnly: readOnly(metadata.flags),
    isExpression: (metadata.flags & FLAG_COMPUTED) !== 0,
    isLong: type.isLong,
    baseTableName: keyInfo?.sourceTable ?? (typeof tableName === 'string' && tableName !== '' ? tableName : undefined),
    providerType: metadata.type.id ?? metadata.type.name,
  });
}

function readOnly(flags: number): boolean | undefined {
  if ((flags & FLAG_COMPUTED) !== 0) return true;
  const updateable = (flags >> FLAG_UPDATEABLE_SHIFT) & 0x03;
  return updateable === 0 ? true : updateable === 1 ? false : undefined;
}
