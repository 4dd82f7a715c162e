import { describe, expect, it } from 'vitest';
import { MysqlTypes, type MysqlField } from './mysql-driver.js';
import { cachedResultShape } from './mysql-shape-cache.js';

function field(overrides: Partial<MysqlField> = {}): MysqlField {
  return {
    name: 'n',
    columnType: MysqlTypes.LONG,
    columnLength: 11,
    flags: 0,
    characterSet: 63,
    decimals: 0,
    ...overrides,
  };
}

describe('cachedResultShape', () => {
  it("knows a text query's remembered (frozen) fields arrays by identity, each with its own shape", () => {
    const ints = Object.freeze([field({ name: 'remembered_a' })]);
    const texts = Object.freeze([field({ name: 'remembered_a', columnType: MysqlTypes.VAR_STRING })]);
    const intShape = cachedResultShape(ints);
    const textShape = cachedResultShape(texts);
    expect(textShape).not.toBe(intShape);
    // Alternating (as ten pooled connections do): each array keeps its own shape.
    for (let i = 0; i < 3; i++) {
      expect(cachedResultShape(ints)).toBe(intShape);
      expect(cachedResultShape(texts)).toBe(textShape);
    }
    expect(cachedResultShape([field({ name: 'remembered_a' })])).toBe(intShape);
  });

  it('returns the same shape for the same column metadata, even from new field objects', () => {
    const first = cachedResultShape([field(), field({ name: 'm' })]);
    expect(cachedResultShape([field(), field({ name: 'm' })])).toBe(first);
    expect(Object.isFrozen(first.columns)).toBe(true);
    expect(first.columns.map((column) => column.columnName)).toEqual(['n', 'm']);
  });

  it('builds another shape when anything the shape depends on differs', () => {
    const base = cachedResultShape([field()]);
    for (const changed of [
      field({ name: 'other' }),
      field({ columnType: MysqlTypes.LONGLONG }),
      field({ flags: 32 }),
      field({ columnLength: 1 }),
      field({ characterSet: 224 }),
      field({ decimals: 2 }),
      field({ orgTable: 't' }),
      field({ orgName: 'x' }),
      field({ schema: 's' }),
      field({ extendedFormat: 'json' }),
      field({ extendedTypeName: 'uuid' }),
    ]) {
      expect(cachedResultShape([changed])).not.toBe(base);
    }
  });

  it('never takes the shape returned last for metadata that differs from it in anything', () => {
    for (const changed of [
      field({ name: 'other' }),
      field({ columnType: MysqlTypes.LONGLONG }),
      field({ flags: 32 }),
      field({ columnLength: 1 }),
      field({ characterSet: 224 }),
      field({ decimals: 2 }),
      field({ orgTable: 't' }),
      field({ orgName: 'x' }),
      field({ schema: 's' }),
      field({ extendedFormat: 'json' }),
      field({ extendedTypeName: 'uuid' }),
    ]) {
      // The base shape is the last one returned each time: the changed metadata is compared with it first.
      const base = cachedResultShape([field()]);
      expect(cachedResultShape([changed])).not.toBe(base);
      expect(cachedResultShape([field(), field()])).not.toBe(base);
    }
  });

  it("compares mysql2's packet bytes with the last shape's, wherever they sit in the buffer", () => {
    const packetField = (prefix: string, bytes: string, encoding: string): MysqlField => {
      const buffer = Buffer.from(`${prefix}${bytes}yy`, 'latin1');
      return Object.assign(field({ name: 'a' }), {
        _buf: buffer,
        _catalogStart: prefix.length,
        _orgNameStart: prefix.length + bytes.length - 1,
        _orgNameLength: 1,
        _clientEncoding: encoding,
      });
    };
    const bytes = 'def\x04test\x01u\x01u\x01b\x01b';
    const first = cachedResultShape([packetField('xx', bytes, 'utf8')]);
    expect(cachedResultShape([packetField('xxxxx', bytes, 'utf8')])).toBe(first);
    expect(cachedResultShape([packetField('xx', bytes, 'latin1')])).not.toBe(first);
    cachedResultShape([packetField('xx', bytes, 'utf8')]);
    expect(cachedResultShape([packetField('xx', bytes.replace('test', 'tesu'), 'utf8')])).not.toBe(first);
    cachedResultShape([packetField('xx', bytes, 'utf8')]);
    // Same names, decoded rather than in a packet: the other kind of key.
    expect(cachedResultShape([field({ name: 'a' })])).not.toBe(first);
  });

  it("keys mysql2's column definitions by their packet bytes, without decoding their names", () => {
    /** A column definition as mysql2 keeps it: names still in the packet, decoded on access. */
    const packetField = (bytes: string, decoded: Partial<MysqlField>): MysqlField => {
      const buffer = Buffer.from(`xx${bytes}yy`, 'latin1');
      return Object.assign(field(decoded), {
        _buf: buffer,
        _catalogStart: 2,
        _orgNameStart: 2 + bytes.length - 1,
        _orgNameLength: 1,
        _clientEncoding: 'utf8',
      });
    };
    const first = cachedResultShape([
      packetField('def\x04test\x01t\x01t\x01a\x01a', { name: 'a', orgTable: 't', schema: 'test' }),
    ]);
    const same = cachedResultShape([
      packetField('def\x04test\x01t\x01t\x01a\x01a', { name: 'a', orgTable: 't', schema: 'test' }),
    ]);
    const otherSchema = cachedResultShape([
      packetField('def\x05other\x01t\x01t\x01a\x01a', { name: 'a', orgTable: 't', schema: 'other' }),
    ]);
    expect(same).toBe(first);
    expect(otherSchema).not.toBe(first);
    expect(otherSchema.columns[0]?.baseSchemaName).toBe('other');
  });

  it('converts rows with the shared converter', () => {
    const shape = cachedResultShape([field({ name: 'big', columnType: MysqlTypes.LONGLONG })]);
    expect(shape.convert(['12'])).toEqual([12n]);
  });
});
