import type { DbType } from '@asyncdb/core';
import type { TediousColumnMetadata } from './mssql-tedious.js';

/** A column's SQL Server type as SqlClient names it, and the DbType (hence the JS type) its values read as. */
export interface MssqlColumnType {
  /** `int`, `nvarchar`, `decimal`, `datetime2`… as `SqlDataReader.GetDataTypeName` reports it. */
  readonly dataTypeName: string;
  readonly dbType: DbType;
  /** True for the MAX types and text/ntext/image/xml (values of unbounded length). */
  readonly isLong: boolean;
}

const MAX_LENGTH = 0xffff;

const fixed = (dataTypeName: string, dbType: DbType, isLong = false): MssqlColumnType => ({
  dataTypeName,
  dbType,
  isLong,
});

/** tedious type names whose SQL name does not depend on the length. */
const FIXED_TYPES: Readonly<Record<string, MssqlColumnType>> = {
  TinyInt: fixed('tinyint', 'Byte'),
  SmallInt: fixed('smallint', 'Int16'),
  Int: fixed('int', 'Int32'),
  BigInt: fixed('bigint', 'Int64'),
  Bit: fixed('bit', 'Boolean'),
  BitN: fixed('bit', 'Boolean'),
  Real: fixed('real', 'Single'),
  Float: fixed('float', 'Double'),
  Money: fixed('money', 'Currency'),
  SmallMoney: fixed('smallmoney', 'Currency'),
  Decimal: fixed('decimal', 'Decimal'),
  DecimalN: fixed('decimal', 'Decimal'),
  Numeric: fixed('numeric', 'Decimal'),
  NumericN: fixed('numeric', 'Decimal'),
  Text: fixed('text', 'AnsiString', true),
  NText: fixed('ntext', 'String', true),
  Image: fixed('image', 'Binary', true),
  Xml: fixed('xml', 'Xml', true),
  Date: fixed('date', 'Date'),
  Time: fixed('time', 'Time'),
  DateTime: fixed('datetime', 'DateTime'),
  SmallDateTime: fixed('smalldatetime', 'DateTime'),
  DateTime2: fixed('datetime2', 'DateTime2'),
  DateTimeOffset: fixed('datetimeoffset', 'DateTimeOffset'),
  UniqueIdentifier: fixed('uniqueidentifier', 'Guid'),
  Variant: fixed('sql_variant', 'Object'),
};

/** Variable-length types: MAX when the length is 0xFFFF. */
const VARIABLE_TYPES: Readonly<Record<string, readonly [name: string, dbType: DbType]>> = {
  VarChar: ['varchar', 'AnsiString'],
  Char: ['char', 'AnsiStringFixedLength'],
  NVarChar: ['nvarchar', 'String'],
  NChar: ['nchar', 'StringFixedLength'],
  VarBinary: ['varbinary', 'Binary'],
  Binary: ['binary', 'Binary'],
};

/**
 * The SQL Server type of a column (or RETURNVALUE) from tedious' metadata: the nullable "N" wire types are told apart
 * by their length (IntN 1/2/4/8 = tinyint/smallint/int/bigint, FloatN 4/8 = real/float, MoneyN 4/8,
 * DateTimeN 4/8 = smalldatetime/datetime).
 */
export function columnTypeOf(metadata: TediousColumnMetadata): MssqlColumnType {
  const name = metadata.type.name;
  const length = metadata.dataLength;
  switch (name) {
    case 'IntN':
      return length === 1
        ? FIXED_TYPES.TinyInt!
        : length === 2
          ? FIXED_TYPES.SmallInt!
          : length === 8
            ? FIXED_TYPES.BigInt!
            : FIXED_TYPES.Int!;
    case 'FloatN':
      return length === 4 ? FIXED_TYPES.Real! : FIXED_TYPES.Float!;
    case 'MoneyN':
      return length === 4 ? FIXED_TYPES.SmallMoney! : FIXED_TYPES.Money!;
    case 'DateTimeN':
      return length === 4 ? FIXED_TYPES.SmallDateTime! : FIXED_TYPES.DateTime!;
    case 'UDT':
      return fixed(metadata.udtInfo?.typeName?.toLowerCase() ?? 'udt', 'Binary', true);
  }
  const variable = VARIABLE_TYPES[name];
  if (variable) return fixed(variable[0], variable[1], length === MAX_LENGTH);
  return FIXED_TYPES[name] ?? fixed(name.toLowerCase(), 'Object');
}

/** The scale money and smallmoney values always have. */
export const MONEY_SCALE = 4;
