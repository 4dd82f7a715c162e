import { UNPARSABLE_SQL } from './unparsable-sql.js';
import { afterAll, expect, it } from 'vitest';
import {
  ArgumentError,
  CommandBehavior,
  CommandType,
  DbError,
  InvalidOperationError,
  NotSupportedError,
  type DbCommand,
  type DbDataReader,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { capabilityGate, gatedIt } from '../capability-gate.js';
import { rejectionOf } from '../helpers/rejection.js';
import { asInteger } from '../helpers/integer.js';
import { keyValueTable, resetKeyValues } from './tables.js';

type ExecuteMethod = 'executeReader' | 'executeNonQuery' | 'executeScalar';

const EXECUTE_METHODS: readonly ExecuteMethod[] = ['executeReader', 'executeNonQuery', 'executeScalar'];

function execute(command: DbCommand, method: ExecuteMethod): Promise<unknown> {
  return command[method]();
}

/**
 * Group 2 — Command: the ADO.NET specification catalogue for DbCommand (no connection / closed / no text →
 * InvalidOperationError, cancel as a no-op, executeScalar and executeNonQuery results, an open reader blocking the
 * connection) and `@name` parameters (docs/architecture.md, §4).
 */
export function commandSuite(context: ConformanceContext): void {
  const { factory, capabilities } = context;
  const table = keyValueTable(context, 'tk_command');
  afterAll(() => context.dropTables(table.name));

  for (const method of EXECUTE_METHODS) {
    it(`${method} rejects with InvalidOperationError when the command has no connection`, async () => {
      const command = factory.createCommand('SELECT 1');
      const error = await rejectionOf(execute(command, method));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('Connection property has not been initialized.');
    });

    it(`${method} rejects with InvalidOperationError when the connection is closed`, async () => {
      const connection = await context.create();
      const error = await rejectionOf(execute(connection.createCommand('SELECT 1'), method));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('requires an open and available Connection.');
    });

    it(`${method} rejects with InvalidOperationError when the command has no text`, async () => {
      const connection = await context.open();
      const error = await rejectionOf(execute(connection.createCommand(), method));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('CommandText property has not been initialized');
    });
  }

  it('prepare rejects with InvalidOperationError without a connection, on a closed connection, or without text', async () => {
    await expect(factory.createCommand('SELECT 1').prepare()).rejects.toBeInstanceOf(InvalidOperationError);
    const closed = await context.create();
    await expect(closed.createCommand('SELECT 1').prepare()).rejects.toBeInstanceOf(InvalidOperationError);
    const open = await context.open();
    await expect(open.createCommand().prepare()).rejects.toBeInstanceOf(InvalidOperationError);
  });

  it('a prepared command runs, and runs again with new parameter values', async () => {
    const name = await resetKeyValues(context, table, [
      [1, 'one'],
      [2, 'two'],
    ]);
    const connection = await context.open();
    const command = context.command(connection, `SELECT name FROM ${name} WHERE id = @id`, { id: 1 });
    await command.prepare();
    expect(await command.executeScalar()).toBe('one');
    command.parameters.get('id').value = 2;
    expect(await command.executeScalar()).toBe('two');
  });

  it('cancel does nothing on a new command, a completed command, twice, or with a closed connection', async () => {
    expect(() => factory.createCommand().cancel()).not.toThrow();
    const connection = await context.open();
    const command = connection.createCommand('SELECT 1');
    await command.executeScalar();
    expect(() => {
      command.cancel();
      command.cancel();
    }).not.toThrow();
    expect(asInteger(await command.executeScalar())).toBe(1);
    await connection.close();
    expect(() => command.cancel()).not.toThrow();
  });

  it('commandText, commandType, commandTimeout and parameters have their ADO.NET defaults', async () => {
    const command = factory.createCommand();
    expect(command.commandText).toBe('');
    command.commandText = null;
    expect(command.commandText).toBe('');
    expect(command.commandType).toBe(CommandType.Text);
    expect(command.commandTimeout).toBe(30);
    expect(command.parameters).toBe(command.parameters);
    expect(command.parameters.count).toBe(0);
    expect(command.createParameter()).toBeDefined();
    expect(command.connection).toBeNull();
    expect(command.transaction).toBeNull();
  });

  it("commandTimeout defaults to the connection string's Command Timeout", async () => {
    const connection = await context.create({ 'Command Timeout': 7 });
    expect(connection.createCommand('SELECT 1').commandTimeout).toBe(7);
  });

  it('a server error rejects with DbError', async () => {
    const connection = await context.open();
    const error = await rejectionOf(connection.createCommand(UNPARSABLE_SQL).executeReader());
    expect(error).toBeInstanceOf(DbError);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  it('executeScalar resolves the first column of the first row', async () => {
    const name = await resetKeyValues(context, table, [
      [1, 'one'],
      [2, 'two'],
    ]);
    const connection = await context.open();
    expect(await context.scalar(connection, `SELECT name, id FROM ${name} ORDER BY id`)).toBe('one');
    expect(await context.scalar(connection, "SELECT 'test'")).toBe('test');
  });

  it('executeScalar resolves undefined when there is no row', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    expect(await context.scalar(connection, `SELECT name FROM ${name}`)).toBeUndefined();
  });

  it('executeScalar resolves null for SQL NULL', async () => {
    const connection = await context.open();
    expect(await context.scalar(connection, 'SELECT NULL')).toBeNull();
  });

  gatedIt(
    capabilityGate(capabilities, 'supportsMultipleResultSets'),
    'executeScalar resolves the first result of a batch',
    async () => {
      const connection = await context.open();
      expect(asInteger(await context.scalar(connection, 'SELECT 42; SELECT 43'))).toBe(42);
    },
  );

  it('executeNonQuery resolves the rows inserted, updated and deleted', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    expect(
      await context.nonQuery(connection, `INSERT INTO ${name} (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')`),
    ).toBe(3);
    expect(await context.nonQuery(connection, `UPDATE ${name} SET name = 'z' WHERE id >= 2`)).toBe(2);
    expect(await context.nonQuery(connection, `DELETE FROM ${name} WHERE id = 1`)).toBe(1);
    expect(await context.nonQuery(connection, `DELETE FROM ${name} WHERE id = 99`)).toBe(0);
  });

  it('executeNonQuery resolves -1 for a SELECT', async () => {
    const connection = await context.open();
    expect(await context.nonQuery(connection, 'SELECT 1')).toBe(-1);
  });

  it("executeReader while the command's reader is open rejects with InvalidOperationError", async () => {
    const connection = await context.open();
    const command = connection.createCommand('SELECT 1');
    const reader = await command.executeReader();
    const error = await rejectionOf(command.executeReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('There is already an open DataReader');
    await reader.close();
    const again = await command.executeReader();
    expect(await again.read()).toBe(true);
    await again.close();
  });

  it('another command on the connection while a reader is open rejects with InvalidOperationError', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand('SELECT 1').executeReader();
    for (const method of EXECUTE_METHODS) {
      await expect(execute(connection.createCommand('SELECT 2'), method)).rejects.toBeInstanceOf(InvalidOperationError);
    }
    await reader.close();
    expect(asInteger(await context.scalar(connection, 'SELECT 2'))).toBe(2);
  });

  it("commandText cannot change while the command's reader is open", async () => {
    const connection = await context.open();
    const command = connection.createCommand('SELECT 1');
    const reader = await command.executeReader();
    expect(() => {
      command.commandText = 'SELECT 2';
    }).toThrow(InvalidOperationError);
    await reader.close();
    command.commandText = 'SELECT 2';
    expect(asInteger(await command.executeScalar())).toBe(2);
  });

  it('`await using` on a command closes its open reader', async () => {
    const connection = await context.open();
    let reader: DbDataReader | undefined;
    {
      await using command = connection.createCommand('SELECT 1');
      reader = await command.executeReader();
      await reader.read();
    }
    expect(reader.isClosed).toBe(true);
    expect(asInteger(await context.scalar(connection, 'SELECT 3'))).toBe(3);
  });

  it('parameters bind by @name', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    expect(
      await context.nonQuery(connection, `INSERT INTO ${name} (id, name) VALUES (@id, @name)`, {
        '@id': 5,
        '@name': 'five',
      }),
    ).toBe(1);
    expect(await context.scalar(connection, `SELECT name FROM ${name} WHERE id = @id`, { id: 5 })).toBe('five');
  });

  it('a parameter referenced twice binds the same value', async () => {
    const name = await resetKeyValues(context, table, [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    const connection = await context.open();
    const value = await context.scalar(connection, `SELECT name FROM ${name} WHERE id >= @id AND id <= @id`, { id: 2 });
    expect(value).toBe('two');
  });

  it('parameter names match with or without @ and regardless of case', async () => {
    const name = await resetKeyValues(context, table, [[1, 'one']]);
    const connection = await context.open();
    const command = connection.createCommand(`SELECT name FROM ${name} WHERE id = @Id`);
    command.parameters.addWithValue('ID', 1);
    expect(await command.executeScalar()).toBe('one');
  });

  it('a parameter the SQL does not reference is ignored', async () => {
    const name = await resetKeyValues(context, table, [[1, 'one']]);
    const connection = await context.open();
    expect(await context.scalar(connection, `SELECT name FROM ${name} WHERE id = @id`, { id: 1, unused: 'x' })).toBe(
      'one',
    );
  });

  it('a parameter with no value rejects with InvalidOperationError before anything is sent', async () => {
    const name = await table.ensure();
    const connection = await context.open();
    const command = connection.createCommand(`SELECT name FROM ${name} WHERE id = @id`);
    command.parameters.addWithValue('id', undefined);
    const error = await rejectionOf(command.executeScalar());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('@id');
  });

  gatedIt(
    capabilityGate(capabilities, 'unknownParameters', (value) => value === 'error'),
    'a referenced parameter missing from the collection rejects with InvalidOperationError before anything is sent',
    async () => {
      const name = await table.ensure();
      const connection = await context.open();
      const error = await rejectionOf(
        connection.createCommand(`SELECT name FROM ${name} WHERE id = @missing`).executeScalar(),
      );
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('missing');
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    },
  );

  it('a value asyncdb cannot send rejects with NotSupportedError', async () => {
    const name = await table.ensure();
    const connection = await context.open();
    class Custom {}
    const error = await rejectionOf(
      context.command(connection, `SELECT name FROM ${name} WHERE id = @id`, { id: new Custom() }).executeScalar(),
    );
    expect(error).toBeInstanceOf(NotSupportedError);
  });

  it('parameter values are bound, never spliced into the SQL text', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    const hostile = `O'Brien"; DROP TABLE ${name}; -- @id $1 ?`;
    await context.nonQuery(connection, `INSERT INTO ${name} (id, name) VALUES (@id, @name)`, { id: 1, name: hostile });
    expect(await context.scalar(connection, `SELECT name FROM ${name} WHERE name = @name`, { name: hostile })).toBe(
      hostile,
    );
  });

  it('@name inside a string literal or a comment is not a parameter', async () => {
    const connection = await context.open();
    expect(await context.scalar(connection, "SELECT '@notparam' -- @alsonot")).toBe('@notparam');
  });

  it('a string with a lone UTF-16 surrogate (also inside a JSON parameter) is refused with ArgumentError naming the parameter, and nothing is sent', async () => {
    const name = await resetKeyValues(context, table, []);
    const connection = await context.open();
    const bad: Array<[string, unknown]> = [
      ['high', 'a\uD800b'],
      ['low', '\uDC00'],
      ['trailing', 'x\uD83D'],
      ['json', { nested: ['ok', 'bad\uDFFF'] }],
      ['jsonKey', { ['k\uD800']: 1 }],
    ];
    for (const [parameterName, value] of bad) {
      const command = connection.createCommand(`INSERT INTO ${name} (id, name) VALUES (1, @${parameterName})`);
      command.parameters.addWithValue(parameterName, value);
      const error = await rejectionOf(command.executeNonQuery());
      expect(error, parameterName).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).paramName, parameterName).toBe(parameterName);
      expect(error.message, parameterName).toContain(`@${parameterName}`);
    }
    expect(asInteger(await context.scalar(connection, `SELECT COUNT(*) FROM ${name}`))).toBe(0);
    // A well-formed pair is data like any other and round-trips.
    const insert = connection.createCommand(`INSERT INTO ${name} (id, name) VALUES (1, @v)`);
    insert.parameters.addWithValue('v', 'smile \uD83D\uDE00');
    await insert.executeNonQuery();
    expect(await context.scalar(connection, `SELECT name FROM ${name} WHERE id = 1`)).toBe('smile \uD83D\uDE00');
  });

  it('an invalid CommandBehavior rejects with ArgumentError', async () => {
    const connection = await context.open();
    const error = await rejectionOf(connection.createCommand('SELECT 1').executeReader(0x40 as CommandBehavior));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toContain('The CommandBehavior enumeration value, 64, is invalid.');
  });

  it('a comment-only command gives a reader with no columns and no rows', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand('-- nothing to do').executeReader();
    expect(reader.fieldCount).toBe(0);
    expect(reader.hasRows).toBe(false);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });

  it('a command with a trailing comment returns its one result', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand('SELECT 0 -- trailing').executeReader();
    expect(await reader.read()).toBe(true);
    expect(asInteger(reader.getValue(0))).toBe(0);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });
}
