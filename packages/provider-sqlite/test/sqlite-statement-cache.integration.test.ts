import { describe, expect, it } from 'vitest';
import { CommandBehavior, type DbConnection } from '@asyncdb/core';
import { useSqliteFiles } from './sqlite-test-helpers.js';

/** The column names of a query's result. */
async function columnNames(connection: DbConnection, sql: string, behavior?: CommandBehavior): Promise<string[]> {
  const reader = await connection.createCommand(sql).executeReader(behavior);
  const names = Array.from({ length: reader.fieldCount }, (_, ordinal) => reader.getName(ordinal));
  await reader.close();
  return names;
}

// The worker keeps each SQL text's prepared statement for the next execution, and reads the change counters only
// after a statement without rows when nothing else ran since: these pin that results stay those of a fresh statement.
describe('kept prepared statements and change counters', () => {
  const files = useSqliteFiles();

  it('a text run again after the schema changed describes and reads the new columns (also SchemaOnly)', async () => {
    const connection = await files.open(`Data Source=${files.path('schema.db')}`);
    await connection.createCommand('CREATE TABLE t (a int); INSERT INTO t VALUES (1)').executeNonQuery();
    expect(await columnNames(connection, 'SELECT * FROM t')).toEqual(['a']);
    await connection.createCommand("ALTER TABLE t ADD COLUMN b text DEFAULT 'x'").executeNonQuery();
    expect(await columnNames(connection, 'SELECT * FROM t')).toEqual(['a', 'b']);
    expect(await columnNames(connection, 'SELECT * FROM t', CommandBehavior.SchemaOnly)).toEqual(['a', 'b']);
    const reader = await connection.createCommand('SELECT * FROM t').executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(1)).toBe('x');
    await reader.close();
  });

  it('a table dropped and created again under the same name is read through the same text', async () => {
    const connection = await files.open(`Data Source=${files.path('recreate.db')}`);
    await connection.createCommand('CREATE TABLE t (a int); INSERT INTO t VALUES (1)').executeNonQuery();
    expect(await connection.createCommand('SELECT count(*) FROM t').executeScalar()).toBe(1n);
    await connection.createCommand('DROP TABLE t').executeNonQuery();
    await expect(connection.createCommand('SELECT count(*) FROM t').executeScalar()).rejects.toThrow(/no such table/);
    await connection.createCommand('CREATE TABLE t (z text); INSERT INTO t VALUES (1), (2)').executeNonQuery();
    expect(await connection.createCommand('SELECT count(*) FROM t').executeScalar()).toBe(2n);
  });

  it('recordsAffected stays exact across statements with rows, failures and DDL in between', async () => {
    const connection = await files.open(`Data Source=${files.path('changes.db')}`);
    const nonQuery = (sql: string) => connection.createCommand(sql).executeNonQuery();
    await nonQuery('CREATE TABLE t (n int PRIMARY KEY)');
    expect(await nonQuery('INSERT INTO t VALUES (1), (2)')).toBe(2);
    expect(await nonQuery('CREATE TABLE u (n int)')).toBe(0);
    // A statement with rows that changes rows: the next statement without rows must not count them.
    const reader = await connection.createCommand('INSERT INTO t VALUES (3), (4), (5) RETURNING n').executeReader();
    while (await reader.read());
    await reader.close();
    expect(await nonQuery('CREATE TABLE v (n int)')).toBe(0);
    await expect(nonQuery('INSERT INTO t VALUES (6), (1)')).rejects.toThrow(/UNIQUE/);
    expect(await nonQuery('CREATE TABLE w (n int)')).toBe(0);
    expect(await nonQuery('DELETE FROM t WHERE n > 3')).toBe(2);
    expect(await nonQuery('DELETE FROM t WHERE n > 3')).toBe(0);
  });
});
