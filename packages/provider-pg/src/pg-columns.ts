import { DbColumn, type DbColumnInit, type DbType } from '@asyncdb/core';
import type { PgFieldDescription } from './pg-client.js';
import { PgOid, pgTypeInfo } from './pg-type-map.js';

/** A type the session looked up in `pg_type` because the provider has no entry for it (enum, domain, composite…). */
export interface PgCatalogType {
  readonly name: string;
  readonly dbType: DbType;
}

/** What `CommandBehavior.KeyInfo` found about a base-table column in `pg_attribute` and its indexes. */
export interface PgBaseColumnInfo {
  readonly schemaName: string;
  readonly tableName: string;
  readonly columnName: string;
  readonly notNull: boolean;
  readonly isKey: boolean;
  readonly isUnique: boolean;
  readonly isAutoIncrement: boolean;
}

/** Extra knowledge used to describe columns beyond the RowDescription itself. */
export interface PgColumnContext {
  readonly catalogTypes?: ReadonlyMap<number, PgCatalogType>;
  /** Keyed by {@link baseColumnKey}. */
  readonly baseColumns?: ReadonlyMap<string, PgBaseColumnInfo>;
}

/** The key of {@link PgColumnContext.baseColumns}: table OID and attribute number. */
export function baseColumnKey(tableID: number, columnID: number): string {
  return `${tableID}:${columnID}`;
}

const VARHDRSZ = 4;
const LONG_TYPES: ReadonlySet<number> = new Set([PgOid.text, PgOid.bytea, PgOid.json, PgOid.jsonb, PgOid.xml]);
const DATETIME_TYPES: ReadonlySet<number> = new Set([PgOid.time, PgOid.timetz, PgOid.timestamp, PgOid.timestamptz]);

/** Size, precision and scale encoded in a type modifier (`atttypmod`), as `format_type` decodes them. */
export function decodeTypeModifier(
  oid: number,
  modifier: number,
  typeSize: number,
): Pick<DbColumnInit, 'columnSize' | 'numericPrecision' | 'numericScale'> {
  if (oid === PgOid.numeric) {
    if (modifier < VARHDRSZ) return {};
    const value = modifier - VARHDRSZ;
    // PostgreSQL 15+ stores the scale as an 11-bit signed number (it may be negative).
    return { numericPrecision: (value >> 16) & 0xffff, numericScale: ((value & 0x7ff) ^ 0x400) - 0x400 };
  }
  if (oid === PgOid.varchar || oid === PgOid.bpchar)
    return modifier >= VARHDRSZ ? { columnSize: modifier - VARHDRSZ } : {};
  if (oid === PgOid.bit || oid === PgOid.varbit) return modifier >= 0 ? { columnSize: modifier } : {};
  if (DATETIME_TYPES.has(oid))
    return { numericScale: modifier >= 0 ? modifier : 6, ...(typeSize > 0 ? { columnSize: typeSize } : {}) };
  return typeSize > 0 ? { columnSize: typeSize } : {};
}

/** Describes one result column from its RowDescription entry. Mirrors what `NpgsqlDbColumn` reports. */
export function buildColumn(field: PgFieldDescription, ordinal: number, context: PgColumnContext = {}): DbColumn {
  const builtIn = pgTypeInfo(field.dataTypeID);
  const looked = builtIn ? undefined : context.catalogTypes?.get(field.dataTypeID);
  const base = field.tableID === 0 ? undefined : context.baseColumns?.get(baseColumnKey(field.tableID, field.columnID));
  return new DbColumn({
    columnName: field.name,
    columnOrdinal: ordinal,
    dataTypeName: builtIn?.name ?? looked?.name ?? `oid:${field.dataTypeID}`,
    dbType: builtIn?.dbType ?? looked?.dbType ?? 'String',
    providerType: field.dataTypeID,
    ...decodeTypeModifier(field.dataTypeID, field.dataTypeModifier, field.dataTypeSize),
    isLong: LONG_TYPES.has(field.dataTypeID),
    isExpression: field.tableID === 0,
    ...(base
      ? {
          baseSchemaName: base.schemaName,
          baseTableName: base.tableName,
          baseColumnName: base.columnName,
          allowDBNull: !base.notNull,
          isKey: base.isKey,
          isUnique: base.isUnique,
          isAutoIncrement: base.isAutoIncrement,
          isAliased: base.columnName !== field.name,
        }
      : {}),
  });
}

/** Describes every column of a RowDescription. */
export function buildColumns(fields: readonly PgFieldDescription[], context: PgColumnContext = {}): DbColumn[] {
  return fields.map((field, ordinal) => buildColumn(field, ordinal, context));
}
