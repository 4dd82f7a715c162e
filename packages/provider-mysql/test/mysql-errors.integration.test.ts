import { DbError, DbErrorCategory, type InfoMessage } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder, MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { connectionString, nonQuery, openConnection } from './mysql-test-server.js';

const parent = `err_parent_${process.pid}`;
const child = `err_child_${process.pid}`;
let connection: MysqlConnection;

beforeAll(async () => {
  connection = await openConnection();
  await nonQuery(connection, `DROP TABLE IF EXISTS ${child}, ${parent}`);
  await nonQuery(connection, `CREATE TABLE ${parent} (id INT PRIMARY KEY) ENGINE=InnoDB`);
  await nonQuery(
    connection,
    `CREATE TABLE ${child} (id INT PRIMARY KEY, parent_id INT NULL, code VARCHAR(10) NOT NULL UNIQUE, qty INT NULL,
       CONSTRAINT ${child}_fk FOREIGN KEY (parent_id) REFERENCES ${parent} (id), CONSTRAINT ${child}_ck CHECK (qty >= 0)) ENGINE=InnoDB`,
  );
  await nonQuery(connection, `INSERT INTO ${child} (id, code) VALUES (1, 'taken')`);
});

afterAll(async () => {
  await nonQuery(connection, `DROP TABLE IF EXISTS ${child}, ${parent}`);
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

async function failure(sql: string): Promise<DbError> {
  const error = await connection
    .createCommand(sql)
    .executeNonQuery()
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(DbError);
  return error as DbError;
}

describe('errors', () => {
  it.each([
    ['a duplicate key', `INSERT INTO ${child} (id, code) VALUES (2, 'taken')`, DbErrorCategory.UniqueViolation, 1062],
    [
      'a missing parent',
      `INSERT INTO ${child} (id, parent_id, code) VALUES (3, 99, 'x')`,
      DbErrorCategory.ForeignKeyViolation,
      1452,
    ],
    [
      'a NULL in a NOT NULL column',
      `INSERT INTO ${child} (id, code) VALUES (4, NULL)`,
      DbErrorCategory.NotNullViolation,
      1048,
    ],
    [
      'a failed CHECK',
      `INSERT INTO ${child} (id, code, qty) VALUES (5, 'y', -1)`,
      DbErrorCategory.CheckViolation,
      undefined,
    ],
    ['bad syntax', 'SELEC 1', DbErrorCategory.SyntaxError, 1064],
    ['an unknown table', 'SELECT * FROM no_such_table_xyz', DbErrorCategory.UndefinedObject, 1146],
    ['an unknown column', 'SELECT no_such_column FROM DUAL', DbErrorCategory.UndefinedObject, 1054],
    [
      'a value out of range',
      `INSERT INTO ${child} (id, code) VALUES (99999999999, 'z')`,
      DbErrorCategory.DataException,
      1264,
    ],
    [
      'a string too long',
      `INSERT INTO ${child} (id, code) VALUES (6, 'much too long for it')`,
      DbErrorCategory.DataException,
      1406,
    ],
  ])('reports %s with its category, SQLSTATE and errno', async (_label, sql, category, errno) => {
    const error = await failure(sql);
    expect(error.category).toBe(category);
    expect(error.providerName).toBe('mysql');
    expect(error.sqlState).toMatch(/^[0-9A-Z]{5}$/);
    if (errno !== undefined) expect(error.providerCode).toBe(errno);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('keeps the connection usable after a server error', async () => {
    await failure('SELEC 1');
    expect(await connection.createCommand('SELECT 1').executeScalar()).toBe(1);
  });

  it('never puts the password in the error of a failed login', async () => {
    const builder = new MysqlConnectionStringBuilder(connectionString('Pooling=false'));
    builder.password = 'wrong-secret-Zq9';
    const bad = MysqlProviderFactory.instance.createConnection(builder.connectionString);
    const error = await bad.open().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.PermissionDenied);
    expect(String(error)).not.toContain('wrong-secret-Zq9');
    expect((error as DbError).message).not.toContain('wrong-secret-Zq9');
  });

  it('reports an unreachable server as a connection failure', async () => {
    const builder = new MysqlConnectionStringBuilder(connectionString('Pooling=false;Connect Timeout=5'));
    builder.port = 1;
    const error = await MysqlProviderFactory.instance
      .createConnection(builder.connectionString)
      .open()
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    expect((error as DbError).isTransient).toBe(true);
  });
});

describe('warnings', () => {
  async function messagesOf(sql: string): Promise<InfoMessage[]> {
    const messages: InfoMessage[] = [];
    const listener = (message: InfoMessage): void => {
      messages.push(message);
    };
    connection.on('infoMessage', listener);
    try {
      await connection.createCommand(sql).executeNonQuery();
    } finally {
      connection.off('infoMessage', listener);
    }
    return messages;
  }

  it('raises the warnings of a SELECT as infoMessage events', async () => {
    const messages = await messagesOf("SELECT CAST('abc' AS SIGNED)");
    expect(messages).toEqual([
      { message: "Truncated incorrect INTEGER value: 'abc'", severity: 'Warning', code: 1292, source: 'mysql' },
    ]);
  });

  it('raises the warnings and notes of DML and DDL statements', async () => {
    const notes = await messagesOf('DROP TABLE IF EXISTS no_such_table_for_note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: 'Note', code: 1051 });
    await nonQuery(connection, "SET SESSION sql_mode = ''");
    const warnings = await messagesOf(`INSERT INTO ${child} (id, code) VALUES (7, 'truncated value')`);
    await nonQuery(connection, 'SET SESSION sql_mode = DEFAULT');
    expect(warnings.map((warning) => warning.code)).toEqual([1265]);
  });

  it('raises the warnings of each statement of a batch', async () => {
    const messages = await messagesOf("SELECT CAST('a' AS SIGNED); SELECT 1; SELECT CAST('b' AS SIGNED)");
    expect(messages.map((message) => message.message)).toEqual([
      "Truncated incorrect INTEGER value: 'a'",
      "Truncated incorrect INTEGER value: 'b'",
    ]);
  });

  it('raises nothing for statements without warnings', async () => {
    expect(await messagesOf('SELECT 1; DO 1')).toEqual([]);
  });
});
