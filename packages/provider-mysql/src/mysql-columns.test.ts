import { describe, expect, it } from 'vitest';
import { mysqlColumnType, mysqlDbColumn, mysqlResultShape } from './mysql-columns.js';
import { MysqlFieldFlags, MysqlTypes, type MysqlField } from './mysql-driver.js';

const UTF8MB4 = 224;
const BINARY = 63;

function field(columnType: number, overrides: Partial<MysqlField> = {}): MysqlField {
  return { name: 'c', columnType, columnLength: 11, flags: 0, characterSet: BINARY, decimals: 0, ...overrides };
}

describe('mysqlColumnType', () => {
  it.each([
    ['TINYINT(1)', field(MysqlTypes.TINY, { columnLength: 1 }), 'Boolean', 'BOOL'],
    ['TINYINT', field(MysqlTypes.TINY, { columnLength: 4 }), 'SByte', 'TINYINT'],
    [
      'TINYINT UNSIGNED',
      field(MysqlTypes.TINY, { columnLength: 3, flags: MysqlFieldFlags.UNSIGNED }),
      'Byte',
      'TINYINT UNSIGNED',
    ],
    ['SMALLINT', field(MysqlTypes.SHORT), 'Int16', 'SMALLINT'],
    ['INT', field(MysqlTypes.LONG), 'Int32', 'INT'],
    ['BIGINT', field(MysqlTypes.LONGLONG), 'Int64', 'BIGINT'],
    ['FLOAT', field(MysqlTypes.FLOAT), 'Single', 'FLOAT'],
    ['DOUBLE', field(MysqlTypes.DOUBLE), 'Double', 'DOUBLE'],
    ['DECIMAL', field(MysqlTypes.NEWDECIMAL), 'Decimal', 'DECIMAL'],
    ['DATE', field(MysqlTypes.DATE), 'Date', 'DATE'],
    ['TIME', field(MysqlTypes.TIME), 'Time', 'TIME'],
    ['DATETIME', field(MysqlTypes.DATETIME), 'DateTime', 'DATETIME'],
    ['TIMESTAMP', field(MysqlTypes.TIMESTAMP), 'DateTimeOffset', 'TIMESTAMP'],
    ['YEAR', field(MysqlTypes.YEAR), 'Int16', 'YEAR'],
    ['BIT(1)', field(MysqlTypes.BIT, { columnLength: 1 }), 'Boolean', 'BIT'],
    ['BIT(8)', field(MysqlTypes.BIT, { columnLength: 8 }), 'Int64', 'BIT'],
    ['VARCHAR', field(MysqlTypes.VAR_STRING, { characterSet: UTF8MB4 }), 'String', 'VARCHAR'],
    ['CHAR', field(MysqlTypes.STRING, { characterSet: UTF8MB4 }), 'StringFixedLength', 'CHAR'],
    ['TEXT', field(MysqlTypes.BLOB, { characterSet: UTF8MB4 }), 'String', 'TEXT'],
    ['VARBINARY', field(MysqlTypes.VAR_STRING), 'Binary', 'VARBINARY'],
    ['BINARY', field(MysqlTypes.STRING), 'Binary', 'BINARY'],
    ['BLOB', field(MysqlTypes.BLOB), 'Binary', 'BLOB'],
    ['ENUM', field(MysqlTypes.STRING, { characterSet: UTF8MB4, flags: MysqlFieldFlags.ENUM }), 'String', 'ENUM'],
    ['JSON (MySQL)', field(MysqlTypes.JSON), 'Json', 'JSON'],
    ['JSON (MariaDB)', field(MysqlTypes.BLOB, { characterSet: UTF8MB4, extendedFormat: 'json' }), 'Json', 'JSON'],
    ['UUID (MariaDB)', field(MysqlTypes.STRING, { characterSet: UTF8MB4, extendedTypeName: 'uuid' }), 'Guid', 'UUID'],
    ['NULL', field(MysqlTypes.NULL), 'Object', 'NULL'],
  ])('%s reads as %s (%s)', (_label, input, dbType, dataTypeName) => {
    const type = mysqlColumnType(input);
    expect(type.dbType).toBe(dbType);
    expect(type.dataTypeName).toBe(dataTypeName);
  });
});

describe('mysqlDbColumn', () => {
  it('describes a table column from its definition packet', () => {
    const column = mysqlDbColumn(
      field(MysqlTypes.LONG, {
        name: 'id',
        flags: MysqlFieldFlags.NOT_NULL | MysqlFieldFlags.PRI_KEY | MysqlFieldFlags.AUTO_INCREMENT,
        schema: 'shop',
        orgTable: 'customer',
        orgName: 'id',
      }),
      0,
    );
    expect(column).toMatchObject({
      columnName: 'id',
      columnOrdinal: 0,
      dbType: 'Int32',
      fieldType: 'number',
      allowDBNull: false,
      isKey: true,
      isAutoIncrement: true,
      isExpression: false,
      isAliased: false,
      baseSchemaName: 'shop',
      baseTableName: 'customer',
      baseColumnName: 'id',
      providerType: MysqlTypes.LONG,
    });
  });

  it('gives decimal precision and scale, and text length in characters', () => {
    expect(mysqlDbColumn(field(MysqlTypes.NEWDECIMAL, { columnLength: 12, decimals: 2 }), 0)).toMatchObject({
      numericPrecision: 10,
      numericScale: 2,
    });
    expect(
      mysqlDbColumn(field(MysqlTypes.VAR_STRING, { columnLength: 400, characterSet: UTF8MB4 }), 0).columnSize,
    ).toBe(100);
  });

  it('marks expressions and aliases', () => {
    const column = mysqlDbColumn(field(MysqlTypes.LONG, { name: 'n', orgTable: 't', orgName: 'id' }), 1);
    expect(column.isAliased).toBe(true);
    expect(mysqlDbColumn(field(MysqlTypes.LONG, { name: '1' }), 0).isExpression).toBe(true);
  });
});

describe('mysqlResultShape', () => {
  it('converts only the columns that need it, and leaves NULL alone', () => {
    const shape = mysqlResultShape([
      field(MysqlTypes.LONGLONG),
      field(MysqlTypes.TINY, { columnLength: 1 }),
      field(MysqlTypes.DATETIME),
      field(MysqlTypes.VAR_STRING, { characterSet: UTF8MB4 }),
    ]);
    expect(shape.columns.map((column) => column.fieldType)).toEqual(['bigint', 'boolean', 'Date', 'string']);
    expect(shape.convert(['9007199254740993', 1, '2024-01-02 03:04:05', 'x'])).toEqual([
      9007199254740993n,
      true,
      new Date('2024-01-02T03:04:05Z'),
      'x',
    ]);
    expect(shape.convert([null, null, null, null])).toEqual([null, null, null, null]);
  });
});
