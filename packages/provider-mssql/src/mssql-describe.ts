import { DbColumn, type BoundParameter, type DbType } from '@asyncdb/core';
import { toDbError } from './mssql-error-converter.js';
import { toTediousParameter } from './mssql-parameters.js';
import { createTediousRequest, TEDIOUS_TYPES, type TediousConnection } from './mssql-tedious.js';

/**
 * `sp_describe_first_result_set @browse_information_mode = 1` (SQL Server 2012+): the columns of a batch's first
 * result set, described by the server without running the batch. It serves two CommandBehaviors:
 * - **KeyInfo**: SqlClient runs the batch with `SET NO_BROWSETABLE ON`, which makes SQL Server add TABNAME/COLINFO
 *   tokens — tokens tedious cannot parse. The description gives the same facts (key membership, identity, source
 *   schema/table/column), one round trip before the command.
 * - **SchemaOnly** ("column information only, no effect on the database"): SqlClient wraps the batch in
 *   `SET FMTONLY ON`, deprecated since SQL Server 2012; the description runs nothing, so an INSERT … OUTPUT or a
 *   procedure with side effects is not executed.
 */

/** One visible column as `sp_describe_first_result_set` describes it (its documented column names). */
export interface DescribedColumn {
  readonly name: string;
  readonly ordinal: number;
  readonly isNullable: boolean;
  /** `int`, `nvarchar(50)`, `decimal(9,2)`, `varbinary(max)`… */
  readonly systemTypeName: string;
  /** Bytes; -1 for MAX. */
  readonly maxLength: number;
  readonly precision: number;
  readonly scale: number;
  readonly isIdentity: boolean | undefined;
  readonly isPartOfUniqueKey: boolean | undefined;
  readonly isUpdateable: boolean | undefined;
  readonly isComputed: boolean | undefined;
  readonly sourceSchema: string | undefined;
  readonly sourceTable: string | undefined;
  readonly sourceColumn: string | undefined;
}

/**
 * Describes the first result set of `text` (with the command's parameters declared as sp_executesql would declare
 * them). Rejects with the server's error when it cannot describe the batch (e.g. a `#temp` table created by the same
 * batch); resolves an empty list for a batch that returns no rows.
 */
export function describeFirstResultSet(
  connection: TediousConnection,
  text: string,
  parameters: readonly BoundParameter[],
  signal: AbortSignal,
): Promise<DescribedColumn[]> {
  return new Promise((resolve, reject) => {
    const rows: Array<ReadonlyMap<string, unknown>> = [];
    const onAbort = (): void => {
      connection.cancel();
    };
    const request = createTediousRequest('sp_describe_first_result_set', (error) => {
      signal.removeEventListener('abort', onAbort);
      if (error) reject(toDbError(error));
      else resolve(rows.filter((row) => row.get('is_hidden') !== true).map(toDescribedColumn));
    });
    request.on('row', (columns) => {
      rows.push(new Map(columns.map((column) => [column.metadata.colName, column.value])));
    });
    request.addParameter('tsql', TEDIOUS_TYPES.NVarChar, text, { length: 65535 });
    const declarations = declarationsOf(parameters);
    request.addParameter('params', TEDIOUS_TYPES.NVarChar, declarations === '' ? null : declarations, {
      length: 65535,
    });
    request.addParameter('browse_information_mode', TEDIOUS_TYPES.TinyInt, 1);
    signal.addEventListener('abort', onAbort, { once: true });
    connection.callProcedure(request);
  });
}

/** `@a int, @b nvarchar(4000) OUTPUT`: the declaration sp_executesql gets for the command's parameters. */
export function declarationsOf(parameters: readonly BoundParameter[]): string {
  return parameters
    .map(toTediousParameter)
    .flatMap((parameter) => {
      if (!parameter) return [];
      const declared = parameter.type.declaration({
        name: parameter.name,
        type: parameter.type,
        value: parameter.value,
        output: parameter.output,
        length: parameter.options.length,
        precision: parameter.options.precision,
        scale: parameter.options.scale,
      });
      return [`@${parameter.name} ${declared}${parameter.output ? ' OUTPUT' : ''}`];
    })
    .join(', ');
}

