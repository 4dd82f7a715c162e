import type { DbType } from './db-type.js';
import { fieldTypeOf, type FieldType } from '../values/field-type.js';

/** What a provider knows about a result column; only name, ordinal, type name and DbType are required. */
export interface DbColumnInit {
  readonly columnName: string;
  readonly columnOrdinal: number;
  /** The engine's own type name (`int4`, `VARCHAR`, `nvarchar`). */
  readonly dataTypeName: string;
  readonly dbType: DbType;
  readonly allowDBNull?: boolean | undefined;
  readonly columnSize?: number | undefined;
  readonly numericPrecision?: number | undefined;
  readonly numericScale?: number | undefined;
  readonly isKey?: boolean | undefined;
  readonly isUnique?: boolean | undefined;
  readonly isAutoIncrement?: boolean | undefined;
  readonly isLong?: boolean | undefined;
  readonly isReadOnly?: boolean | undefined;
  readonly isAliased?: boolean | undefined;
  readonly isExpression?: boolean | undefined;
  readonly baseSchemaName?: string | undefined;
  readonly baseTableName?: string | undefined;
  readonly baseColumnName?: string | undefined;
  /** The engine's numeric type id (pg OID, MySQL type code, TDS type), where there is one. */
  readonly providerType?: number | string | undefined;
}

/**
 * Describes one column of a result set, the same shape on every provider. Mirrors
 * `System.Data.Common.DbColumn`; properties a provider does not know are `undefined`.
 */
export class DbColumn {
  readonly columnName: string;
  readonly columnOrdinal: number;
  readonly dataTypeName: string;
  readonly dbType: DbType;
  /** The JS type values of this column read as (docs/values.md). */
  readonly fieldType: FieldType;
  readonly allowDBNull: boolean | undefined;
  readonly columnSize: number | undefined;
  readonly numericPrecision: number | undefined;
  readonly numericScale: number | undefined;
  readonly isKey: boolean | undefined;
  readonly isUnique: boolean | undefined;
  readonly isAutoIncrement: boolean | undefined;
  readonly isLong: boolean | undefined;
  readonly isReadOnly: boolean | undefined;
  readonly isAliased: boolean | undefined;
  readonly isExpression: boolean | undefined;
  readonly baseSchemaName: string | undefined;
  readonly baseTableName: string | undefined;
  readonly baseColumnName: string | undefined;
  readonly providerType: number | string | undefined;

  constructor(init: DbColumnInit) {
    this.columnName = init.columnName;
    this.columnOrdinal = init.columnOrdinal;
    this.dataTypeName = init.dataTypeName;
    this.dbType = init.dbType;
    this.fieldType = fieldTypeOf(init.dbType);
    this.allowDBNull = init.allowDBNull;
    this.columnSize = init.columnSize;
    this.numericPrecision = init.numericPrecision;
    this.numericScale = init.numericScale;
    this.isKey = init.isKey;
    this.isUnique = init.isUnique;
    this.isAutoIncrement = init.isAutoIncrement;
    this.isLong = init.isLong;
    this.isReadOnly = init.isReadOnly;
    this.isAliased = init.isAliased;
    this.isExpression = init.isExpression;
    this.baseSchemaName = init.baseSchemaName;
    this.baseTableName = init.baseTableName;
    this.baseColumnName = init.baseColumnName;
    this.providerType = init.providerType;
    Object.freeze(this);
  }
}
