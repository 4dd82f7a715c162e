import type { TdsColumn } from '../engine-types.js';
import { closingParen } from '../tsql/token-utils.js';
import { isSymbol, isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { isStringType } from '../tsql/type-names.js';
import { translateDdl } from './ddl.js';
import { translateDelete, translateInsert, translateUpdate } from './dml.js';
import { FUNCTIONS } from './functions.js';
import { quoteIdent, quoteLiteral, temporaryName } from './sql-text.js';
import { translateQuery } from './select.js';
import { SYSTEM_VIEWS } from './system-views.js';
import type { TranslateContext } from './translate-context.js';

/** The T-SQL types declared for the columns of a table a statement creates or alters. */
export interface DeclaredColumns {
  /** The table, as PostgreSQL text (`items`, `"#t"`), for `to_regclass`. */
  readonly table: string;
  /** Column names as PostgreSQL stores them (folded), with their T-SQL types. */
  readonly columns: readonly { readonly name: string; readonly type: TdsColumn }[];
}

/** The PostgreSQL text of one statement or expression, plus what it needs set up first. */
export interface Translation {
  readonly text: string;
  /** True when the text calls `pg_temp.tds_scope_identity()`, which the session must create first. */
  readonly usesScopeIdentity: boolean;
  /**
   * SQL Server types of the result columns where the T-SQL says more than PostgreSQL's type does (a lone
   * variable, CAST/CONVERT to tinyint, money, varchar, datetime…), by position; undefined where unknown.
   */
  readonly resultTypes?: readonly (TdsColumn | undefined)[];
  /** CREATE/ALTER TABLE: the declared column types, for the engine's table catalog. */
  readonly declaredColumns?: DeclaredColumns;
}

/** Translates one T-SQL statement (SELECT, DML, DDL…) to PostgreSQL. */
export function translateStatement(tokens: readonly Token[], context: TranslateContext): Translation {
  const translator = new Translator(context);
  const text = translator.statement(tokens).trim();
  return {
    text,
    usesScopeIdentity: translator.usesScopeIdentity,
    ...(translator.resultTypes === undefined ? {} : { resultTypes: translator.resultTypes }),
    ...(translator.declaredColumns === undefined ? {} : { declaredColumns: translator.declaredColumns }),
  };
}

/** Translates one T-SQL expression (the right side of SET, an IF condition…) to PostgreSQL. */
export function translateExpression(tokens: readonly Token[], context: TranslateContext): Translation {
  const translator = new Translator(context);
  const text = translator.expr(tokens).trim();
  return { text, usesScopeIdentity: translator.usesScopeIdentity };
}

/** PostgreSQL reserved words that T-SQL code may use as plain identifiers; they are quoted. */
const PG_ONLY_RESERVED = new Set([
  'LIMIT', 'WINDOW', 'ARRAY', 'DO', 'ANALYSE', 'ANALYZE', 'ASYMMETRIC', 'SYMMETRIC', 'BOTH', 'LEADING', 'TRAILING',
  'PLACING', 'VARIADIC', 'LATERAL', 'INITIALLY', 'DEFERRABLE', 'RETURNING',
]);

/** Words that can follow a table in FROM and are not its alias. */
const CLAUSE_WORDS = [
  'WHERE', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'ON', 'GROUP', 'ORDER', 'HAVING', 'UNION',
  'EXCEPT', 'INTERSECT', 'OPTION', 'WITH', 'FOR', 'WINDOW', 'OFFSET', 'FETCH',
];

const TABLE_HINTS = new Set([
  'NOLOCK', 'READUNCOMMITTED', 'READCOMMITTED', 'REPEATABLEREAD', 'SERIALIZABLE', 'HOLDLOCK', 'UPDLOCK', 'ROWLOCK',
  'PAGLOCK', 'TABLOCK', 'TABLOCKX', 'XLOCK', 'READPAST', 'NOWAIT', 'INDEX', 'FORCESEEK', 'FORCESCAN', 'NOEXPAND', 'SNAPSHOT',
]);

/**
 * Rewrites T-SQL tokens to PostgreSQL text. Works on tokens, never on raw text, so literals, bracketed
 * identifiers and comments are never touched by a rewrite. Whitespace (and so line numbers) is kept.
 */
export class Translator {
  usesScopeIdentity = false;
  /** Inside a top-level ORDER BY: select-list aliases (lower case) and the PostgreSQL names they became. */
  orderAliases: ReadonlyMap<string, string> | undefined;
  /** Set by the top-level SELECT: see {@link Translation.resultTypes}. */
  resultTypes: (TdsColumn | undefined)[] | undefined;
  /** Set by CREATE/ALTER TABLE: see {@link Translation.declaredColumns}. */
  declaredColumns: DeclaredColumns | undefined;

  constructor(readonly context: TranslateContext) {}

  /** A whole statement: dispatches on its first word. */
  statement(tokens: readonly Token[]): string {
    const first = tokens[0];
    if (isWord(first, 'SELECT', 'WITH') || isSymbol(first, '(')) return translateQuery(this, tokens, true);
    if (isWord(first, 'INSERT')) return translateInsert(this, tokens);
    if (isWord(first, 'UPDATE')) return translateUpdate(this, tokens);
    if (isWord(first, 'DELETE')) return translateDelete(this, tokens);
    if (isWord(first, 'CREATE', 'ALTER', 'DROP', 'TRUNCATE')) return translateDdl(this, tokens);
    return this.expr(tokens);
  }

  /** Translates a run of tokens token by token (expressions, clauses, anything without statement structure). */
  expr(tokens: readonly Token[]): string {
    let out = '';
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (isSymbol(token, '(')) {
        const close = closingParen(tokens, i);
        const inner = tokens.slice(i + 1, close);
        const body = isWord(inner[0], 'SELECT', 'WITH') ? translateQuery(this, inner, false) : this.expr(inner);
        out += `${token.space}(${body}${(tokens[close] as Token).space})`;
        i = close;
        continue;
      }
      if (token.kind === 'word' && isSymbol(next, '(') && !isSymbol(prev, '.')) {
        if (isWord(token, 'GENERATE_SERIES') && isWord(prev, 'FROM', 'JOIN')) {
          const series = this.generateSeries(tokens, i);
          out += token.space + series.text;
          i = series.last;
          continue;
        }
        const rewrite = FUNCTIONS.get(token.value.toUpperCase());
        if (rewrite !== undefined) {
          const close = closingParen(tokens, i + 1);
          out += token.space + rewrite(this, tokens.slice(i + 2, close), token);
          i = close;
          continue;
        }
      }
      if (isWord(token, 'WITH') && isSymbol(next, '(') && isWord(tokens[i + 2], ...TABLE_HINTS)) {
        i = closingParen(tokens, i + 1);
        continue;
      }
      if (token.kind === 'word' || token.kind === 'quoted') {
        const name = this.qualifiedName(tokens, i);
        out += token.space + name.text;
        i = name.last;
        continue;
      }
      out += token.space + this.single(tokens, i);
    }
    return out;
  }

  /**
   * A possibly dotted name. The `dbo` schema (and any database before it) is dropped, since tables live in
   * PostgreSQL's search path; `#temp` names become quoted temporary-table names.
   */
  qualifiedName(tokens: readonly Token[], at: number): { text: string; last: number } {
    let parts: Token[] = [tokens[at] as Token];
    let last = at;
    let skippedSchema = false;
    while (isSymbol(tokens[last + 1], '.')) {
      let j = last + 1;
      while (isSymbol(tokens[j], '.')) j++;
      const part = tokens[j];
      if (part === undefined || (part.kind !== 'word' && part.kind !== 'quoted' && !isSymbol(part, '*'))) break;
      if (j - last > 2) skippedSchema = true;
      parts.push(part);
      last = j;
    }
    const dbo = parts.findIndex((p) => p.kind !== 'operator' && p.value.toLowerCase() === 'dbo');
    if (dbo >= 0 && dbo < parts.length - 1) parts = parts.slice(dbo + 1);
    else if (skippedSchema) parts = parts.slice(-1);
    const view = this.systemView(parts, tokens[last + 1]);
    if (view !== undefined) return { text: view, last };
    const next = parts.length === 1 ? tokens[last + 1] : undefined;
    const text = parts.map((p) => (isSymbol(p, '*') ? '*' : this.identifier(p, next, parts.length === 1))).join('.');
    return { text, last };
  }

  /**
   * SQL Server 2022's `GENERATE_SERIES(start, stop[, step])` names its column `value`; PostgreSQL's
   * function names it after itself, so the alias gets a column list.
   */
  private generateSeries(tokens: readonly Token[], at: number): { text: string; last: number } {
    const close = closingParen(tokens, at + 1);
    const call = `generate_series(${this.expr(tokens.slice(at + 2, close)).trim()})`;
    const next = tokens[close + 1];
    const aliasAt = isWord(next, 'AS') ? close + 2 : close + 1;
    if (isSymbol(tokens[aliasAt + 1], '(')) return { text: call, last: close };
    if (isWord(next, 'AS') && tokens[close + 2] !== undefined) {
      return { text: `${call} AS ${this.identifier(tokens[close + 2] as Token)}(value)`, last: close + 2 };
    }
    if (next !== undefined && (next.kind === 'quoted' || (next.kind === 'word' && !isWord(next, ...CLAUSE_WORDS)))) {
      return { text: `${call} ${this.identifier(next)}(value)`, last: close + 1 };
    }
    return { text: `${call} AS generate_series(value)`, last: close };
  }

  /** `sys.dm_exec_requests` and the other views of {@link SYSTEM_VIEWS} as a derived table (aliased if the T-SQL is not). */
  private systemView(parts: readonly Token[], next: Token | undefined): string | undefined {
    const [schema, name] = parts.slice(-2);
    if (parts.length < 2 || schema?.value.toLowerCase() !== 'sys' || name === undefined) return undefined;
    const view = SYSTEM_VIEWS.get(name.value.toLowerCase());
    if (view === undefined) return undefined;
    const aliased = isWord(next, 'AS') || (next !== undefined && (next.kind === 'quoted' || (next.kind === 'word' && !isWord(next, ...CLAUSE_WORDS))));
    return `(${view(this)})${aliased ? '' : ` AS ${quoteIdent(name.value.toLowerCase())}`}`;
  }

  /** One identifier, case-folded like SQL Server's default case-insensitive collation. */
  identifier(token: Token, next?: Token, single = true): string {
    if (this.orderAliases !== undefined && single && !isSymbol(next, '(')) {
      const alias = this.orderAliases.get(token.value.toLowerCase());
      if (alias !== undefined) return alias;
    }
    if (token.kind === 'quoted') return quoteIdent(token.value.toLowerCase());
    const upper = token.value.toUpperCase();
    if (token.value.startsWith('#')) return temporaryName(token.value);
    if (upper === 'CURRENT_TIMESTAMP') return 'CAST(LOCALTIMESTAMP AS timestamp(3))';
    if (PG_ONLY_RESERVED.has(upper) || /[@#$]/.test(token.value)) return quoteIdent(token.value.toLowerCase());
    return token.value;
  }

  /** Literals, variables, operators and punctuation. */
  private single(tokens: readonly Token[], i: number): string {
    const token = tokens[i] as Token;
    switch (token.kind) {
      case 'string':
      case 'nstring':
        return quoteLiteral(token.value);
      case 'binary':
        return `'\\x${token.value.toLowerCase()}'::bytea`;
      case 'variable':
        return this.context.variable(token.value, token.line, this.isColumnComparison(tokens, i));
      case 'system':
        return this.systemVariable(token);
      case 'number':
        return this.isBitComparison(tokens, i) ? `'${token.value}'` : token.text;
      case 'operator':
        return this.operator(tokens, i);
      default:
        return token.text;
    }
  }

  private systemVariable(token: Token): string {
    const name = token.value.slice(2).toUpperCase();
    if (name === 'IDENTITY') return this.scopeIdentity();
    const value = this.context.system(name);
    if (value === undefined) throw new TsqlError(50000, `${token.value} is not supported by the TDS test server.`, token.line);
    return value;
  }

  /** `SCOPE_IDENTITY()` / `@@IDENTITY`: the last identity value this session generated. */
  scopeIdentity(): string {
    this.usesScopeIdentity = true;
    return 'CAST(pg_temp.tds_scope_identity() AS numeric(38,0))';
  }

  /**
   * `flag = 1` where flag is a BIT (boolean) column: PostgreSQL has no implicit integer→boolean cast, so a
   * 0/1 literal compared with a column is written as an untyped literal ('1'), which PostgreSQL reads as
   * whatever type the column has (boolean, integer, numeric, text).
   */
  private isBitComparison(tokens: readonly Token[], i: number): boolean {
    const token = tokens[i] as Token;
    if (token.text !== '0' && token.text !== '1') return false;
    const op = tokens[i - 1];
    if (op === undefined || !['=', '<>', '!='].includes(op.text) || op.kind !== 'operator') return false;
    const left = tokens[i - 2];
    return left !== undefined && (left.kind === 'word' || left.kind === 'quoted' || left.kind === 'variable');
  }

  /** `column <op> @v` or `@v <op> column`: where SQL Server converts a string variable to the column's type. */
  private isColumnComparison(tokens: readonly Token[], i: number): boolean {
    const comparison = (token: Token | undefined): boolean => token?.kind === 'operator' && ['=', '<>', '!=', '<', '>', '<=', '>='].includes(token.text);
    const column = (token: Token | undefined): boolean => token !== undefined && (token.kind === 'word' || token.kind === 'quoted') && !isWord(token, 'NULL');
    return (comparison(tokens[i - 1]) && column(tokens[i - 2])) || (comparison(tokens[i + 1]) && column(tokens[i + 2]) && !isSymbol(tokens[i + 3], '('));
  }

  private operator(tokens: readonly Token[], i: number): string {
    const token = tokens[i] as Token;
    switch (token.text) {
      case '+':
        return this.isStringOperand(tokens[i - 1]) || this.isStringOperand(tokens[i + 1]) ? '||' : '+';
      case '^':
        return '#';
      case '!<':
        return '>=';
      case '!>':
        return '<=';
      case '+=':
      case '-=':
      case '*=':
      case '/=':
      case '%=': {
        // UPDATE t SET col += 1
        const target = tokens[i - 1];
        if (target === undefined || (target.kind !== 'word' && target.kind !== 'quoted')) return token.text;
        return `= ${this.identifier(target)} ${token.text[0]}`;
      }
      default:
        return token.text;
    }
  }

  /** T-SQL's `+` concatenates strings; known string operands (literals, string variables) make it `||`. */
  private isStringOperand(token: Token | undefined): boolean {
    if (token === undefined) return false;
    if (token.kind === 'string' || token.kind === 'nstring') return true;
    if (token.kind !== 'variable') return false;
    const type = this.context.variableType(token.value);
    return type !== undefined && isStringType(type);
  }
}
