import { describe, expect, it } from 'vitest';
import type { BoundParameter } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { declarationsOf, describedToDbColumn, type DescribedColumn } from './mssql-describe.js';

const described = (systemTypeName: string, extra: Partial<DescribedColumn> = {}): DescribedColumn => ({
  name: 'c',
  ordinal: 0,
  isNullable: true,
  systemTypeName,
  maxLength: 4,
  precision: 0,
  scale: 0,
  isIdentity: undefined,
  isPartOfUniqueKey: undefined,
  isUpdateable: undefined,
  isComputed: undefined,
  sourceSchema: undefined,
  sourceTable: undefined,
  sourceColumn: undefined,
  ...extra,
});

describe('describedToDbColumn', () => {
  it('names the type and DbType from system_type_name, sizes in characters', () => {
    expect(describedToDbColumn(described('nvarchar(50)', { maxLength: 100 }))).toMatchObject({
      dataTypeName: 'nvarchar',
      dbType: 'String',
      columnSize: 50,
      isLong: false,
    });
    expect(describedToDbColumn(described('varbinary(max)', { maxLength: -1 }))).toMatchObject({
      dbType: 'Binary',
      columnSize: 2147483647,
      isLong: true,
    });
    expect(describedToDbColumn(described('decimal(9,2)', { precision: 9, scale: 2 }))).toMatchObject({
      dbType: 'Decimal',
      numericPrecision: 9,
      numericScale: 2,
    });
    expect(describedToDbColumn(described('datetime2(3)', { scale: 3 }))).toMatchObject({
      dbType: 'DateTime2',
      numericScale: 3,
    });
    expect(describedToDbColumn(described('geography'))).toMatchObject({ dataTypeName: 'geography', dbType: 'Object' });
  });

  it('carries key membership, identity, updatability and the source column', () => {
    const column = describedToDbColumn(
      described('int', {
        name: 'id',
        isNullable: false,
        isPartOfUniqueKey: true,
        isIdentity: true,
        isUpdateable: false,
        sourceSchema: 'dbo',
        sourceTable: 't',
        sourceColumn: 'id',
      }),
    );
    expect(column).toMatchObject({
      columnName: 'id',
      allowDBNull: false,
      isKey: true,
      isAutoIncrement: true,
      isReadOnly: true,
      baseSchemaName: 'dbo',
      baseTableName: 't',
      baseColumnName: 'id',
    });
  });
});

describe('declarationsOf', () => {
  it('declares the sent parameters as sp_executesql would', () => {
    const bound = (name: string, value: unknown, direction: BoundParameter['direction'] = 'Input'): BoundParameter =>
      boundParameter(value, { name, direction });
    expect(
      declarationsOf([bound('a', 1), bound('b', 'x'), bound('c', null, 'Output'), bound('r', null, 'ReturnValue')]),
    ).toBe('@a int, @b nvarchar(4000), @c nvarchar(max) OUTPUT');
    expect(declarationsOf([])).toBe('');
  });
});
