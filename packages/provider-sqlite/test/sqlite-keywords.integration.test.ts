import { describe, expect, it } from 'vitest';
import { DbError, DbErrorCategory } from '@asyncdb/core';
import { inspect } from 'node:util';
import { SqliteProviderFactory } from '../src/index.js';
import { useSqliteFiles } from './sqlite-test-helpers.js';

const factory = SqliteProviderFactory.instance;

/** Every text an error shows: message, stack, String(), JSON and inspect (with its causes). */
function textsOf(error: unknown): string {
  return [String(error), (error as Error).stack ?? '', JSON.stringify(error) ?? '', inspect(error, { depth: 8 })].join(
    '\n',
  );
}

describe('connection-string keywords (Microsoft.Data.Sqlite names)', () => {
  const files = useSqliteFiles();

  // Found probing issue 13 item 5: the busy timeout is a C int of milliseconds, and 2147484 s wrapped to 0 — lock
  // waits failed at once instead of waiting. The keyword now stops at Int32.MaxValue ms and says so.
  it('Default Timeout up to 2147483 s is the busy timeout; above, it is refused naming the limit', async () => {
    const connection = await files.open('Data Source=:memory:;Default Timeout=2147483');
    expect(await connection.createCommand('PRAGMA busy_timeout').executeScalar()).toBe(2_147_483_000n);
    const error = (() => {
      try {
        factory.createConnection('Data Source=:memory:;Default Timeout=2147484');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect((error as Error).constructor.name).toBe('ConnectionStringError');
    expect((error as Error).message).toBe(
      "Invalid value for key 'default timeout'. Expected an integer from 0 to 2147483.",
    );
  });

  it('Mode=ReadWrite on a missing file fails the open with a connection_failure DbError', async () => {
    const connection = factory.createConnection(`Data Source=${files.path('missing.db')};Mode=ReadWrite`);
    const error = await connection.open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
  });

  it('Mode=ReadOnly reads and refuses writes with a permission_denied DbError', async () => {
    const path = files.path('read-only.db');
    const writer = await files.open(`Data Source=${path}`);
    await writer.createCommand("CREATE TABLE t (v text); INSERT INTO t VALUES ('x')").executeNonQuery();
    const reader = await files.open(`Data Source=${path};Mode=ReadOnly`);
    expect(await reader.createCommand('SELECT v FROM t').executeScalar()).toBe('x');
    const error = await reader
      .createCommand("INSERT INTO t VALUES ('y')")
      .executeNonQuery()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.PermissionDenied);
  });

  it('Data Source=:memory: and Mode=Memory are private to their connection', async () => {
    const first = await files.open('Data Source=:memory:');
    await first.createCommand('CREATE TABLE only_here (v int)').executeNonQuery();
    const second = await files.open('Mode=Memory');
    const error = await second
      .createCommand('SELECT * FROM only_here')
      .executeScalar()
      .catch((caught: unknown) => caught);
    expect((error as DbError).category).toBe(DbErrorCategory.UndefinedObject);
  });

  it("Foreign Keys=False lets an orphan in; True (and libsql's default, unset) enforces foreign keys", async () => {
    const path = files.path('fk.db');
    const relaxed = await files.open(`Data Source=${path};Foreign Keys=False`);
    await relaxed
      .createCommand('CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p (id))')
      .executeNonQuery();
    expect(await relaxed.createCommand('INSERT INTO c VALUES (1)').executeNonQuery()).toBe(1);
    for (const setting of ['Foreign Keys=True', '']) {
      const enforced = await files.open(`Data Source=${path};${setting}`);
      const error = await enforced
        .createCommand('INSERT INTO c VALUES (2)')
        .executeNonQuery()
        .catch((caught: unknown) => caught);
      expect((error as DbError).category, setting || 'unset').toBe(DbErrorCategory.ForeignKeyViolation);
    }
  });

  it('Password is the encryption key: the right one reads, a wrong one fails the open, and no text shows it', async () => {
    const path = files.path('encrypted.db');
    const secret = 'Sq1ite-Secret-913';
    const created = await files.open(`Data Source=${path};Password=${secret}`);
    expect(created.connectionString).not.toContain(secret);
    await created.createCommand("CREATE TABLE t (v text); INSERT INTO t VALUES ('hidden')").executeNonQuery();
    await created.close();
    const reopened = await files.open(`Data Source=${path};Password=${secret}`);
    expect(await reopened.createCommand('SELECT v FROM t').executeScalar()).toBe('hidden');
    const wrong = 'Wrong-Secret-4242';
    const attempt = factory.createConnection(`Data Source=${path};Password=${wrong}`);
    const error = await attempt.open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    expect(textsOf(error)).not.toContain(wrong);
    expect(String(factory.createConnectionStringBuilder(`Data Source=x;Password=${wrong}`))).not.toContain(wrong);
  });

  it('Cache=Shared is rejected at open with a ConnectionStringError naming the keyword', async () => {
    const connection = factory.createConnection(`Data Source=${files.path('shared.db')};Cache=Shared`);
    const error = await connection.open().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/Cache=Shared/);
  });
});
