import { describe, expect, it } from 'vitest';
import type { PgFieldDescription } from './pg-client.js';
import { baseColumnKey, buildColumn, decodeTypeModifier } from './pg-columns.js';
import { PgOid } from './pg-type-map.js';

const field = (
  dataTypeID: number,
  dataTypeModifier = -1,
  dataTypeSize = -1,
  tableID = 0,
  columnID = 0,
): PgFieldDescription => ({
  name: 'c',
  tableID,
  columnID,
  dataTypeID,
  dataTypeSize,
  dataTypeModifier,
  format: 'text',
});

describe('decodeTypeModifier', () => {
  it('decodes numeric(p,s), including negative scales (PostgreSQL 15+)', () => {
    expect(decodeTypeModifier(PgOid.numeric, ((12 << 16) | 4) + 4, -1)).toEqual({
      numericPrecision: 12,
      numericScale: 4,
    });
    expect(decodeTypeModifier(PgOid.numeric, ((5 << 16) | (-2 & 0x7ff)) + 4, -1)).toEqual({
      numericPrecision: 5,
      numericScale: -2,
    });
    expect(decodeTypeModifier(PgOid.numeric, -1, -1)).toEqual({});
  });

  it('decodes varchar(n) and char(n) lengths', () => {
    expect(decodeTypeModifier(PgOid.varchar, 54, -1)).toEqual({ columnSize: 50 });
    expect(decodeTypeModifier(PgOid.bpchar, 14, -1)).toEqual({ columnSize: 10 });
    expect(decodeTypeModifier(PgOid.text, -1, -1)).toEqual({});
  });

  it('decodes fractional-second precision, 6 by default', () => {
    expect(decodeTypeModifier(PgOid.timestamp, 3, 8)).toEqual({ numericScale: 3, columnSize: 8 });
    expect(decodeTypeModifier(PgOid.timestamptz, -1, 8)).toEqual({ numericScale: 6, columnSize: 8 });
  });

  it('reports the size of fixed-length types', () => {
    expect(decodeTypeModifier(PgOid.int4, -1, 4)).toEqual({ columnSize: 4 });
  });
});

describe('buildColumn', () => {
  it('names the type from its OID and maps the DbType', () => {
    const column = buildColumn(field(PgOid.int8, -1, 8), 2);
    expect(column).toMatchObject({
      columnName: 'c',
      columnOrdinal: 2,
      dataTypeName: 'int8',
      dbType: 'Int64',
      fieldType: 'bigint',
      providerType: 20,
    });
    expect(column.isExpression).toBe(true);
  });

  it.each([
    [PgOid.numeric, 'numeric', 'Decimal', 'string'],
    [PgOid.date, 'date', 'Date', 'string'],
    [PgOid.timestamp, 'timestamp', 'DateTime', 'Date'],
    [PgOid.timestamptz, 'timestamptz', 'DateTimeOffset', 'Date'],
    [PgOid.uuid, 'uuid', 'Guid', 'string'],
    [PgOid.bytea, 'bytea', 'Binary', 'Uint8Array'],
    [PgOid.jsonb, 'jsonb', 'Json', 'object'],
    [PgOid.bool, 'bool', 'Boolean', 'boolean'],
    [1007, '_int4', 'Object', 'object'],
  ])('maps oid %i to %s', (oid, name, dbType, fieldType) => {
    expect(buildColumn(field(oid), 0)).toMatchObject({ dataTypeName: name, dbType, fieldType });
  });

  it('uses looked-up catalog types and base-column facts', () => {
    const column = buildColumn(field(90_001, -1, 4, 16_384, 1), 0, {
      catalogTypes: new Map([[90_001, { name: 'mood', dbType: 'String' }]]),
      baseColumns: new Map([
        [
          baseColumnKey(16_384, 1),
          {
            schemaName: 'public',
            tableName: 't',
            columnName: 'id',
            notNull: true,
            isKey: true,
            isUnique: true,
            isAutoIncrement: true,
          },
        ],
      ]),
    });
    expect(column).toMatchObject({
      dataTypeName: 'mood',
      baseSchemaName: 'public',
      baseTableName: 't',
      baseColumnName: 'id',
      allowDBNull: false,
      isKey: true,
      isAutoIncrement: true,
      isAliased: true,
      isExpression: false,
    });
  });

  it('names unknown types by OID', () => {
    expect(buildColumn(field(123_456), 0).dataTypeName).toBe('oid:123456');
  });
});
