import { toTediousParameter } from './mssql-parameters.js';
import { createTediousRequest, TEDIOUS_TYPES, type TediousConnection } from './mssql-tedious.js';
import type { BoundParameter } from '@asyncdb/core';

/** What `CommandBehavior.KeyInfo` adds to a column: where it comes from and whether it is part of a key. */
export interface MssqlKeyColumnInfo {
  readonly isKey: boolean;
  readonly isAutoIncrement?: boolean;
  readonly baseSchemaName?: string;
  readonly baseTableName?: string;
  readonly baseColumnName?: string;
}

/** A value of a result row, by column name (sp_describe_first_result_set's documented column names). */
type Row = ReadonlyMap<string, unknown>;

/**
 * Key information for `CommandBehavior.KeyInfo`. SqlClient gets it by running the batch with `SET NO_BROWSETABLE ON`,
 * which makes SQL Server add TABNAME/COLINFO tokens — tokens tedious cannot parse. We ask the server instead with
 * `sp_describe_first_result_set @browse_information_mode = 1` (SQL Server 2012+), one round trip before the command:
 * per visible column of the first result set, `is_part_of_unique_key`, `is_identity_column` and its source
 * schema/table/column. Resolves undefined when the server cannot describe the batch (temp tables, dynamic SQL…):
 * the command then runs without key information, as it would without KeyInfo.
 */
export function describeKeyInfo(
  connection: TediousConnection,
  text: string,
  parameters: readonly BoundParameter[],
  signal: AbortSignal,
): Promise<ReadonlyMap<number, MssqlKeyColumnInfo> | undefined> {
  return new Promise((resolve) => {
    const rows: Row[] = [];
    const onAbort = (): void => {
      connection.cancel();
    };
    const request = createTediousRequest('sp_describe_first_result_set', (error) => {
      signal.removeEventListener('abort', onAbort);
      resolve(error ? undefined : keyInfoOf(rows));
    });
    request.on('row', (columns) => {
      rows.push(new Map(columns.map((column) => [column.metadata.colName, column.value])));
    });
    request.addParameter('tsql', TEDIOUS_TYPES.NVarChar, text, { length: 65535 });
    const declarations = declarationsOf(parameters);
    request.addParameter('params', TEDIOUS_TYPES.NVarChar, declarations === '' ? null : declarations, { length: 65535 });
    request.addParameter('browse_information_mode', TEDIOUS_TYPES.TinyInt, 1);
    signal.addEventListener('abort', onAbort, { once: true });
    connection.callProcedure(request);
  });
}

/** `@a int, @b nvarchar(4000) OUTPUT`: the declaration sp_executesql would get for the command's parameters. */
function declarationsOf(parameters: readonly BoundParameter[]): string {
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

/** Ordinal (0-based, visible columns only) → key information. */
function keyInfoOf(rows: readonly Row[]): ReadonlyMap<number, MssqlKeyColumnInfo> {
  const info = new Map<number, MssqlKeyColumnInfo>();
  const visible = rows.filter((row) => row.get('is_hidden') !== true);
  visible.forEach((row, index) => {
    const text = (name: string): string | undefined => {
      const value = row.get(name);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    info.set(index, {
      isKey: row.get('is_part_of_unique_key') === true,
      ...(typeof row.get('is_identity_column') === 'boolean' ? { isAutoIncrement: row.get('is_identity_column') as boolean } : {}),
      ...optional('baseSchemaName', text('source_schema')),
      ...optional('baseTableName', text('source_table')),
      ...optional('baseColumnName', text('source_column')),
    });
  });
  return info;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
