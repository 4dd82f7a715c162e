import type { TdsColumn } from '../engine-types.js';
import type { PgRunner } from '../pg/pg-runner.js';
import type { DeclaredColumns } from '../translate/translator.js';

/**
 * What the engine knows about the tables created through it: for each column (by table oid and attribute
 * number, which is how PostgreSQL identifies a result column's source) the T-SQL type it was declared with,
 * whether it is NOT NULL and whether it is an IDENTITY. PostgreSQL alone would describe a TINYINT column as
 * smallint, MONEY as numeric(19,4), VARCHAR as nvarchar, DATETIME as datetime2; with this they read back as
 * declared. Shared by all sessions of an engine; entries of dropped tables are never looked up again, since
 * PostgreSQL does not reuse their oids.
 */
export class TableCatalog {
  readonly #tables = new Map<number, Map<number, TdsColumn>>();

  /** The declared column behind a result column, if the table was created through this engine. */
  column(tableId: number, columnId: number): TdsColumn | undefined {
    if (tableId === 0) return undefined;
    return this.#tables.get(tableId)?.get(columnId);
  }

  /** Reads the table's attributes after CREATE/ALTER TABLE and records the declared types. */
  async register(runner: PgRunner, declared: DeclaredColumns): Promise<void> {
    const types = new Map(declared.columns.map((c) => [c.name, c.type]));
    const result = await runner.command(
      `SELECT attrelid::bigint, attnum, attname, attnotnull, attidentity <> '' FROM pg_attribute
        WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
      [declared.table],
    );
    for (const [oid, attnum, name, notNull, identity] of result.rows) {
      if (oid == null || attnum == null || name == null) continue;
      const tableId = Number(oid);
      let columns = this.#tables.get(tableId);
      if (columns === undefined) this.#tables.set(tableId, (columns = new Map()));
      const type = types.get(name) ?? columns.get(Number(attnum));
      if (type === undefined) continue;
      columns.set(Number(attnum), { ...type, name: '', nullable: notNull !== 't', ...(identity === 't' ? { identity: true } : {}) });
    }
  }
}
