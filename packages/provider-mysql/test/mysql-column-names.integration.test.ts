import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { openConnection, scalar } from './mysql-test-server.js';

/*
 * Column names that are special on Object.prototype (issue 13 item 4). mysql2's generated row parsers refuse the
 * names beginning with `__` and used to kill the session; the rest must simply not be confused with inherited members.
 */
const NAMES = [
  '__proto__',
  '__defineGetter__',
  '__lookupSetter__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;

let connection: MysqlConnection;

beforeAll(async () => {
  connection = await openConnection();
});

afterAll(async () => {
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

/** `SELECT 1 AS \`__proto__\`, 2 AS \`__defineGetter__\`, …`, the first value a parameter when `binary`. */
function selectNames(binary: boolean): string {
  return `SELECT ${NAMES.map((name, index) => `${index === 0 && binary ? '@first' : index + 1} AS \`${name}\``).join(', ')}`;
}

describe.each([
  ['text protocol (no parameters)', false],
  ['binary protocol (a parameter)', true],
])('columns named like Object.prototype members, %s', (_label, binary) => {
  it('read like any other column, as own properties of the row object, and the session lives on', async () => {
    const command = connection.createCommand(selectNames(binary));
    if (binary) command.parameters.addWithValue('@first', 1);
    const reader = await command.executeReader();
    expect(reader.getColumnSchema().map((column) => column.columnName)).toEqual([...NAMES]);
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of reader) rows.push(row);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual([...NAMES]);
    NAMES.forEach((name, index) => {
      const own = Object.getOwnPropertyDescriptor(row, name);
      expect(own?.value, name).toEqual(index + 1);
    });
    expect(connection.state).toBe('Open');
    expect(await scalar(connection, 'SELECT 7')).toBe(7);
  });

  it('read by ordinal and by name on the reader', async () => {
    const command = connection.createCommand(selectNames(binary));
    if (binary) command.parameters.addWithValue('@first', 1);
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValues()).toEqual(NAMES.map((_name, index) => index + 1));
    expect(reader.getOrdinal('__proto__')).toBe(0);
    expect(reader.getValue('__proto__')).toEqual(1);
    expect(reader.getValue('constructor')).toEqual(4);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });
});

it('a column named __proto__ reads in every result set of a batch, next to ordinary ones', async () => {
  const reader = await connection
    .createCommand('SELECT 1 AS a; SELECT 2 AS `__proto__`, 3 AS b; SELECT 4 AS c')
    .executeReader();
  const sets: unknown[][] = [];
  do {
    const values: unknown[] = [];
    while (await reader.read()) values.push(...reader.getValues());
    sets.push(values);
  } while (await reader.nextResult());
  expect(sets).toEqual([[1], [2, 3], [4]]);
});
