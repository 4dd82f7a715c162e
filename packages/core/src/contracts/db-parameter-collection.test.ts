import { afterEach, describe, expect, it } from 'vitest';
import { DbParameter, normalizeParameterName } from './db-parameter.js';
import { DbParameterCollection } from './db-parameter-collection.js';
import { DbType } from './db-type.js';
import { ParameterDirection } from './parameter-direction.js';
import { ArgumentError, IndexOutOfRangeError, InvalidOperationError } from '../errors/errors.js';
import type { MemoryConnection } from '../testing/memory-provider.js';
import { openConnection, rejectionOf, thrownBy } from '../testing/test-support.js';

const connections: MemoryConnection[] = [];

async function open() {
  const opened = await openConnection('Database=test;async=true');
  connections.push(opened.connection);
  return opened;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
});

function named(name: string, value?: unknown): DbParameter {
  return new DbParameter({ parameterName: name, value });
}

describe('DbParameter', () => {
  it('has the ADO.NET defaults (value unset is undefined)', () => {
    const parameter = new DbParameter();
    expect(parameter.dbType).toBe(DbType.String);
    expect(parameter.direction).toBe(ParameterDirection.Input);
    expect(parameter.isNullable).toBe(false);
    expect(parameter.parameterName).toBe('');
    expect(parameter.precision).toBe(0);
    expect(parameter.scale).toBe(0);
    expect(parameter.size).toBe(0);
    expect(parameter.sourceColumn).toBe('');
    expect(parameter.value).toBeUndefined();
    expect(parameter.isDbTypeExplicit).toBe(false);
  });

  it('coerces a null parameterName and sourceColumn to the empty string', () => {
    const parameter = new DbParameter({ parameterName: '@a', sourceColumn: 'col' });
    parameter.parameterName = null;
    parameter.sourceColumn = null;
    expect(parameter.parameterName).toBe('');
    expect(parameter.sourceColumn).toBe('');
  });

  it('takes every property from its init object', () => {
    const parameter = new DbParameter({
      parameterName: '@p',
      value: null,
      dbType: DbType.Decimal,
      direction: ParameterDirection.InputOutput,
      size: 10,
      precision: 18,
      scale: 2,
      isNullable: true,
      sourceColumn: 'amount',
    });
    expect(parameter).toMatchObject({
      parameterName: '@p',
      value: null,
      dbType: 'Decimal',
      direction: 'InputOutput',
      size: 10,
      precision: 18,
      scale: 2,
      isNullable: true,
      sourceColumn: 'amount',
    });
  });

  it('infers dbType from the value until it is set explicitly', () => {
    const parameter = new DbParameter();
    parameter.value = 5;
    expect(parameter.dbType).toBe(DbType.Int32);
    parameter.value = 5n;
    expect(parameter.dbType).toBe(DbType.Int64);
    parameter.dbType = DbType.Decimal;
    parameter.value = 'x';
    expect(parameter.dbType).toBe(DbType.Decimal);
    expect(parameter.isDbTypeExplicit).toBe(true);
  });

  it('resetDbType goes back to inferring (Int64 → reset → String for an unset value)', () => {
    const parameter = new DbParameter({ dbType: DbType.Int64 });
    parameter.resetDbType();
    expect(parameter.dbType).toBe(DbType.String);
    expect(parameter.isDbTypeExplicit).toBe(false);
    parameter.value = true;
    expect(parameter.dbType).toBe(DbType.Boolean);
  });

  it('refuses an invalid direction, size, precision or scale', () => {
    const parameter = new DbParameter();
    expect(() => (parameter.direction = 'Sideways' as ParameterDirection)).toThrow(ArgumentError);
    expect(() => (parameter.size = -1)).toThrow(ArgumentError);
    expect(() => (parameter.precision = 1.5)).toThrow(ArgumentError);
    expect(() => (parameter.scale = -2)).toThrow(ArgumentError);
  });

  it('normalizedName strips one leading @, : or $', () => {
    expect(named('@id').normalizedName).toBe('id');
    expect(named(':id').normalizedName).toBe('id');
    expect(named('$id').normalizedName).toBe('id');
    expect(named('id').normalizedName).toBe('id');
    expect(normalizeParameterName('@@x')).toBe('@x');
  });
});

