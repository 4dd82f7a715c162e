import { describe, expect, it } from 'vitest';
import { PG_CLIENT_TYPES, parseBytea, pgValueParser } from './pg-type-parsers.js';
import { PgOid } from './pg-type-map.js';

const parse = (oid: number, text: string): unknown => pgValueParser(oid)(text);

describe('pgValueParser (docs/values.md)', () => {
  it.each([
    [PgOid.int2, '-32768', -32768],
    [PgOid.int4, '2147483647', 2147483647],
    [PgOid.float4, '1.5', 1.5],
    [PgOid.float8, '-0.000001', -0.000001],
    [PgOid.float8, 'Infinity', Infinity],
    [PgOid.bool, 't', true],
    [PgOid.bool, 'f', false],
    [PgOid.text, 'héllo', 'héllo'],
    [PgOid.varchar, '', ''],
    [PgOid.numeric, '12345678901234567890.123456789', '12345678901234567890.123456789'],
    [PgOid.money, '$1,234.50', '1234.50'],
    [PgOid.money, '-$0.01', '-0.01'],
    [PgOid.money, '($5.00)', '-5.00'],
    [PgOid.date, '2024-02-29', '2024-02-29'],
    [PgOid.time, '23:59:59.999999', '23:59:59.999999'],
    [PgOid.uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    [PgOid.xml, '<a/>', '<a/>'],
    [PgOid.interval, '1 day 02:00:00', '1 day 02:00:00'],
  ])('reads oid %i %j', (oid, text, expected) => {
    expect(parse(oid, text)).toEqual(expected);
  });

  it('reads NaN floats', () => {
    expect(parse(PgOid.float8, 'NaN')).toBeNaN();
  });

  it('reads int8 as bigint, beyond 2^53', () => {
    expect(parse(PgOid.int8, '9223372036854775807')).toBe(9223372036854775807n);
    expect(parse(PgOid.int8, '-9223372036854775808')).toBe(-9223372036854775808n);
  });

  it('reads json and jsonb as parsed values', () => {
    expect(parse(PgOid.json, '{"a":[1,2,{"b":null}]}')).toEqual({ a: [1, 2, { b: null }] });
    expect(parse(PgOid.jsonb, '"text"')).toBe('text');
    expect(parse(PgOid.jsonb, '12.5')).toBe(12.5);
  });

  it('reads timestamp as UTC and timestamptz with its offset', () => {
    expect(parse(PgOid.timestamp, '2024-05-01 12:34:56.789')).toEqual(new Date('2024-05-01T12:34:56.789Z'));
    expect(parse(PgOid.timestamptz, '2024-05-01 14:34:56.789+02')).toEqual(new Date('2024-05-01T12:34:56.789Z'));
  });

  it('reads bytea in hex and escape formats', () => {
    expect(parse(PgOid.bytea, '\\x00ff10')).toEqual(Buffer.from([0, 255, 16]));
    expect(parseBytea('a\\000\\\\b')).toEqual(Buffer.from([0x61, 0, 0x5c, 0x62]));
  });

  it('reads arrays element by element', () => {
    expect(parse(1007, '{1,2,NULL,4}')).toEqual([1, 2, null, 4]);
    expect(parse(1016, '{{1,2},{3,4}}')).toEqual([
      [1n, 2n],
      [3n, 4n],
    ]);
    expect(parse(1009, '{"a,b","say \\"hi\\"",plain,"NULL"}')).toEqual(['a,b', 'say "hi"', 'plain', 'NULL']);
    expect(parse(1000, '{t,f}')).toEqual([true, false]);
    expect(parse(1007, '{}')).toEqual([]);
    expect(parse(1007, '[0:1]={7,8}')).toEqual([7, 8]);
    expect(parse(1001, '{"\\\\x0102"}')).toEqual([Buffer.from([1, 2])]);
  });

  it('reads types it does not know as their text', () => {
    expect(parse(999_999, '(1,2)')).toBe('(1,2)');
  });

  it('is what the pg client gets as its types option', () => {
    expect(PG_CLIENT_TYPES.getTypeParser(PgOid.int8, 'text')('5')).toBe(5n);
    expect(PG_CLIENT_TYPES.getTypeParser(PgOid.int8, 'binary')('5')).toBe('5');
  });
});
