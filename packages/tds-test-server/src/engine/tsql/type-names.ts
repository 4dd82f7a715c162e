import type { TdsColumn, TdsTypeName } from '../engine-types.js';
import { isSymbol, isWord, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';

/** A T-SQL data type: how SQL Server describes it and the PostgreSQL type that stores it. */
export interface SqlType {
  /** The SQL Server description (name '' and nullable until used for a column). */
  readonly tds: TdsColumn;
  /** The PostgreSQL type name used in DDL and casts, e.g. `varchar(50)`, `numeric(19,4)`, `timestamp(3)`. */
  readonly pg: string;
}

/** PostgreSQL keeps at most 6 fractional-second digits; SQL Server up to 7. */
const pgFraction = (scale: number): number => Math.min(scale, 6);

function column(type: TdsTypeName, extra: Partial<TdsColumn> = {}): TdsColumn {
  return { name: '', type, nullable: true, ...extra };
}

/**
 * The PostgreSQL type for a SQL Server column description: the mapping used for DDL, CAST, variables and
 * RPC parameters. `tinyint` becomes `smallint`, `money` `numeric(19,4)`, `bit` `boolean`, `(n)varchar(MAX)` `text`.
 */
export function pgTypeFor(col: TdsColumn): string {
  const length = col.length ?? -1;
  switch (col.type) {
    case 'tinyint':
    case 'smallint':
      return 'smallint';
    case 'int':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'bit':
      return 'boolean';
    case 'real':
      return 'real';
    case 'float':
      return 'double precision';
    case 'decimal':
    case 'numeric':
      return `numeric(${col.precision ?? 18},${col.scale ?? 0})`;
    case 'money':
      return (col.precision ?? 19) <= 10 ? 'numeric(10,4)' : 'numeric(19,4)';
    case 'nvarchar':
    case 'varchar':
      return length < 0 ? 'text' : `varchar(${length})`;
    case 'nchar':
    case 'char':
      return length < 0 ? 'text' : `char(${length})`;
    case 'varbinary':
    case 'binary':
      return 'bytea';
    case 'date':
      return 'date';
    case 'time':
      return `time(${pgFraction(col.scale ?? 7)})`;
    case 'datetime':
      return 'timestamp(3)';
    case 'datetime2':
      return `timestamp(${pgFraction(col.scale ?? 7)})`;
    case 'datetimeoffset':
      return `timestamptz(${pgFraction(col.scale ?? 7)})`;
    case 'uniqueidentifier':
      return 'uuid';
    case 'xml':
      return 'xml';
  }
}

/** The {@link SqlType} for a SQL Server column description (e.g. the TYPE_INFO of an RPC parameter). */
export function sqlTypeFromColumn(col: TdsColumn): SqlType {
  return { tds: col, pg: pgTypeFor(col) };
}

/** Reads `(n)`, `(MAX)` or `(p, s)` after a type name; returns the numbers (-1 for MAX) and the next index. */
function readArguments(tokens: readonly Token[], at: number): { args: number[]; next: number } {
  if (!isSymbol(tokens[at], '(')) return { args: [], next: at };
  const args: number[] = [];
  let i = at + 1;
  for (;;) {
    const token = tokens[i];
    if (token === undefined) throw new TsqlError(102, "Incorrect syntax near '('.", tokens[at]?.line ?? 1);
    if (isWord(token, 'MAX')) args.push(-1);
    else if (token.kind === 'number') args.push(Number(token.value));
    else throw new TsqlError(102, `Incorrect syntax near '${token.text}'.`, token.line);
    i++;
    if (isSymbol(tokens[i], ',')) {
      i++;
      continue;
    }
    if (isSymbol(tokens[i], ')')) return { args, next: i + 1 };
    throw new TsqlError(102, `Incorrect syntax near '${tokens[i]?.text ?? ')'}'.`, tokens[i]?.line ?? token.line);
  }
}

/** Options for {@link parseSqlType}. */
export interface ParseTypeOptions {
  /** The length of `(n)varchar`/`(n)char` written without one: 1 in declarations, 30 in CAST/CONVERT. */
  readonly defaultLength?: number;
}

/**
 * Parses a T-SQL type name at `tokens[at]` (`NVARCHAR(50)`, `DECIMAL(10, 2)`, `VARBINARY(MAX)`, `DATETIME2(3)`…).
 * Throws {@link TsqlError} 2715 for an unknown type. Returns the type and the index after it.
 */
export function parseSqlType(tokens: readonly Token[], at: number, options: ParseTypeOptions = {}): { type: SqlType; next: number } {
  const token = tokens[at];
  if (token === undefined || (token.kind !== 'word' && token.kind !== 'quoted')) {
    throw new TsqlError(102, `Incorrect syntax near '${token?.text ?? ''}'.`, token?.line ?? 1);
  }
  let name = token.value.toLowerCase().replace(/^sys\./, '');
  let after = at + 1;
  if (name === 'double' && isWord(tokens[after], 'PRECISION')) {
    name = 'float';
    after++;
  }
  const { args, next } = readArguments(tokens, after);
  const col = columnForName(name, args, options.defaultLength ?? 1, token);
  return { type: sqlTypeFromColumn(col), next };
}

function columnForName(name: string, args: readonly number[], defaultLength: number, token: Token): TdsColumn {
  const [a, b] = args;
  switch (name) {
    case 'tinyint':
    case 'smallint':
    case 'bigint':
    case 'bit':
    case 'real':
    case 'date':
    case 'uniqueidentifier':
    case 'xml':
      return column(name);
    case 'int':
    case 'integer':
      return column('int');
    case 'float':
      return column(a !== undefined && a <= 24 ? 'real' : 'float');
    case 'decimal':
    case 'dec':
    case 'numeric':
      return column(name === 'numeric' ? 'numeric' : 'decimal', { precision: a ?? 18, scale: b ?? 0 });
    case 'money':
      return column('money', { precision: 19, scale: 4 });
    case 'smallmoney':
      return column('money', { precision: 10, scale: 4 });
    case 'nvarchar':
    case 'varchar':
    case 'nchar':
    case 'char':
      return column(name, { length: a ?? defaultLength });
    case 'text':
    case 'ntext':
    case 'sql_variant':
      return column('nvarchar', { length: -1 });
    case 'sysname':
      return column('nvarchar', { length: 128 });
    case 'varbinary':
    case 'binary':
      return column(name, { length: a ?? defaultLength });
    case 'image':
      return column('varbinary', { length: -1 });
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return column(name, { scale: a ?? 7 });
    case 'datetime':
      return column('datetime', { scale: 3 });
    case 'smalldatetime':
      return column('datetime', { scale: 0 });
    default:
      throw new TsqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${token.value}.`, token.line);
  }
}

/** True when values of the type are character strings (so `+` between them means concatenation). */
export function isStringType(col: TdsColumn): boolean {
  return col.type === 'nvarchar' || col.type === 'varchar' || col.type === 'nchar' || col.type === 'char' || col.type === 'xml';
}