describe('DbParameterCollection: adding', () => {
  it('add returns the parameter and counts it; addWithValue creates one; addRange adds several', () => {
    const collection = new DbParameterCollection();
    const a = named('@a', 1);
    expect(collection.add(a)).toBe(a);
    const b = collection.addWithValue('@b', 'two');
    expect(b.parameterName).toBe('@b');
    expect(b.value).toBe('two');
    collection.addRange([named('c'), named('d')]);
    expect(collection.count).toBe(4);
    expect(collection.toArray().map((parameter) => parameter.parameterName)).toEqual(['@a', '@b', 'c', 'd']);
    expect([...collection]).toEqual(collection.toArray());
  });

  it("addWithValue makes the command's parameter type", () => {
    class ProviderParameter extends DbParameter {}
    const collection = new DbParameterCollection(() => new ProviderParameter());
    expect(collection.addWithValue('@a', 1)).toBeInstanceOf(ProviderParameter);
  });

  it('refuses null and non-parameters with ArgumentError', () => {
    const collection = new DbParameterCollection();
    expect(() => collection.add(null as unknown as DbParameter)).toThrow(ArgumentError);
    expect(() => collection.add({ parameterName: 'x' } as unknown as DbParameter)).toThrow(ArgumentError);
    expect(() => collection.insert(0, null as unknown as DbParameter)).toThrow(ArgumentError);
    expect(() => collection.remove(null as unknown as DbParameter)).toThrow(ArgumentError);
  });

  it('refuses the same parameter twice', () => {
    const collection = new DbParameterCollection();
    const a = collection.add(named('@a'));
    expect(() => collection.add(a)).toThrow(ArgumentError);
  });

  it('refuses a duplicate name, with or without @ and in any case', () => {
    const collection = new DbParameterCollection();
    collection.add(named('@Name'));
    for (const duplicate of ['@Name', 'Name', '@name', 'NAME', ':name']) {
      expect(() => collection.add(named(duplicate))).toThrow(ArgumentError);
    }
    expect(() => collection.addWithValue('name', 1)).toThrow(ArgumentError);
    expect(collection.count).toBe(1);
  });

  it('accepts several unnamed parameters', () => {
    const collection = new DbParameterCollection();
    collection.add(new DbParameter());
    collection.add(new DbParameter());
    expect(collection.count).toBe(2);
  });

  it('insert accepts 0…count and refuses other indexes with IndexOutOfRangeError', () => {
    const collection = new DbParameterCollection();
    expect(() => collection.insert(-1, named('a'))).toThrow(IndexOutOfRangeError);
    expect(() => collection.insert(1, named('a'))).toThrow(IndexOutOfRangeError);
    collection.insert(0, named('b'));
    collection.insert(0, named('a'));
    collection.insert(2, named('c'));
    expect(() => collection.insert(0.5, named('d'))).toThrow(IndexOutOfRangeError);
    expect(collection.toArray().map((parameter) => parameter.parameterName)).toEqual(['a', 'b', 'c']);
  });
});

describe('DbParameterCollection: lookups', () => {
  it('finds a parameter with or without @ and case-insensitively', () => {
    const collection = new DbParameterCollection();
    const id = collection.add(named('@Id', 1));
    for (const name of ['@Id', 'Id', '@id', 'ID', ':id']) {
      expect(collection.indexOf(name)).toBe(0);
      expect(collection.get(name)).toBe(id);
      expect(collection.find(name)).toBe(id);
      expect(collection.contains(name)).toBe(true);
    }
    expect(collection.get(0)).toBe(id);
    expect(collection.indexOf(id)).toBe(0);
    expect(collection.contains(id)).toBe(true);
  });

  it('prefers the exact name over a case-insensitive match', () => {
    const collection = new DbParameterCollection();
    collection.add(named('a'));
    const renamed = collection.add(named('b'));
    renamed.parameterName = 'A';
    expect(collection.indexOf('A')).toBe(1);
    expect(collection.indexOf('a')).toBe(0);
  });

  it('answers -1 / false / undefined for what it does not hold, and get throws IndexOutOfRangeError', () => {
    const collection = new DbParameterCollection();
    collection.add(named('a'));
    expect(collection.indexOf('missing')).toBe(-1);
    expect(collection.indexOf(null)).toBe(-1);
    expect(collection.indexOf(named('a'))).toBe(-1);
    expect(collection.contains(null)).toBe(false);
    expect(collection.contains(undefined)).toBe(false);
    expect(collection.find('missing')).toBeUndefined();
    expect(thrownBy(() => collection.get('missing'))).toBeInstanceOf(IndexOutOfRangeError);
    expect(thrownBy(() => collection.get(1))).toBeInstanceOf(IndexOutOfRangeError);
    expect(thrownBy(() => collection.get(-1))).toBeInstanceOf(IndexOutOfRangeError);
  });
});

