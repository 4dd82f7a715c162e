import type { DbType } from '@asyncdb/core';
import type { PgBaseColumnInfo, PgCatalogType } from './pg-columns.js';
import { PgOid, pgTypeInfo } from './pg-type-map.js';

/**
 * The catalog queries a result cursor runs inside its own protocol turn when a RowDescription names types the
 * provider does not know (enums, domains, composites) or when `CommandBehavior.KeyInfo` asks for base-column facts.
 */

/** A looked-up type: its name, DbType, and the built-in type whose parser reads its values (a domain's base type). */
export interface PgCatalogTypeEntry extends PgCatalogType {
  readonly parserOid: number;
}

/** Finds `pg_type` rows by OID; a domain reports its base type. Parameter: `$1::oid[]`. */
export const TYPE_LOOKUP_SQL = `SELECT t.oid::int8, t.typname, t.typtype, CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END::int8
FROM pg_catalog.pg_type t WHERE t.oid = ANY ($1::oid[])`;

/** Base-table facts for (table OID, attribute number) pairs. Parameters: `$1::oid[]`, `$2::int2[]`. */
export const KEY_INFO_SQL = `SELECT a.attrelid::int8, a.attnum::int4, n.nspname, c.relname, a.attname, a.attnotnull,
  EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)),
  EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum),
  (a.attidentity <> '' OR COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false))
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE (a.attrelid, a.attnum) IN (SELECT * FROM unnest ($1::oid[], $2::int2[]))`;

/** A PostgreSQL array literal of integers, for the `oid[]`/`int2[]` parameters above. */
export function integerArrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** Reads the rows of {@link TYPE_LOOKUP_SQL}. */
export function readCatalogTypes(rows: ReadonlyArray<ReadonlyArray<string | null>>): Map<number, PgCatalogTypeEntry> {
  const types = new Map<number, PgCatalogTypeEntry>();
  for (const [oid, name, kind, related] of rows) {
    const relatedOid = Number(related ?? 0);
    const base = pgTypeInfo(relatedOid);
    let dbType: DbType = 'String';
    let parserOid: number = PgOid.text;
    if (kind === 'd' && base) {
      dbType = base.dbType;
      parserOid = base.oid;
    } else if (kind !== 'd' && relatedOid !== 0) {
      // typelem set on a non-domain: an array of some type; values read as text of the literal.
      dbType = 'Object';
    }
    types.set(Number(oid), Object.freeze({ name: name ?? `oid:${oid}`, dbType, parserOid }));
  }
  return types;
}

/** Reads the rows of {@link KEY_INFO_SQL}, keyed like `baseColumnKey`. */
export function readBaseColumns(rows: ReadonlyArray<ReadonlyArray<string | null>>): Map<string, PgBaseColumnInfo> {
  const columns = new Map<string, PgBaseColumnInfo>();
  for (const [table, attnum, schemaName, tableName, columnName, notNull, isKey, isUnique, isAuto] of rows) {
    columns.set(`${table}:${attnum}`, {
      schemaName: schemaName ?? '',
      tableName: tableName ?? '',
      columnName: columnName ?? '',
      notNull: notNull === 't',
      isKey: isKey === 't',
      isUnique: isUnique === 't' || isKey === 't',
      isAutoIncrement: isAuto === 't',
    });
  }
  return columns;
}

/** Looked-up types per physical session (the pooled client outlives the DbConnection that used it). */
const typeCaches = new WeakMap<object, Map<number, PgCatalogTypeEntry>>();

/** The type cache of one physical session. */
export function catalogTypeCache(client: object): Map<number, PgCatalogTypeEntry> {
  let cache = typeCaches.get(client);
  if (!cache) {
    cache = new Map();
    typeCaches.set(client, cache);
  }
  return cache;
}