function toDescribedColumn(row: ReadonlyMap<string, unknown>, index: number): DescribedColumn {
  const text = (name: string): string | undefined => {
    const value = row.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const flag = (name: string): boolean | undefined => {
    const value = row.get(name);
    return typeof value === 'boolean' ? value : undefined;
  };
  const integer = (name: string): number => Number(row.get(name) ?? 0);
  return {
    name: text('name') ?? '',
    ordinal: index,
    isNullable: flag('is_nullable') ?? true,
    systemTypeName: text('system_type_name') ?? 'sql_variant',
    maxLength: integer('max_length'),
    precision: integer('precision'),
    scale: integer('scale'),
    isIdentity: flag('is_identity_column'),
    isPartOfUniqueKey: flag('is_part_of_unique_key'),
    isUpdateable: flag('is_updateable'),
    isComputed: flag('is_computed_column'),
    sourceSchema: text('source_schema'),
    sourceTable: text('source_table'),
    sourceColumn: text('source_column'),
  };
}

/** SQL Server type names → DbType, for columns known only by name (SchemaOnly). */
const DB_TYPES: Readonly<Record<string, DbType>> = {
  bit: 'Boolean',
  tinyint: 'Byte',
  smallint: 'Int16',
  int: 'Int32',
  bigint: 'Int64',
  real: 'Single',
  float: 'Double',
  decimal: 'Decimal',
  numeric: 'Decimal',
  money: 'Currency',
  smallmoney: 'Currency',
  nvarchar: 'String',
  ntext: 'String',
  nchar: 'StringFixedLength',
  varchar: 'AnsiString',
  text: 'AnsiString',
  char: 'AnsiStringFixedLength',
  varbinary: 'Binary',
  binary: 'Binary',
  image: 'Binary',
  timestamp: 'Binary',
  rowversion: 'Binary',
  date: 'Date',
  time: 'Time',
  datetime: 'DateTime',
  smalldatetime: 'DateTime',
  datetime2: 'DateTime2',
  datetimeoffset: 'DateTimeOffset',
  uniqueidentifier: 'Guid',
  xml: 'Xml',
};

const LONG_TYPES: ReadonlySet<string> = new Set(['text', 'ntext', 'image', 'xml']);

/** A `DbColumn` from a description (CommandBehavior.SchemaOnly), shaped as `toDbColumn` shapes a COLMETADATA column. */
export function describedToDbColumn(column: DescribedColumn): DbColumn {
  const typeName = column.systemTypeName.replace(/\(.*$/, '').trim().toLowerCase();
  const dbType = DB_TYPES[typeName] ?? 'Object';
  const isLong = column.maxLength === -1 || LONG_TYPES.has(typeName);
  const unicode = typeName === 'nvarchar' || typeName === 'nchar';
  const numeric =
    dbType === 'Decimal' ||
    dbType === 'Currency' ||
    dbType === 'Int16' ||
    dbType === 'Int32' ||
    dbType === 'Int64' ||
    dbType === 'Byte';
  return new DbColumn({
    columnName: column.name,
    columnOrdinal: column.ordinal,
    dataTypeName: typeName,
    dbType,
    allowDBNull: column.isNullable,
    columnSize: isLong ? 2_147_483_647 : unicode ? column.maxLength / 2 : column.maxLength,
    numericPrecision: numeric || dbType === 'Single' || dbType === 'Double' ? column.precision : undefined,
    numericScale:
      dbType === 'Decimal' ||
      dbType === 'Currency' ||
      dbType === 'Time' ||
      dbType === 'DateTime2' ||
      dbType === 'DateTimeOffset'
        ? column.scale
        : undefined,
    isLong,
    isKey: column.isPartOfUniqueKey,
    isAutoIncrement: column.isIdentity,
    isReadOnly: column.isUpdateable === undefined ? undefined : !column.isUpdateable,
    isExpression: column.isComputed,
    baseSchemaName: column.sourceSchema,
    baseTableName: column.sourceTable,
    baseColumnName: column.sourceColumn,
    providerType: typeName,
  });
}
