import type { EngineEvent, TdsColumn, TdsTypeName, TdsValue } from '../engine-types.js';
import { tdsColumnFor } from '../pg/pg-column-map.js';
import { Scope } from '../session/scope.js';
import { translateStatement } from '../translate/translator.js';
import type { SqlStatement, Statement } from '../tsql/ast.js';
import { parseBatch } from '../tsql/parser.js';
import { displayText } from './evaluate.js';
import { parseDeclarations, type BoundArgument, type CallOutcome } from './exec-procedures.js';
import { newFrame, type Frame } from './frame.js';
import { ParamBinder } from './param-binder.js';
import type { SessionHost } from './session-host.js';

const col = (name: string, type: TdsTypeName, extra: Partial<TdsColumn> = {}): TdsColumn => ({ name, type, nullable: true, ...extra });
const NAME = { length: 128 };

/** The columns of sp_describe_first_result_set's result this engine fills (a subset of SQL Server's). */
const DESCRIBE_COLUMNS: readonly TdsColumn[] = [
  col('is_hidden', 'bit'),
  col('column_ordinal', 'int'),
  col('name', 'nvarchar', NAME),
  col('is_nullable', 'bit'),
  col('system_type_name', 'nvarchar', { length: 256 }),
  col('max_length', 'smallint'),
  col('precision', 'tinyint'),
  col('scale', 'tinyint'),
  col('source_server', 'nvarchar', NAME),
  col('source_database', 'nvarchar', NAME),
  col('source_schema', 'nvarchar', NAME),
  col('source_table', 'nvarchar', NAME),
  col('source_column', 'nvarchar', NAME),
  col('is_identity_column', 'bit'),
  col('is_part_of_unique_key', 'bit'),
  col('is_updateable', 'bit'),
  col('is_computed_column', 'bit'),
];

/** `int`, `nvarchar(50)`, `decimal(10,2)`, `datetime2(7)`, `varbinary(max)`… */
function typeName(c: TdsColumn): string {
  const length = c.length === undefined || c.length < 0 ? 'max' : String(c.length);
  switch (c.type) {
    case 'nvarchar':
    case 'varchar':
    case 'nchar':
    case 'char':
    case 'varbinary':
    case 'binary':
      return `${c.type}(${length})`;
    case 'decimal':
    case 'numeric':
      return `${c.type}(${c.precision ?? 18},${c.scale ?? 0})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${c.type}(${c.scale ?? 7})`;
    default:
      return c.type;
  }
}

const FIXED_LENGTH: Partial<Record<TdsTypeName, number>> = {
  tinyint: 1, smallint: 2, int: 4, bigint: 8, bit: 1, real: 4, float: 8, money: 8, date: 3, time: 5, datetime: 8,
  datetime2: 8, datetimeoffset: 10, uniqueidentifier: 16, xml: -1,
};

/** sys.columns.max_length: bytes, -1 for MAX. */
function maxLength(c: TdsColumn): number {
  const fixed = FIXED_LENGTH[c.type];
  if (fixed !== undefined) return fixed;
  if (c.type === 'decimal' || c.type === 'numeric') {
    const p = c.precision ?? 18;
    return p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17;
  }
  if (c.length === undefined || c.length < 0) return -1;
  return c.type === 'nvarchar' || c.type === 'nchar' ? c.length * 2 : c.length;
}

/** The first statement of the batch that returns a result set (looking into blocks and IF). */
function firstQuery(statements: readonly Statement[]): SqlStatement | undefined {
  for (const statement of statements) {
    if (statement.kind === 'sql' && statement.verb === 'select' && !statement.tokens.some((t) => t.kind === 'word' && t.value.toUpperCase() === 'INTO')) return statement;
    const nested =
      statement.kind === 'block' ? firstQuery(statement.body)
      : statement.kind === 'if' ? firstQuery([statement.then, ...(statement.otherwise ? [statement.otherwise] : [])])
      : statement.kind === 'tryCatch' ? firstQuery(statement.body)
      : undefined;
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** Source table, column, nullability, identity and key membership of table columns, by `oid:attnum`. */
async function sourceColumns(host: SessionHost, tableIds: readonly number[]): Promise<Map<string, readonly (string | null)[]>> {
  const sources = new Map<string, readonly (string | null)[]>();
  if (tableIds.length === 0) return sources;
  const result = await host.runner.command(
    `SELECT a.attrelid::bigint, a.attnum, c.relname, a.attname, a.attnotnull, a.attidentity <> '',
        EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND (i.indisprimary OR i.indisunique) AND a.attnum = ANY (i.indkey))
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`,
    [`{${tableIds.join(',')}}`],
  );
  for (const row of result.rows) sources.set(`${row[0]}:${row[1]}`, row.slice(2));
  return sources;
}

/**
 * `sp_describe_first_result_set @tsql, @params, @browse_information_mode`: describes the first result set of a
 * batch without running it (PostgreSQL runs the query under `LIMIT 0`). With browse information, columns of
 * tables report their source table and column, identity and whether a primary key or unique index contains
 * them (what SqlClient's KeyInfo reads).
 */
export async function* describeFirstResultSet(host: SessionHost, args: readonly BoundArgument[], caller: Frame): AsyncGenerator<EngineEvent, CallOutcome> {
  const positional = args.filter((a) => a.name === undefined || a.name === '');
  const argument = (name: string, index: number): TdsValue =>
    (args.find((a) => a.name?.toLowerCase() === name) ?? positional[index])?.value ?? null;
  const declarations = argument('@params', 1);
  const browse = Number(argument('@browse_information_mode', 2) ?? 0) > 0;
  const scope = new Scope();
  for (const parameter of declarations === null ? [] : parseDeclarations(displayText(declarations))) scope.declare(parameter.name, parameter.type);
  const query = firstQuery(parseBatch(displayText(argument('@tsql', 0))));

  yield { kind: 'columns', columns: DESCRIBE_COLUMNS };
  let count = 0;
  if (query !== undefined) {
    const binder = new ParamBinder(host, newFrame({ parent: caller, scope }));
    const translation = translateStatement(query.tokens, binder);
    const result = await host.runner.query(`SELECT * FROM (${translation.text}) AS "_describe" LIMIT 0`, binder.values);
    const sources = browse ? await sourceColumns(host, [...new Set(result.fields.map((f) => f.tableID).filter((id) => id !== 0))]) : new Map();
    for (const [index, field] of result.fields.entries()) {
      const described = host.tables.column(field.tableID, field.columnID) ?? translation.resultTypes?.[index] ?? tdsColumnFor(field);
      const name = tdsColumnFor(field).name;
      const [table = null, column = null, notNull = null, identity = null, inKey = null] = sources.get(`${field.tableID}:${field.columnID}`) ?? [];
      yield {
        kind: 'row',
        values: [
          false, index + 1, name === '' ? null : name, notNull === null ? described.nullable : notNull !== 't', typeName(described),
          maxLength(described), described.precision ?? 0, described.scale ?? 0, null, browse && table !== null ? host.state.database : null,
          table === null ? null : 'dbo', table, column, identity === 't' || described.identity === true, inKey === 't',
          table !== null, false,
        ],
      };
      count++;
    }
  }
  yield { kind: 'done', rowCount: host.state.nocount ? null : count };
  return { flow: 'next', status: 0, outputs: [] };
}
