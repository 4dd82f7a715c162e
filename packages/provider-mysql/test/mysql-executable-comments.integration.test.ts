import { NotSupportedError } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { nonQuery, openConnection, scalar } from './mysql-test-server.js';

/*
 * MySQL executable comments (`/*! … *\/`, `/*!50100 … *\/`, MariaDB's `/*M! … *\/`) are run by the server, so core's
 * MySQL dialect scans their bodies as SQL (issue 13 item 7). Before, `SELECT /*! @p *\/` sent the marker untranslated
 * and the server read the session's user variable @p instead of the bound value.
 */
let connection: MysqlConnection;
let mariadb = false;
const table = `execcomment_${process.pid}`;

beforeAll(async () => {
  connection = await openConnection();
  mariadb = /mariadb/i.test(connection.serverVersion);
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await nonQuery(connection, `CREATE TABLE ${table} (id INT PRIMARY KEY, a INT NULL, b INT NULL) ENGINE=InnoDB`);
});

afterAll(async () => {
  await nonQuery(connection, `DROP TRIGGER IF EXISTS ${table}_bi`);
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

describe('executable comments', () => {
  it.each([
    ['/*! … */', 'SELECT /*! @p */ AS x'],
    ['/*!50100 … */ (a version every supported server has)', 'SELECT /*!50100 @p */ AS x'],
    ['/*!50100…*/ with no space after the version', 'SELECT /*!50100@p*/ AS x'],
  ])('%s: a marker inside is the bound value, not the user variable of that name', async (_label, sql) => {
    await nonQuery(connection, "SET @p = 'the user variable'");
    expect(await scalar(connection, sql, { p: 'the bound value' })).toBe('the bound value');
  });

  it('/*M! … */: a marker inside is the bound value on MariaDB (MySQL reads it as a comment)', async () => {
    if (!mariadb) return;
    await nonQuery(connection, "SET @p = 'the user variable'");
    expect(await scalar(connection, 'SELECT /*M! @p */ AS x', { p: 'the bound value' })).toBe('the bound value');
    expect(await scalar(connection, 'SELECT /*M!100100 @p */ AS x', { p: 'the bound value' })).toBe('the bound value');
  });

  it('markers inside and after an executable comment keep their order', async () => {
    const command = connection.createCommand('SELECT CONCAT(/*! @a, */ @b, /*!50100 @a */) AS x');
    command.parameters.addWithValue('@a', 'A');
    command.parameters.addWithValue('@b', 'B');
    expect(await command.executeScalar()).toBe('ABA');
  });

  it('a literal inside an executable comment stays a literal', async () => {
    expect(await scalar(connection, "SELECT /*! '@p */;' */ AS x", { p: 1 })).toBe('@p */;');
  });

  it('a batch of mysqldump-style statements splits at the ; after each comment', async () => {
    const command = connection.createCommand(
      '/*!40101 SET @saved = @v */; /*!40101 SET @v = @given */; SELECT @v AS v, @saved AS saved',
    );
    command.parameters.addWithValue('@given', 7);
    await nonQuery(connection, 'SET @v = 1');
    const reader = await command.executeReader();
    try {
      expect(await reader.read()).toBe(true);
      // User variables set from an integer read back as BIGINT.
      expect(reader.getValues()).toEqual([7n, 1n]);
    } finally {
      await reader.close();
    }
  });

  it('creates a trigger written inside executable comments with a BEGIN … END body, as mysqldump writes it', async () => {
    await nonQuery(connection, `DROP TRIGGER IF EXISTS ${table}_bi`);
    await nonQuery(
      connection,
      `/*!50003 CREATE*/ /*!50003 TRIGGER ${table}_bi BEFORE INSERT ON ${table} FOR EACH ROW BEGIN
         SET NEW.a = NEW.id * 2;
         SET NEW.b = NEW.id * 3;
       END */`,
    );
    await nonQuery(connection, `INSERT INTO ${table} (id) VALUES (@id)`, { id: 5 });
    expect(await scalar(connection, `SELECT a + b FROM ${table} WHERE id = 5`)).toBe(25n);
  });
});

describe('a marker inside an executable comment this server skips', () => {
  it('is refused before sending: its value would shift every later one', async () => {
    await nonQuery(connection, `DELETE FROM ${table}`);
    for (const sql of [
      `INSERT INTO ${table} (id, a) VALUES (@id /*!999999 + @skipped */, @a)`,
      ...(mariadb ? [] : [`INSERT INTO ${table} (id, a) VALUES (@id /*M! + @skipped */, @a)`]),
    ]) {
      const command = connection.createCommand(sql);
      command.parameters.addWithValue('@id', 1);
      command.parameters.addWithValue('@skipped', 100);
      command.parameters.addWithValue('@a', 2);
      const error = await command.executeNonQuery().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as Error).message).toMatch(/executable comment at position \d+, which this server skips/);
    }
    expect(await scalar(connection, `SELECT COUNT(*) FROM ${table}`)).toBe(0n);
  });

  it('a comment the server runs, or one without a marker, is sent as usual', async () => {
    await nonQuery(connection, `DELETE FROM ${table}`);
    await nonQuery(connection, `INSERT INTO ${table} (id, a) VALUES (@id /*!50100 + @more */, @a) /*!999999 x */`, {
      id: 1,
      more: 10,
      a: 2,
    });
    // (The trigger of the test above rewrites a and b; id is what the comment changed.)
    expect(await scalar(connection, `SELECT id FROM ${table}`)).toBe(11);
  });
});
