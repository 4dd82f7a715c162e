import { describe, expect, it } from 'vitest';
import { toDbColumn } from './mssql-columns.js';
import type { DescribedColumn } from './mssql-describe.js';
import type { TediousColumnMetadata } from './mssql-tedious.js';
import { columnTypeOf } from './mssql-type-map.js';

const column = (name: string, extra: Partial<TediousColumnMetadata> = {}): TediousColumnMetadata => ({
  colName: 'c',
  type: { name },
  flags: 0x09,
  ...extra,
});

describe('columnTypeOf', () => {
  it.each([
    ['IntN', 1, 'tinyint', 'Byte'],
    ['IntN', 2, 'smallint', 'Int16'],
    ['IntN', 4, 'int', 'Int32'],
    ['IntN', 8, 'bigint', 'Int64'],
    ['FloatN', 4, 'real', 'Single'],
    ['FloatN', 8, 'float', 'Double'],
    ['MoneyN', 4, 'smallmoney', 'Currency'],
    ['MoneyN', 8, 'money', 'Currency'],
    ['DateTimeN', 4, 'smalldatetime', 'DateTime'],
    ['DateTimeN', 8, 'datetime', 'DateTime'],
    ['BitN', 1, 'bit', 'Boolean'],
    ['DecimalN', 17, 'decimal', 'Decimal'],
    ['NumericN', 17, 'numeric', 'Decimal'],
    ['NVarChar', 100, 'nvarchar', 'String'],
    ['NChar', 10, 'nchar', 'StringFixedLength'],
    ['VarChar', 100, 'varchar', 'AnsiString'],
    ['Char', 10, 'char', 'AnsiStringFixedLength'],
    ['VarBinary', 100, 'varbinary', 'Binary'],
    ['Date', 3, 'date', 'Date'],
    ['Time', 5, 'time', 'Time'],
    ['DateTime2', 8, 'datetime2', 'DateTime2'],
    ['DateTimeOffset', 10, 'datetimeoffset', 'DateTimeOffset'],
    ['UniqueIdentifier', 16, 'uniqueidentifier', 'Guid'],
    ['Xml', undefined, 'xml', 'Xml'],
    ['NText', undefined, 'ntext', 'String'],
    ['Variant', 8016, 'sql_variant', 'Object'],
  ])('%s(%s) is %s / %s', (name, dataLength, dataTypeName, dbType) => {
    expect(columnTypeOf(column(name, { dataLength }))).toMatchObject({ dataTypeName, dbType });
  });

  it('marks MAX and LOB types long', () => {
    expect(columnTypeOf(column('NVarChar', { dataLength: 0xffff })).isLong).toBe(true);
    expect(columnTypeOf(column('NVarChar', { dataLength: 100 })).isLong).toBe(false);
    expect(columnTypeOf(column('UDT', { udtInfo: { typeName: 'Geography' } }))).toMatchObject({
      dataTypeName: 'geography',
      dbType: 'Binary',
    });
  });
});

describe('toDbColumn', () => {
  it('reports size in characters, precision, scale, nullability and identity as SqlClient does', () => {
    const text = toDbColumn(column('NVarChar', { colName: 'name', dataLength: 200, flags: 0x05 }), 1);
    expect(text).toMatchObject({
      columnName: 'name',
      columnOrdinal: 1,
      dataTypeName: 'nvarchar',
      columnSize: 100,
      allowDBNull: true,
      isLong: false,
      isReadOnly: false,
    });
    const id = toDbColumn(column('IntN', { colName: 'id', dataLength: 4, flags: 0x10 }), 0);
    expect(id).toMatchObject({ allowDBNull: false, isAutoIncrement: true, numericPrecision: 10, isReadOnly: true });
    expect(toDbColumn(column('DecimalN', { precision: 20, scale: 4, dataLength: 13 }), 0)).toMatchObject({
      numericPrecision: 20,
      numericScale: 4,
    });
    expect(toDbColumn(column('MoneyN', { dataLength: 8 }), 0)).toMatchObject({ numericPrecision: 19, numericScale: 4 });
    expect(toDbColumn(column('DateTime2', { scale: 3 }), 0)).toMatchObject({ numericScale: 3 });
    expect(toDbColumn(column('VarChar', { dataLength: 0xffff }), 0)).toMatchObject({
      columnSize: 2147483647,
      isLong: true,
    });
    expect(toDbColumn(column('IntN', { dataLength: 4, flags: 0x29 }), 0)).toMatchObject({
      isExpression: true,
      isReadOnly: true,
    });
  });

  it('adds KeyInfo', () => {
    const described: DescribedColumn = {
      name: 'id',
      ordinal: 0,
      isNullable: false,
      systemTypeName: 'int',
      maxLength: 4,
      precision: 10,
      scale: 0,
      isIdentity: false,
      isPartOfUniqueKey: true,
      isUpdateable: true,
      isComputed: false,
      sourceSchema: 'dbo',
      sourceTable: 't',
      sourceColumn: 'id',
    };
    const key = toDbColumn(column('IntN', { dataLength: 4 }), 0, described);
    expect(key).toMatchObject({ isKey: true, baseSchemaName: 'dbo', baseTableName: 't', baseColumnName: 'id' });
    expect(toDbColumn(column('IntN', { dataLength: 4 }), 0).isKey).toBeUndefined();
  });
});