describe('DbParameterCollection: removing', () => {
  it('remove takes the parameter out; removing one it does not hold throws ArgumentError', () => {
    const collection = new DbParameterCollection();
    const a = collection.add(named('a'));
    collection.remove(a);
    expect(collection.count).toBe(0);
    expect(() => collection.remove(a)).toThrow(ArgumentError);
  });

  it('removeAt by index or name; out of range throws IndexOutOfRangeError', () => {
    const collection = new DbParameterCollection();
    expect(() => collection.removeAt(0)).toThrow(IndexOutOfRangeError);
    expect(() => collection.removeAt(-1)).toThrow(IndexOutOfRangeError);
    collection.addRange([named('a'), named('b'), named('c')]);
    collection.removeAt(1);
    collection.removeAt('@C');
    expect(() => collection.removeAt('missing')).toThrow(IndexOutOfRangeError);
    expect(() => collection.removeAt(1)).toThrow(IndexOutOfRangeError);
    expect(collection.toArray().map((parameter) => parameter.parameterName)).toEqual(['a']);
  });

  it('clear empties the collection; toArray is a copy', () => {
    const collection = new DbParameterCollection();
    collection.add(named('a'));
    const copy = collection.toArray();
    collection.clear();
    expect(collection.count).toBe(0);
    expect(copy).toHaveLength(1);
  });
});

describe('binding at execution', () => {
  it('binds values by name, case-insensitively, with a repeated name bound once', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('PARAMS @ID, @name, @id');
    command.parameters.addWithValue('id', 7);
    command.parameters.addWithValue('@Name', null);
    const reader = await command.executeReader();
    await reader.read();
    expect(reader.getValues()).toEqual([7, null]);
    await reader.close();
    expect(server.executed).toEqual(['PARAMS $1, $2, $1']);
  });

  it('ignores a parameter the text does not reference', async () => {
    const { connection } = await open();
    const command = connection.createCommand('PARAMS @a');
    command.parameters.addWithValue('@a', 1);
    command.parameters.addWithValue('@unused', 2);
    expect(await command.executeScalar()).toBe(1);
  });

  it('sends the explicit dbType, or the inferred one', async () => {
    const { connection } = await open();
    const command = connection.createCommand('PARAMS @a, @b');
    command.parameters.add(new DbParameter({ parameterName: '@a', value: '12.5', dbType: DbType.Decimal }));
    command.parameters.addWithValue('@b', 3n);
    const reader = await command.executeReader();
    expect(reader.getColumnSchema().map((column) => column.dbType)).toEqual(['Decimal', 'Int64']);
    await reader.close();
  });

  it('snapshots the values when the command starts', async () => {
    const { connection } = await open();
    const command = connection.createCommand('PARAMS @a');
    const parameter = command.parameters.addWithValue('@a', 'before');
    const result = command.beginExecuteScalar();
    parameter.value = 'after';
    expect(await command.endExecuteScalar(result)).toBe('before');
  });

  it('refuses an unnamed parameter with InvalidOperationError', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    command.parameters.add(new DbParameter({ value: 1 }));
    expect(await rejectionOf(command.executeNonQuery())).toBeInstanceOf(InvalidOperationError);
  });
});

describe('output parameters', () => {
  it('are copied back from the server once the reader closes', async () => {
    const { connection } = await open();
    const command = connection.createCommand('OUT total 42; ROWS 2');
    const total = command.parameters.add(
      new DbParameter({ parameterName: '@total', direction: ParameterDirection.Output }),
    );
    const reader = await command.executeReader();
    while (await reader.read()) {
      // ADO.NET: output values are available only after the reader closes.
    }
    expect(total.value).toBeUndefined();
    await reader.close();
    expect(total.value).toBe(42);
  });

  it('are copied back by executeNonQuery, for Output, InputOutput and ReturnValue', async () => {
    const { connection } = await open();
    const command = connection.createCommand('OUT a "x"; OUT b {"k":1}; OUT ret 0; UPDATE 1');
    const a = command.parameters.add(new DbParameter({ parameterName: 'a', direction: ParameterDirection.Output }));
    const b = command.parameters.add(
      new DbParameter({ parameterName: 'b', value: 5, direction: ParameterDirection.InputOutput }),
    );
    const ret = command.parameters.add(
      new DbParameter({ parameterName: 'ret', direction: ParameterDirection.ReturnValue }),
    );
    expect(await command.executeNonQuery()).toBe(1);
    expect(a.value).toBe('x');
    expect(b.value).toEqual({ k: 1 });
    expect(ret.value).toBe(0);
  });

  it('never overwrite an input parameter', async () => {
    const { connection } = await open();
    const command = connection.createCommand('OUT a 1; PARAMS @a');
    const a = command.parameters.addWithValue('@a', 'mine');
    expect(await command.executeScalar()).toBe('mine');
    expect(a.value).toBe('mine');
  });

  it('need no value before execution', async () => {
    const { connection } = await open();
    const command = connection.createCommand('OUT a 1');
    command.parameters.add(new DbParameter({ parameterName: 'a', direction: ParameterDirection.Output }));
    expect(await command.executeNonQuery()).toBe(-1);
  });
});
