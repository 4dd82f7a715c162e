import { describe, expect, it } from 'vitest';
import { useSqliteFiles } from './sqlite-test-helpers.js';

describe('triggers: a body of several statements reaches the engine whole', () => {
  const files = useSqliteFiles();

  it('CREATE TRIGGER … BEGIN …; …; END runs, and the trigger runs both statements when it fires', async () => {
    const connection = await files.open(`Data Source=${files.path('trigger.db')}`);
    await connection
      .createCommand('CREATE TABLE t (n int); CREATE TABLE log (n int); CREATE TABLE counter (c int); INSERT INTO counter VALUES (0)')
      .executeNonQuery();
    await connection
      .createCommand(
        'CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN\n' +
          '  INSERT INTO log VALUES (new.n * 10);\n' +
          '  UPDATE counter SET c = c + 1;\n' +
          'END',
      )
      .executeNonQuery();
    const insert = connection.createCommand('INSERT INTO t VALUES (@n)');
    insert.parameters.addWithValue('n', 4);
    await insert.executeNonQuery();
    expect(Number(await connection.createCommand('SELECT n FROM log').executeScalar())).toBe(40);
    expect(Number(await connection.createCommand('SELECT c FROM counter').executeScalar())).toBe(1);
  });

  it('a trigger among other statements of one command text, with parameters after it', async () => {
    const connection = await files.open(`Data Source=${files.path('batch.db')}`);
    const command = connection.createCommand(
      'CREATE TABLE a (n int); CREATE TABLE b (n int);\n' +
        'CREATE TEMP TRIGGER a_copy AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.n); INSERT INTO b VALUES (-new.n); END;\n' +
        'INSERT INTO a VALUES (@n); SELECT sum(abs(n)) FROM b',
    );
    command.parameters.addWithValue('n', 3);
    expect(await command.executeScalar()).toBe(6n);
  });
});
