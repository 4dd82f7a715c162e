import { describe, expect, it } from 'vitest';
import { ArgumentError, type BoundParameter, type DbType, type ParameterDirection } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { EXACT_DECIMAL } from './mssql-exact-decimal-type.js';
import { addParameters, sendsParameters, toTediousParameter } from './mssql-parameters.js';
import type { TediousRequest } from './mssql-tedious.js';
import { XML_TYPE } from './mssql-xml-type.js';

/** A bound input `p`, its DbType set when given (else inferred), with `extra` fields on top. */
function bound(value: unknown, dbType?: DbType, extra: Partial<BoundParameter> = {}): BoundParameter {
  return boundParameter(value, { dbType, ...extra });
}

function mapped(value: unknown, dbType?: DbType, extra: Partial<BoundParameter> = {}) {
  const parameter = toTediousParameter(bound(value, dbType, extra));
  if (!parameter) throw new Error('not mapped');
  return { type: parameter.type.name, value: parameter.value, options: parameter.options, output: parameter.output };
}

describe('toTediousParameter', () => {
  it('maps values without a DbType by their JS type', () => {
    expect(mapped('abc')).toEqual({ type: 'NVarChar', value: 'abc', options: { length: 4000 }, output: false });
    expect(mapped('x'.repeat(4001)).options).toEqual({ length: 65535 });
    expect(mapped(42)).toMatchObject({ type: 'Int', value: 42 });
    expect(mapped(1.5)).toMatchObject({ type: 'Float', value: 1.5 });
    expect(mapped(9007199254740993n)).toMatchObject({ type: 'BigInt', value: 9007199254740993n });
    expect(mapped(true)).toMatchObject({ type: 'Bit', value: true });
    expect(mapped(new Uint8Array([1, 2]))).toMatchObject({
      type: 'VarBinary',
      value: Buffer.from([1, 2]),
      options: { length: 8000 },
    });
    expect(mapped({ a: 1 })).toMatchObject({ type: 'NVarChar', value: '{"a":1}' });
  });

  it('sends a JS Date as datetime2(7) unless DbType.DateTime was set explicitly', () => {
    const date = new Date('2024-02-29T13:45:30.123Z');
    expect(mapped(date)).toEqual({ type: 'DateTime2', value: date, options: { scale: 7 }, output: false });
    expect(mapped(date, 'DateTime')).toMatchObject({ type: 'DateTime', value: date });
    expect(mapped(date, 'DateTimeOffset')).toMatchObject({ type: 'DateTimeOffset', options: { scale: 7 } });
    expect(mapped(date, 'DateTime2', { scale: 3 })).toMatchObject({ type: 'DateTime2', options: { scale: 3 } });
  });

  it('maps each DbType', () => {
    expect(mapped('ab', 'StringFixedLength')).toMatchObject({ type: 'NChar', options: { length: 2 } });
    expect(mapped('ab', 'AnsiString')).toMatchObject({ type: 'VarChar', options: { length: 8000 } });
    expect(mapped('ab', 'AnsiStringFixedLength', { size: 5 })).toMatchObject({ type: 'Char', options: { length: 5 } });
    expect(mapped(7, 'Byte')).toMatchObject({ type: 'TinyInt', value: 7 });
    expect(mapped(-7, 'SByte')).toMatchObject({ type: 'SmallInt', value: -7 });
    expect(mapped(7n, 'Int16')).toMatchObject({ type: 'SmallInt', value: 7 });
    expect(mapped('42', 'Int64')).toMatchObject({ type: 'BigInt', value: 42n });
    expect(mapped(1.5, 'Single')).toMatchObject({ type: 'Real', value: 1.5 });
    expect(mapped('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'Guid')).toMatchObject({ type: 'UniqueIdentifier' });
    expect(mapped('<a/>', 'Xml')).toEqual({ type: XML_TYPE.name, value: '<a/>', options: {}, output: false });
    expect(mapped({ a: [1] }, 'Json')).toMatchObject({ type: 'NVarChar', value: '{"a":[1]}' });
    expect(mapped('{"a":1}', 'Json')).toMatchObject({ value: '{"a":1}' });
  });

  it('sends decimals exactly, with the value scale or the parameter precision and scale', () => {
    const parameter = toTediousParameter(bound('12345678901234567890.125', 'Decimal'));
    expect(parameter?.type).toBe(EXACT_DECIMAL);
    expect(parameter?.value).toBe(12345678901234567890125n);
    expect(parameter?.options).toEqual({ precision: 38, scale: 3 });
    expect(mapped('1.25', 'Decimal', { precision: 5, scale: 1 })).toMatchObject({
      value: 13n,
      options: { precision: 5, scale: 1 },
    });
    expect(mapped('1234.56', 'Currency')).toMatchObject({ value: 12345600n, options: { precision: 19, scale: 4 } });
    expect(mapped(null, 'Decimal')).toMatchObject({ value: null, options: { precision: 38, scale: 10 } });
    expect(() => toTediousParameter(bound('12x', 'Decimal'))).toThrow(ArgumentError);
  });

  it('reads date and time strings', () => {
    const date = mapped('0099-02-28', 'Date').value as Date;
    expect(date.toISOString()).toBe('0099-02-28T00:00:00.000Z');
    const time = mapped('23:59:59.1234567', 'Time').value as Date & { nanosecondDelta: number };
    expect(time.toISOString()).toBe('1970-01-01T23:59:59.123Z');
    expect(time.nanosecondDelta).toBeCloseTo(0.0004567, 12); // 4567 × 100 ns, in seconds as tedious reads it
    expect(mapped('01:02', 'Time')).toMatchObject({ options: { scale: 7 } });
    expect((mapped(new Date('2024-01-02T03:04:05.006Z'), 'Time').value as Date).toISOString()).toBe(
      '1970-01-01T03:04:05.006Z',
    );
    expect(() => toTediousParameter(bound('25 o clock', 'Time'))).toThrow(ArgumentError);
    expect(() => toTediousParameter(bound('not a date', 'Date'))).toThrow(ArgumentError);
  });

  it('sends Output parameters as NULL, BY REF, sized for the largest value when no size is set', () => {
    const out = (dbType: DbType, direction: ParameterDirection = 'Output') => mapped('ignored', dbType, { direction });
    expect(out('String')).toEqual({ type: 'NVarChar', value: null, options: { length: 65535 }, output: true });
    expect(out('Binary')).toMatchObject({ value: null, options: { length: 65535 }, output: true });
    expect(mapped('in', 'String', { direction: 'InputOutput', size: 20 })).toEqual({
      type: 'NVarChar',
      value: 'in',
      options: { length: 20 },
      output: true,
    });
    expect(toTediousParameter(bound(null, 'Int32', { direction: 'ReturnValue' }))).toBeUndefined();
  });

  it('adds every sent parameter to the request, in order, and knows when there is none', () => {
    const calls: string[] = [];
    const request = {
      addParameter: (name: string) => calls.push(`in ${name}`),
      addOutputParameter: (name: string) => calls.push(`out ${name}`),
    } as unknown as TediousRequest;
    const parameters = [
      bound(1, undefined, { name: 'a' }),
      bound(null, 'Int32', { name: 'rv', direction: 'ReturnValue' }),
      bound(null, 'Int32', { name: 'b', direction: 'Output' }),
    ];
    addParameters(request, parameters);
    expect(calls).toEqual(['in a', 'out b']);
    expect(sendsParameters(parameters)).toBe(true);
    expect(sendsParameters([parameters[1]!])).toBe(false);
  });
});
