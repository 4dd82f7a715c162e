import { findListEnd } from '../tsql/parse-variables.js';
import { isStatementStart } from '../tsql/statement-extent.js';
import { closingParen, findTopLevel, splitTopLevel } from '../tsql/token-utils.js';
import { isSymbol, isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { parseSqlType } from '../tsql/type-names.js';
import type { TdsColumn } from '../engine-types.js';
import { translateForXml } from './for-xml.js';
import { quoteIdent, temporaryName } from './sql-text.js';
import type { Translator } from './translator.js';

/** PostgreSQL names an unnamed result column `?column?`; the engine reports it as '' like SQL Server. */
export const ANONYMOUS_COLUMN = '?column?';

/** One item of a select list. */
export interface SelectItem {
  readonly expression: readonly Token[];
  /** The alias as written (`AS x`, `x = expr`, trailing `x`), case kept. */
  readonly alias?: string;
  /** For a plain column reference (`t.Name`, `[Name]`): the column's name as written. */
  readonly columnName?: string;
}

/** A single SELECT split into the parts the rewrites need. */
export interface SelectParts {
  /** `SELECT`, plus `DISTINCT`/`ALL` if present. */
  readonly head: readonly Token[];
  readonly top?: { readonly count: readonly Token[]; readonly withTies: boolean };
  readonly items: readonly SelectItem[];
  /** FROM … to the end (without FOR XML). */
  readonly rest: readonly Token[];
}

const SET_OPERATORS = ['UNION', 'EXCEPT', 'INTERSECT'];

/**
 * A query: `WITH` CTEs, a SELECT, or SELECTs joined by UNION/EXCEPT/INTERSECT. `topLevel` queries produce
 * the result set, so their column aliases keep their case and unnamed columns are marked anonymous.
 */
export function translateQuery(t: Translator, tokens: readonly Token[], topLevel: boolean): string {
  if (isWord(tokens[0], 'WITH')) {
    const main = findTopLevel(tokens, (token, i) => i > 0 && isWord(token, 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'));
    if (main < 0) throw new TsqlError(102, "Incorrect syntax near 'WITH'.", tokens[0]?.line ?? 1);
    const ctes = t.expr(tokens.slice(1, main));
    const head = isRecursive(tokens.slice(1, main)) ? 'WITH RECURSIVE' : 'WITH';
    return head + ctes + (tokens[main] as Token).space + t.statement(tokens.slice(main)).trimStart();
  }
  if (!isWord(tokens[0], 'SELECT')) return t.expr(tokens);
  const cut = findTopLevel(tokens, (token, i) => isWord(token, ...SET_OPERATORS) && !isWord(tokens[i - 1], ...SET_OPERATORS));
  if (cut < 0) return translateSelect(t, tokens, topLevel);
  let next = cut + 1;
  while (isWord(tokens[next], 'ALL', 'DISTINCT')) next++;
  const tail = tokens.slice(next);
  const right = isWord(tail[0], 'SELECT') ? translateQuery(t, tail, false) : t.expr(tail);
  return translateSelect(t, tokens.slice(0, cut), topLevel) + t.expr(tokens.slice(cut, next)) + right;
}

/**
 * T-SQL has no RECURSIVE keyword: a common table expression that names itself in its body is recursive,
 * which PostgreSQL must be told.
 */
function isRecursive(definitions: readonly Token[]): boolean {
  for (let i = 0; i < definitions.length; i++) {
    const as = definitions[i];
    if (!isWord(as, 'AS') || !isSymbol(definitions[i + 1], '(')) continue;
    const close = closingParen(definitions, i + 1);
    let nameAt = i - 1;
    if (isSymbol(definitions[nameAt], ')')) {
      while (nameAt > 0 && !isSymbol(definitions[nameAt], '(')) nameAt--;
      nameAt--;
    }
    const name = definitions[nameAt]?.value.toLowerCase();
    if (name !== undefined && definitions.slice(i + 2, close).some((token) => (token.kind === 'word' || token.kind === 'quoted') && token.value.toLowerCase() === name)) {
      return true;
    }
    i = close;
  }
  return false;
}

/** One SELECT: TOP → LIMIT (or FETCH … WITH TIES), FOR XML PATH, aliases, `INTO #t`. */
function translateSelect(t: Translator, tokens: readonly Token[], topLevel: boolean): string {
  const forAt = findTopLevel(tokens, (token, i) => isWord(token, 'FOR') && isWord(tokens[i + 1], 'XML'));
  const parts = splitSelect(forAt >= 0 ? tokens.slice(0, forAt) : tokens);
  if (forAt >= 0) return translateForXml(t, parts, tokens.slice(forAt + 2), topLevel);

  const { texts: items, aliases } = renderItems(t, parts.items, topLevel);
  if (topLevel && t.resultTypes === undefined) t.resultTypes = declaredTypes(t, parts.items);
  let text = `${t.expr(parts.head)} ${items.join(', ')}${translateRest(t, parts.rest, topLevel ? aliases : undefined)}`;
  if (parts.top !== undefined) {
    const count = t.expr(parts.top.count).trim();
    text += parts.top.withTies ? ` FETCH FIRST (${count}) ROWS WITH TIES` : ` LIMIT (${count})`;
  }
  return text;
}

/**
 * Renders select-list (or OUTPUT-list) items. At top level the result set's names are SQL Server's: aliases
 * and column references keep the case they were written in, unnamed expressions are marked anonymous.
 * Returns the aliases (lower case → quoted name) for ORDER BY.
 */
export function renderItems(t: Translator, items: readonly SelectItem[], topLevel: boolean): { texts: string[]; aliases: Map<string, string> } {
  const aliases = new Map<string, string>();
  const texts = items.map((item) => {
    const expression = t.expr(item.expression).trim();
    const name = item.alias ?? (topLevel ? item.columnName : undefined);
    if (name !== undefined) {
      const quoted = topLevel ? quoteIdent(name) : quoteIdent(name.toLowerCase());
      if (item.alias === undefined && name === name.toLowerCase()) return expression;
      if (topLevel) aliases.set(name.toLowerCase(), quoted);
      return `${expression} AS ${quoted}`;
    }
    const star = isSymbol(item.expression[item.expression.length - 1], '*');
    return topLevel && !star ? `${expression} AS ${quoteIdent(ANONYMOUS_COLUMN)}` : expression;
  });
  return { texts, aliases };
}

/**
 * The SQL Server types of select items PostgreSQL would describe less precisely: a lone variable (its
 * declared type) or a CAST/CONVERT (its target type). Positions end at the first `*`, whose width is unknown.
 */
function declaredTypes(t: Translator, items: readonly SelectItem[]): (TdsColumn | undefined)[] {
  const types: (TdsColumn | undefined)[] = [];
  for (const item of items) {
    const [first, second] = item.expression;
    if (isSymbol(item.expression[item.expression.length - 1], '*')) break;
    if (item.expression.length === 1 && first?.kind === 'variable') {
      types.push(t.context.variableType(first.value));
    } else if (isWord(first, 'CAST', 'CONVERT', 'TRY_CAST', 'TRY_CONVERT') && isSymbol(second, '(') && closingParen(item.expression, 1) === item.expression.length - 1) {
      types.push(castTarget(item.expression));
    } else {
      types.push(undefined);
    }
  }
  return types;
}

/** The target type of `CAST(x AS type)` / `CONVERT(type, x)`, or undefined when it does not parse. */
function castTarget(expression: readonly Token[]): TdsColumn | undefined {
  const inner = expression.slice(2, -1);
  try {
    if (isWord(expression[0], 'CAST', 'TRY_CAST')) {
      const as = inner.findLastIndex((token) => isWord(token, 'AS'));
      return as < 0 ? undefined : parseSqlType(inner, as + 1, { defaultLength: 30 }).type.tds;
    }
    const [typeTokens] = splitTopLevel(inner);
    return typeTokens === undefined ? undefined : parseSqlType(typeTokens, 0, { defaultLength: 30 }).type.tds;
  } catch {
    return undefined;
  }
}

/** FROM … ORDER BY: `INTO #t` makes a temporary table; ORDER BY may name select-list aliases. */
export function translateRest(t: Translator, rest: readonly Token[], aliases: ReadonlyMap<string, string> | undefined): string {
  let out = '';
  let from = 0;
  const into = findTopLevel(rest, (token) => isWord(token, 'INTO'));
  if (into >= 0 && rest[into + 1]?.value.startsWith('#') === true) {
    const name = rest[into + 1] as Token;
    out += t.expr(rest.slice(0, into)) + ` INTO TEMP TABLE ${temporaryName(name.value)}`;
    from = into + 2;
  }
  const option = findTopLevel(rest, (token, i) => isWord(token, 'OPTION') && isSymbol(rest[i + 1], '('), from);
  const end = option >= 0 ? option : rest.length;
  const orderBy = findTopLevel(rest, (token, i) => isWord(token, 'ORDER') && isWord(rest[i + 1], 'BY'), from);
  if (orderBy < 0 || orderBy >= end || aliases === undefined || aliases.size === 0) return out + t.expr(rest.slice(from, end));
  out += t.expr(rest.slice(from, orderBy));
  t.orderAliases = aliases;
  try {
    out += t.expr(rest.slice(orderBy, end));
  } finally {
    t.orderAliases = undefined;
  }
  return out;
}

/** Splits `SELECT [DISTINCT] [TOP (n) [WITH TIES]] items [FROM …]`. */
export function splitSelect(tokens: readonly Token[]): SelectParts {
  let i = 1;
  while (isWord(tokens[i], 'DISTINCT', 'ALL')) i++;
  const head = tokens.slice(0, i);
  let top: SelectParts['top'];
  if (isWord(tokens[i], 'TOP')) {
    const topToken = tokens[i] as Token;
    i++;
    let count: readonly Token[];
    if (isSymbol(tokens[i], '(')) {
      const close = closingParen(tokens, i);
      count = tokens.slice(i + 1, close);
      i = close + 1;
    } else {
      count = tokens.slice(i, i + 1);
      i++;
    }
    if (count.length === 0) throw new TsqlError(102, "Incorrect syntax near 'TOP'.", topToken.line);
    if (isWord(tokens[i], 'PERCENT')) throw new TsqlError(50000, 'TOP … PERCENT is not supported by the TDS test server.', topToken.line);
    const withTies = isWord(tokens[i], 'WITH') && isWord(tokens[i + 1], 'TIES');
    if (withTies) i += 2;
    top = { count, withTies };
  }
  const listEnd = findListEnd(tokens, i);
  const items = splitTopLevel(tokens.slice(i, listEnd)).map(parseSelectItem);
  return top === undefined ? { head, items, rest: tokens.slice(listEnd) } : { head, top, items, rest: tokens.slice(listEnd) };
}

const NOT_ALIASES = new Set(['END', 'NULL', 'ASC', 'DESC']);

/** Reads the alias of a select item: `expr AS x`, `expr x`, `x = expr`, or the column name of `t.x`. */
export function parseSelectItem(tokens: readonly Token[]): SelectItem {
  const [first, second] = tokens;
  if (first !== undefined && (first.kind === 'word' || first.kind === 'quoted') && second?.kind === 'operator' && second.text === '=' && tokens.length > 2) {
    return { expression: tokens.slice(2), alias: first.value };
  }
  const last = tokens[tokens.length - 1];
  const before = tokens[tokens.length - 2];
  if (last !== undefined && isWord(before, 'AS') && tokens.length > 2 && ['word', 'quoted', 'string', 'nstring'].includes(last.kind)) {
    return { expression: tokens.slice(0, -2), alias: last.value };
  }
  if (last !== undefined && before !== undefined && isImplicitAlias(last, before)) {
    return { expression: tokens.slice(0, -1), alias: last.value };
  }
  if (isColumnReference(tokens)) return { expression: tokens, columnName: (last as Token).value };
  return { expression: tokens };
}

function isImplicitAlias(last: Token, before: Token): boolean {
  if (last.kind !== 'word' && last.kind !== 'quoted') return false;
  if (last.kind === 'word' && NOT_ALIASES.has(last.value.toUpperCase())) return false;
  const endsExpression =
    isSymbol(before, ')') ||
    before.kind === 'quoted' ||
    before.kind === 'string' ||
    before.kind === 'nstring' ||
    before.kind === 'number' ||
    before.kind === 'variable' ||
    before.kind === 'system' ||
    (before.kind === 'word' && !isWord(before, 'CASE', 'WHEN', 'THEN', 'ELSE', 'AND', 'OR', 'NOT', 'IS', 'LIKE', 'IN', 'DISTINCT'));
  return endsExpression;
}

function isColumnReference(tokens: readonly Token[]): boolean {
  if (tokens.length === 0 || tokens.length % 2 === 0) return false;
  return tokens.every((token, i) =>
    i % 2 === 1 ? isSymbol(token, '.') : (token.kind === 'word' || token.kind === 'quoted') && !token.value.startsWith('@'),
  ) && !isStatementStart(tokens, 0) && !isWord(tokens[0], 'NULL', 'CURRENT_TIMESTAMP');
}
