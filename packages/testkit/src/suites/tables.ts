import type { ConformanceContext, SuiteTable } from '../conformance-context.js';

/**
 * The portable tables the groups use, written with the fixture's column types and table-level constraints only
 * (accepted alike by PostgreSQL, MySQL/MariaDB and SQL Server).
 * @internal
 */

/** `id` integer primary key, `name` text (nullable). */
export function keyValueTable(context: ConformanceContext, prefix: string): SuiteTable {
  const { integer, text } = context.fixture.ddl;
  return context.table(
    prefix,
    (name) => `id ${integer} NOT NULL, name ${text} NULL, CONSTRAINT ${name}_pk PRIMARY KEY (id)`,
  );
}

/** `id` integer primary key, `v` integer not null: the rows two transactions fight over. */
export function counterTable(context: ConformanceContext, prefix: string): SuiteTable {
  const { integer } = context.fixture.ddl;
  return context.table(
    prefix,
    (name) => `id ${integer} NOT NULL, v ${integer} NOT NULL, CONSTRAINT ${name}_pk PRIMARY KEY (id)`,
  );
}

/** A parent (`id` primary key) and a child with every kind of constraint the Errors group violates. */
export interface ConstraintTables {
  readonly parent: SuiteTable;
  /**
   * `id` primary key; `parent_id` foreign key to the parent; `code` NOT NULL and UNIQUE; `qty` CHECK (qty >= 0).
   */
  readonly child: SuiteTable;
}

/** Creates the parent/child pair of {@link ConstraintTables} (the parent first). */
export function constraintTables(context: ConformanceContext): ConstraintTables {
  const { integer, text } = context.fixture.ddl;
  const parent = context.table('tk_parent', (name) => `id ${integer} NOT NULL, CONSTRAINT ${name}_pk PRIMARY KEY (id)`);
  const child = context.table(
    'tk_child',
    (name) =>
      `id ${integer} NOT NULL, parent_id ${integer} NULL, code ${text} NOT NULL, qty ${integer} NULL, ` +
      `CONSTRAINT ${name}_pk PRIMARY KEY (id), ` +
      `CONSTRAINT ${name}_code_uq UNIQUE (code), ` +
      `CONSTRAINT ${name}_parent_fk FOREIGN KEY (parent_id) REFERENCES ${parent.name} (id), ` +
      `CONSTRAINT ${name}_qty_ck CHECK (qty >= 0)`,
  );
  return {
    parent,
    child: {
      name: child.name,
      // The child's foreign key needs the parent first.
      ensure: async () => {
        await parent.ensure();
        return child.ensure();
      },
    },
  };
}

/** Empties a key/value table and fills it with `rows` (id → name). */
export async function resetKeyValues(
  context: ConformanceContext,
  table: SuiteTable,
  rows: ReadonlyArray<readonly [number, string | null]>,
): Promise<string> {
  const name = await table.ensure();
  await context.withConnection(async (connection) => {
    await context.nonQuery(connection, `DELETE FROM ${name}`);
    for (const [id, value] of rows) {
      await context.nonQuery(connection, `INSERT INTO ${name} (id, name) VALUES (@id, @name)`, { id, name: value });
    }
  });
  return name;
}
