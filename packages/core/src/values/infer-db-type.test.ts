import { describe, expect, it } from 'vitest';
import { assertBindableValue, inferDbType } from './infer-db-type.js';
import { fieldTypeOf } from './field-type.js';
import { DbType } from '../contracts/db-type.js';
import { NotSupportedError } from '../errors/errors.js';

describe('inferDbType', () => {
  it.each([
    ['a string', 'x', 'String'],
    ['the empty string', '', 'String'],
    ['a 32-bit integer', 42, 'Int32'],
    ['the smallest Int32', -2147483648, 'Int32'],
    ['the largest Int32', 2147483647, 'Int32'],
    ['an integer beyond Int32', 2147483648, 'Double'],
    ['a fraction', 1.5, 'Double'],
    ['NaN', Number.NaN, 'Double'],
    ['a bigint', 5n, 'Int64'],
    ['a boolean', false, 'Boolean'],
    ['a Date', new Date(0), 'DateTime'],
    ['a Uint8Array', new Uint8Array(2), 'Binary'],
    ['a Buffer', Buffer.from('x'), 'Binary'],
    ['a plain object', { a: 1 }, 'Json'],
    ['an array', [1, 2], 'Json'],
    ['null', null, 'String'],
    ['undefined', undefined, 'String'],
    ['a symbol', Symbol('s'), 'Object'],
    ['a function', () => 1, 'Object'],
  ] as const)('%s infers %s', (_, value, expected) => {
    expect(inferDbType(value)).toBe(expected);
  });
});

describe('assertBindableValue', () => {
  it.each([
    ['null', null],
    ['a string', 's'],
    ['a number', 1.5],
    ['a bigint', 1n],
    ['a boolean', true],
    ['a Date', new Date()],
    ['a Uint8Array', new Uint8Array()],
    ['a Buffer', Buffer.alloc(1)],
    ['a plain object', { a: [1] }],
    ['an object without prototype', Object.create(null) as object],
    ['an array', ['a']],
  ])('accepts %s', (_, value) => {
    expect(() => assertBindableValue(value, 'p')).not.toThrow();
  });

  it.each([
    ['a class instance', new (class Money {})(), /Money/],
    ['a Map', new Map(), /Map/],
    ['a Promise', Promise.resolve(), /Promise/],
    ['an invalid Date', new Date(Number.NaN), /invalid Date/],
    ['a function', () => 1, /function/],
    ['a symbol', Symbol('s'), /symbol/],
  ])('refuses %s with NotSupportedError naming the parameter', (_, value, message) => {
    let error: unknown;
    try {
      assertBindableValue(value, 'amount');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toMatch(/'@amount'/);
    expect((error as Error).message).toMatch(message);
  });
});

describe('fieldTypeOf', () => {
  it('gives the JS type of every DbType (docs/values.md)', () => {
    const table = Object.fromEntries(Object.values(DbType).map((type) => [type, fieldTypeOf(type)]));
    expect(table).toEqual({
      AnsiString: 'string',
      AnsiStringFixedLength: 'string',
      Binary: 'Uint8Array',
      Boolean: 'boolean',
      Byte: 'number',
      Currency: 'string',
      Date: 'string',
      DateTime: 'Date',
      DateTime2: 'Date',
      DateTimeOffset: 'Date',
      Decimal: 'string',
      Double: 'number',
      Guid: 'string',
      Int16: 'number',
      Int32: 'number',
      Int64: 'bigint',
      Object: 'object',
      SByte: 'number',
      Single: 'number',
      String: 'string',
      StringFixedLength: 'string',
      Time: 'string',
      Xml: 'string',
      Json: 'object',
    });
  });
});
