import { splitTopLevel } from '../tsql/token-utils.js';
import { isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { parseSqlType } from '../tsql/type-names.js';
import { quoteLiteral, regclassName } from './sql-text.js';
import type { Translator } from './translator.js';

/** Rewrites one T-SQL function call; `inner` is the tokens between its parentheses. */
type FunctionRewrite = (t: Translator, inner: readonly Token[], name: Token) => string;

function args(t: Translator, inner: readonly Token[], name: Token, min: number, max = min): string[] {
  const parts = splitTopLevel(inner);
  if (parts.length < min || parts.length > max) {
    throw new TsqlError(174, `The ${name.value.toLowerCase()} function requires ${min === max ? min : `${min} to ${max}`} argument(s).`, name.line);
  }
  return parts.map((part) => t.expr(part).trim());
}

const rename =
  (pg: string): FunctionRewrite =>
  (t, inner) =>
    `${pg}(${t.expr(inner)})`;

const constant =
  (pg: string): FunctionRewrite =>
  (_t, inner, name) => {
    if (inner.length > 0) throw new TsqlError(174, `The ${name.value.toLowerCase()} function requires 0 argument(s).`, name.line);
    return pg;
  };

const system =
  (key: string): FunctionRewrite =>
  (t, _inner, name) => {
    const value = t.context.system(key);
    if (value === undefined) throw new TsqlError(50000, `${name.value}() is not supported by the TDS test server.`, name.line);
    return value;
  };

/** `CAST(expr AS type)`; a BIT target reads numbers as `<> 0`, since PostgreSQL cannot cast numeric to boolean. */
const cast: FunctionRewrite = (t, inner, name) => {
  let asAt = -1;
  let depth = 0;
  inner.forEach((token, index) => {
    if (token.text === '(' && token.kind === 'punct') depth++;
    else if (token.text === ')' && token.kind === 'punct') depth--;
    else if (depth === 0 && isWord(token, 'AS')) asAt = index;
  });
  if (asAt < 1) throw new TsqlError(102, `Incorrect syntax near '${name.value}'.`, name.line);
  return castTo(t, inner.slice(0, asAt), inner.slice(asAt + 1));
};

function castTo(t: Translator, value: readonly Token[], typeTokens: readonly Token[]): string {
  const { type } = parseSqlType(typeTokens, 0, { defaultLength: 30 });
  const expr = t.expr(value).trim();
  if (type.tds.type === 'bit' && value.length === 1 && value[0]?.kind === 'number') return `(${expr} <> 0)`;
  return `CAST(${expr} AS ${type.pg})`;
}

/** `CONVERT(type, expr [, style])`: the style is ignored (PostgreSQL formats dates in ISO style). */
const convert: FunctionRewrite = (t, inner, name) => {
  const parts = splitTopLevel(inner);
  const [typeTokens, value] = parts;
  if (typeTokens === undefined || value === undefined || parts.length > 3) {
    throw new TsqlError(102, `Incorrect syntax near '${name.value}'.`, name.line);
  }
  return castTo(t, value, typeTokens);
};

const DATE_PARTS: Record<string, { field: string; interval: string }> = {
  year: { field: 'year', interval: '1 year' },
  quarter: { field: 'quarter', interval: '3 months' },
  month: { field: 'month', interval: '1 month' },
  dayofyear: { field: 'doy', interval: '1 day' },
  day: { field: 'day', interval: '1 day' },
  week: { field: 'week', interval: '1 week' },
  weekday: { field: 'dow', interval: '1 day' },
  hour: { field: 'hour', interval: '1 hour' },
  minute: { field: 'minute', interval: '1 minute' },
  second: { field: 'second', interval: '1 second' },
  millisecond: { field: 'milliseconds', interval: '1 millisecond' },
  microsecond: { field: 'microseconds', interval: '1 microsecond' },
};

const PART_ALIASES: Record<string, string> = {
  yy: 'year', yyyy: 'year', qq: 'quarter', q: 'quarter', mm: 'month', m: 'month', dy: 'dayofyear', y: 'dayofyear',
  dd: 'day', d: 'day', wk: 'week', ww: 'week', dw: 'weekday', w: 'weekday', hh: 'hour', mi: 'minute', n: 'minute',
  ss: 'second', s: 'second', ms: 'millisecond', mcs: 'microsecond',
};

function datePart(token: Token | undefined, name: Token): string {
  const raw = (token?.value ?? '').toLowerCase();
  const part = PART_ALIASES[raw] ?? raw;
  if (DATE_PARTS[part] === undefined) throw new TsqlError(155, `'${token?.value ?? ''}' is not a recognized ${name.value.toLowerCase()} option.`, name.line);
  return part;
}

const dateadd: FunctionRewrite = (t, inner, name) => {
  const [partTokens = [], number = [], date = []] = splitTopLevel(inner);
  const part = DATE_PARTS[datePart(partTokens[0], name)] as { interval: string };
  return `(${t.expr(date).trim()} + (${t.expr(number).trim()}) * INTERVAL '${part.interval}')`;
};

/** `DATEDIFF(part, a, b)`: counts boundaries crossed, like SQL Server (`date_trunc` to the part first). */
const datediff: FunctionRewrite = (t, inner, name) => {
  const [partTokens = [], startTokens = [], endTokens = []] = splitTopLevel(inner);
  const part = datePart(partTokens[0], name);
  const a = t.expr(startTokens).trim();
  const b = t.expr(endTokens).trim();
  const years = `(extract(year from ${b}) - extract(year from ${a}))`;
  const epoch = (unit: string, factor: string): string =>
    `CAST(floor(extract(epoch from (date_trunc('${unit}', CAST(${b} AS timestamp)) - date_trunc('${unit}', CAST(${a} AS timestamp))))${factor}) AS integer)`;
  switch (part) {
    case 'year':
      return `CAST(${years} AS integer)`;
    case 'quarter':
      return `CAST(${years} * 4 + extract(quarter from ${b}) - extract(quarter from ${a}) AS integer)`;
    case 'month':
      return `CAST(${years} * 12 + extract(month from ${b}) - extract(month from ${a}) AS integer)`;
    case 'week':
      return `CAST(floor((CAST(${b} AS date) - CAST(${a} AS date) + extract(dow from ${a})) / 7.0) AS integer)`;
    case 'hour':
      return epoch('hour', ' / 3600');
    case 'minute':
      return epoch('minute', ' / 60');
    case 'second':
      return epoch('second', '');
    case 'millisecond':
      return epoch('milliseconds', ' * 1000');
    case 'microsecond':
      return epoch('microseconds', ' * 1000000');
    default:
      return `(CAST(${b} AS date) - CAST(${a} AS date))`;
  }
};

const datepart: FunctionRewrite = (t, inner, name) => {
  const [partTokens = [], date = []] = splitTopLevel(inner);
  const part = datePart(partTokens[0], name);
  const field = (DATE_PARTS[part] as { field: string }).field;
  const value = `extract(${field} from ${t.expr(date).trim()})`;
  return `CAST(${part === 'weekday' ? `${value} + 1` : value} AS integer)`;
};

const extractPart =
  (field: string): FunctionRewrite =>
  (t, inner, name) =>
    `CAST(extract(${field} from ${args(t, inner, name, 1)[0]}) AS integer)`;

/** `OBJECT_ID('name' [, 'type'])`: a procedure id from the engine, else the table's oid via `to_regclass`. */
const objectId: FunctionRewrite = (t, inner, name) => {
  const parts = splitTopLevel(inner);
  const [target, typeArg] = parts;
  const literal = target?.length === 1 && (target[0]?.kind === 'string' || target[0]?.kind === 'nstring') ? target[0].value : undefined;
  const typeLiteral = typeArg?.[0]?.value.trim().toUpperCase();
  if (literal !== undefined) {
    const procName = (literal.split('.').pop() ?? '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if ((typeLiteral === undefined || typeLiteral === 'P') && t.context.hasProcedure(procName)) return '1';
    if (typeLiteral === 'P') return 'CAST(NULL AS integer)';
    return `CAST(CAST(to_regclass(${quoteLiteral(regclassName(literal))}) AS oid) AS integer)`;
  }
  if (target === undefined) throw new TsqlError(174, 'The object_id function requires 1 to 2 argument(s).', name.line);
  return `CAST(CAST(to_regclass(CAST(${t.expr(target).trim()} AS text)) AS oid) AS integer)`;
};

const charindex: FunctionRewrite = (t, inner, name) => {
  const [find, text, start] = args(t, inner, name, 2, 3);
  if (start === undefined) return `strpos(${text}, ${find})`;
  const found = `strpos(substr(${text}, ${start}), ${find})`;
  return `(CASE WHEN ${found} = 0 THEN 0 ELSE ${found} + (${start}) - 1 END)`;
};

/** T-SQL functions with a different PostgreSQL spelling, keyed by upper-case name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionRewrite> = new Map<string, FunctionRewrite>([
  ['CAST', cast],
  ['TRY_CAST', cast],
  ['CONVERT', convert],
  ['TRY_CONVERT', convert],
  ['ISNULL', rename('COALESCE')],
  ['LEN', (t, inner, name) => `length(rtrim(CAST(${args(t, inner, name, 1)[0]} AS text)))`],
  ['DATALENGTH', (t, inner, name) => `octet_length(${args(t, inner, name, 1)[0]})`],
  ['GETDATE', constant('CAST(LOCALTIMESTAMP AS timestamp(3))')],
  ['SYSDATETIME', constant('LOCALTIMESTAMP')],
  ['GETUTCDATE', constant("CAST(timezone('UTC', now()) AS timestamp(3))")],
  ['SYSUTCDATETIME', constant("timezone('UTC', now())")],
  ['SYSDATETIMEOFFSET', constant('now()')],
  ['NEWID', constant('gen_random_uuid()')],
  ['NEWSEQUENTIALID', constant('gen_random_uuid()')],
  ['SCOPE_IDENTITY', (t) => t.scopeIdentity()],
  ['OBJECT_ID', objectId],
  ['DB_NAME', system('DB_NAME')],
  ['SUSER_SNAME', system('SUSER_SNAME')],
  ['SUSER_NAME', system('SUSER_SNAME')],
  ['USER_NAME', system('SUSER_SNAME')],
  ['APP_NAME', system('APP_NAME')],
  ['HOST_NAME', system('HOST_NAME')],
  ['XACT_STATE', system('XACT_STATE')],
  ['ERROR_MESSAGE', system('ERROR_MESSAGE')],
  ['ERROR_NUMBER', system('ERROR_NUMBER')],
  ['ERROR_SEVERITY', system('ERROR_SEVERITY')],
  ['ERROR_STATE', system('ERROR_STATE')],
  ['ERROR_LINE', system('ERROR_LINE')],
  ['ERROR_PROCEDURE', system('ERROR_PROCEDURE')],
  ['IIF', (t, inner, name) => {
    const [condition, yes, no] = args(t, inner, name, 3);
    return `(CASE WHEN ${condition} THEN ${yes} ELSE ${no} END)`;
  }],
  ['CHARINDEX', charindex],
  ['DATEADD', dateadd],
  ['DATEDIFF', datediff],
  ['DATEPART', datepart],
  ['YEAR', extractPart('year')],
  ['MONTH', extractPart('month')],
  ['DAY', extractPart('day')],
  ['EOMONTH', (t, inner, name) => `CAST(date_trunc('month', ${args(t, inner, name, 1)[0]}) + INTERVAL '1 month - 1 day' AS date)`],
  ['DATEFROMPARTS', rename('make_date')],
  ['COUNT_BIG', rename('count')],
  ['SPACE', (t, inner, name) => `repeat(' ', ${args(t, inner, name, 1)[0]})`],
  ['REPLICATE', rename('repeat')],
  ['STUFF', (t, inner, name) => {
    const [text, start, length, replacement] = args(t, inner, name, 4);
    return `overlay(${text} placing ${replacement} from ${start} for ${length})`;
  }],
  ['LOG', (t, inner, name) => {
    const [x, base] = args(t, inner, name, 1, 2);
    return base === undefined ? `ln(${x})` : `log(${base}, ${x})`;
  }],
  ['LOG10', rename('log')],
  ['SQUARE', (t, inner, name) => `power(${args(t, inner, name, 1)[0]}, 2)`],
  ['RAND', constant('random()')],
  ['ATN2', rename('atan2')],
  ['CHAR', rename('chr')],
  ['NCHAR', rename('chr')],
  ['UNICODE', rename('ascii')],
]);
