import { UNPARSABLE_SQL } from './unparsable-sql.js';
import { afterAll, expect, it } from 'vitest';
import { gatedIt } from '../capability-gate.js';
import { fixtureGate, isNotAvailable, networkKeywords, requirePart } from '../fixture-parts.js';
import { DbError, DbErrorCategory, type DbConnection, type DbTransaction } from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { portableDeadlock, type ErrorCase } from '../conformance-fixture.js';
import { asInteger } from '../helpers/integer.js';
import { rejectionOf } from '../helpers/rejection.js';
import { malformedConnectionStrings } from '../helpers/malformed-connection-strings.js';
import { findSecret } from '../helpers/secrets.js';
import { closedPort } from '../helpers/silent-server.js';
import { constraintTables, counterTable } from './tables.js';

/** A password no server knows, to look for in error texts. */
const SECRET = 'asyncdb-Secret-7f3a9c';

/**
 * Group 7 — Errors: unique, foreign key, not null, check, syntax, undefined table and deadlock, each a `DbError`
 * with its category, sqlState / providerCode, the driver's error as `cause`, and no password in any text
 * (docs/errors.md).
 */
export function errorsSuite(context: ConformanceContext): void {
  const { factory, fixture } = context;
  const { parent, child } = constraintTables(context);
  const counters = counterTable(context, 'tk_deadlock');
  afterAll(() => context.dropTables(counters.name, child.name, parent.name));

  /** The suite's own password, if its connection string has one: it must not leak either. */
  function secrets(): string[] {
    if (isNotAvailable(fixture.keywords)) return [SECRET];
    const builder = factory.createConnectionStringBuilder(context.connectionString());
    return [SECRET, builder.get(fixture.keywords.password) ?? ''].filter((secret) => secret.length >= 4);
  }

  /** The checks every server error must pass. */
  function expectServerError(error: Error, category: DbErrorCategory, errorCase: ErrorCase | undefined): DbError {
    expect(error).toBeInstanceOf(DbError);
    const dbError = error as DbError;
    expect(dbError.category, dbError.message).toBe(category);
    expect(dbError.sqlState ?? dbError.providerCode, 'sqlState or providerCode').toBeDefined();
    const expected = errorCase === undefined ? undefined : fixture.errorCodes?.[errorCase];
    if (expected?.sqlState !== undefined) expect(dbError.sqlState).toBe(expected.sqlState);
    if (expected?.providerCode !== undefined) expect(dbError.providerCode).toBe(expected.providerCode);
    expect(dbError.cause, 'the driver error kept as cause').toBeDefined();
    expect(dbError.providerName).toBe(factory.invariantName);
    expect(dbError.message).not.toBe('');
    expect(dbError.name).toBe(dbError.constructor.name);
    for (const secret of secrets()) expect(findSecret(dbError, secret), 'a password in the error').toBeUndefined();
    return dbError;
  }

  /** An open connection, with the child table empty and parent 1 present. */
  async function prepared(): Promise<{ connection: DbConnection; table: string }> {
    const table = await child.ensure();
    const connection = await context.open();
    await context.nonQuery(connection, `DELETE FROM ${table}`);
    await context.nonQuery(connection, `DELETE FROM ${parent.name}`);
    await context.nonQuery(connection, `INSERT INTO ${parent.name} (id) VALUES (1)`);
    return { connection, table };
  }

  /** The error of one failing statement, after which the connection must still work. */
  async function failing(connection: DbConnection, sql: string): Promise<Error> {
    const error = await rejectionOf(connection.createCommand(sql).executeNonQuery());
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    return error;
  }

  it('a unique violation is a DbError with category unique_violation (not transient)', async () => {
    const { connection, table } = await prepared();
    await context.nonQuery(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 1, 'a', 1)`);
    const error = await failing(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (2, 1, 'a', 1)`);
    expect(expectServerError(error, DbErrorCategory.UniqueViolation, 'uniqueViolation').isTransient).toBe(false);
  });

  it('a primary key violation is a DbError with category unique_violation', async () => {
    const { connection, table } = await prepared();
    await context.nonQuery(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 1, 'a', 1)`);
    const error = await failing(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 1, 'b', 1)`);
    expectServerError(error, DbErrorCategory.UniqueViolation, 'uniqueViolation');
  });

  it('a foreign key violation is a DbError with category foreign_key_violation', async () => {
    const { connection, table } = await prepared();
    const error = await failing(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 99, 'a', 1)`);
    expectServerError(error, DbErrorCategory.ForeignKeyViolation, 'foreignKeyViolation');
  });

  it('a NOT NULL violation is a DbError with category not_null_violation', async () => {
    const { connection, table } = await prepared();
    const error = await failing(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 1, NULL, 1)`);
    expectServerError(error, DbErrorCategory.NotNullViolation, 'notNullViolation');
  });

  it('a CHECK violation is a DbError with category check_violation', async () => {
    const { connection, table } = await prepared();
    const error = await failing(connection, `INSERT INTO ${table} (id, parent_id, code, qty) VALUES (1, 1, 'a', -5)`);
    expectServerError(error, DbErrorCategory.CheckViolation, 'checkViolation');
  });

  it('a syntax error is a DbError with category syntax_error', async () => {
    const connection = await context.open();
    const error = await failing(connection, UNPARSABLE_SQL);
    expectServerError(error, DbErrorCategory.SyntaxError, 'syntaxError');
  });

  it('an undefined table is a DbError with category undefined_object', async () => {
    const connection = await context.open();
    const error = await failing(connection, `SELECT * FROM ${context.uniqueName('tk_no_such_table')}`);
    expectServerError(error, DbErrorCategory.UndefinedObject, 'undefinedTable');
  });

  gatedIt(
    fixtureGate(fixture, 'rowDeadlocks'),
    'a deadlock between two connections fails one of them with a transient DbError of category deadlock',
    async () => {
      const table = await counters.ensure();
      await context.withConnection(async (connection) => {
        await context.nonQuery(connection, `DELETE FROM ${table}`);
        await context.nonQuery(connection, `INSERT INTO ${table} (id, v) VALUES (1, 0), (2, 0)`);
      });
      const recipe = requirePart(fixture.deadlock ?? portableDeadlock, 'deadlock').statements(table);
      const [first, second] = await Promise.all([context.open(), context.open()]);
      const transactions: DbTransaction[] = [await first.beginTransaction(), await second.beginTransaction()];
      const [a, b] = transactions as [DbTransaction, DbTransaction];
      await context.nonQuery(a, recipe.a[0]);
      await context.nonQuery(b, recipe.b[0]);
      // The victim rolls back at once, so the survivor's statement can finish.
      const attempt = (transaction: DbTransaction, sql: string) =>
        context.nonQuery(transaction, sql).catch(async (error: unknown) => {
          await transaction.rollback().catch(() => {});
          throw error;
        });
      const outcomes = await Promise.allSettled([attempt(a, recipe.a[1]), attempt(b, recipe.b[1])]);
      for (const transaction of transactions) if (!transaction.isCompleted) await transaction.rollback();
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
      expect(failures).toHaveLength(1);
      expect(expectServerError(failures[0]!, DbErrorCategory.Deadlock, 'deadlock').isTransient).toBe(true);
    },
    60_000,
  );

  gatedIt(
    fixtureGate(fixture, 'networkLogin'),
    'a refused connection is a DbError with category connection_failure, and no text of it shows the password',
    async () => {
      await context.ready();
      const port = await closedPort();
      const keywords = networkKeywords(fixture);
      const connection = context.track(
        factory.createConnection(
          context.connectionString({
            [keywords.host]: '127.0.0.1',
            [keywords.port]: port,
            [keywords.password]: SECRET,
          }),
        ),
      );
      const error = await rejectionOf(connection.open());
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
      expect(findSecret(error, SECRET)).toBeUndefined();
    },
  );

  it('no error of a malformed connection string shows a password embedded in it (builder, connection, URL forms)', () => {
    // Core's common keywords give every provider `Password`; a networked fixture names its own spelling.
    const passwordKeyword = isNotAvailable(fixture.keywords) ? 'Password' : fixture.keywords.password;
    const secret = 'ZqSecret4711x';
    for (const text of malformedConnectionStrings(secret, passwordKeyword)) {
      for (const attempt of [
        () => factory.createConnectionStringBuilder(text),
        () => {
          factory.createConnectionStringBuilder().connectionString = text;
        },
        () => factory.createConnection(text),
      ]) {
        let error: unknown;
        try {
          attempt();
        } catch (caught) {
          error = caught;
        }
        if (error === undefined) continue;
        expect(findSecret(error, secret), `the error of ${JSON.stringify(text)}`).toBeUndefined();
      }
    }
  });

  gatedIt(
    fixtureGate(fixture, 'networkLogin'),
    'a failed login or unknown database is a DbError, and no text of it shows the password',
    async () => {
      await context.ready();
      const keywords = networkKeywords(fixture);
      const connection = context.track(
        factory.createConnection(
          context.connectionString({
            [keywords.database]: context.uniqueName('tk_no_such_db'),
            [keywords.password]: SECRET,
          }),
        ),
      );
      const error = await rejectionOf(connection.open());
      expect(error).toBeInstanceOf(DbError);
      expect(findSecret(error, SECRET)).toBeUndefined();
    },
  );
}
