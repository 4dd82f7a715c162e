import type { TdsIsolationLevel } from '../engine-types.js';
import type { Expression, Statement, VariableDeclaration } from './ast.js';
import { parseCreateProcedure, parseDropProcedure, parseExec } from './parse-procedures.js';
import { isStatementStart, scanExpression, scanStatement } from './statement-extent.js';
import { closingParen, readObjectName, splitTopLevel } from './token-utils.js';
import { isSymbol, isWord, tokenize, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';
import { parseSqlType } from './type-names.js';

/**
 * Parses a T-SQL batch into statements. Statements need no semicolons (T-SQL style); control flow
 * (IF/ELSE, WHILE, BEGIN…END, TRY/CATCH) nests. Throws {@link TsqlError} (102 and friends) on bad syntax.
 */
export function parseBatch(sql: string): Statement[] {
  return new Parser(tokenize(sql)).parseAll();
}

const ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=']);

/** A recursive-descent parser over one batch's tokens. */
export class Parser {
  pos = 0;
  constructor(readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  /** A syntax error (102) at the current token. */
  syntaxError(token: Token | undefined = this.peek()): TsqlError {
    const last = this.tokens[this.tokens.length - 1];
    if (token === undefined) return new TsqlError(102, `Incorrect syntax near '${last?.text ?? ''}'.`, last?.line ?? 1);
    return new TsqlError(102, `Incorrect syntax near '${token.text}'.`, token.line);
  }

  expectWord(...words: string[]): Token {
    const token = this.peek();
    if (!isWord(token, ...words)) throw this.syntaxError(token);
    this.pos++;
    return token as Token;
  }

  acceptWord(...words: string[]): boolean {
    if (!isWord(this.peek(), ...words)) return false;
    this.pos++;
    return true;
  }

  skipSemicolons(): void {
    while (isSymbol(this.peek(), ';')) this.pos++;
  }

  /** Takes tokens up to the end of an expression. */
  expression(stopAtComma = false): Expression {
    const end = scanExpression(this.tokens, this.pos, stopAtComma);
    if (end === this.pos) throw this.syntaxError();
    const expr = this.tokens.slice(this.pos, end);
    this.pos = end;
    return expr;
  }

  parseAll(): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      this.skipSemicolons();
      if (this.peek() === undefined) return statements;
      statements.push(this.statement());
    }
  }

  /** Parses statements until the word `end` (not consumed). */
  parseUntil(end: string): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      this.skipSemicolons();
      const token = this.peek();
      if (token === undefined) throw this.syntaxError();
      if (isWord(token, end)) return statements;
      statements.push(this.statement());
    }
  }

  statement(): Statement {
    const token = this.peek() as Token;
    const line = token.line;
    const word = token.kind === 'word' ? token.value.toUpperCase() : '';
    switch (word) {
      case 'BEGIN':
        return this.begin(line);
      case 'IF': {
        this.pos++;
        const condition = this.expression();
        const then = this.body();
        this.skipSemicolons();
        if (!this.acceptWord('ELSE')) return { kind: 'if', line, condition, then };
        return { kind: 'if', line, condition, then, otherwise: this.body() };
      }
      case 'WHILE': {
        this.pos++;
        const condition = this.expression();
        return { kind: 'while', line, condition, body: this.body() };
      }
      case 'BREAK':
      case 'CONTINUE':
        this.pos++;
        return { kind: word === 'BREAK' ? 'break' : 'continue', line };
      case 'RETURN': {
        this.pos++;
        const next = this.peek();
        if (next === undefined || isSymbol(next, ';') || isStatementStart(this.tokens, this.pos)) return { kind: 'return', line };
        return { kind: 'return', line, expression: this.expression() };
      }
      case 'DECLARE':
        return this.declare(line);
      case 'SET':
        return this.set(line);
      case 'PRINT':
        this.pos++;
        return { kind: 'print', line, expression: this.expression() };
      case 'RAISERROR':
        return this.raiserror(line);
      case 'THROW': {
        this.pos++;
        const next = this.peek();
        if (next === undefined || isSymbol(next, ';') || isStatementStart(this.tokens, this.pos)) return { kind: 'throw', line, args: [] };
        const args = [this.expression(true)];
        while (isSymbol(this.peek(), ',')) {
          this.pos++;
          args.push(this.expression(true));
        }
        return { kind: 'throw', line, args };
      }
      case 'COMMIT':
      case 'ROLLBACK':
        this.pos++;
        this.acceptWord('TRAN', 'TRANSACTION', 'WORK');
        return { kind: 'transaction', line, action: word === 'COMMIT' ? 'commit' : 'rollback', ...this.transactionName() };
      case 'SAVE': {
        this.pos++;
        this.expectWord('TRAN', 'TRANSACTION');
        const named = this.transactionName();
        if (named.name === undefined) throw this.syntaxError();
        return { kind: 'transaction', line, action: 'save', name: named.name };
      }
      case 'WAITFOR': {
        this.pos++;
        const mode = this.expectWord('DELAY', 'TIME').value.toUpperCase() === 'DELAY' ? 'delay' : 'time';
        return { kind: 'waitfor', line, mode, expression: this.expression() };
      }
      case 'EXEC':
      case 'EXECUTE':
        return parseExec(this, line);
      case 'KILL':
        this.pos++;
        return { kind: 'kill', line, expression: this.expression() };
      case 'USE': {
        this.pos++;
        const { parts, next } = readObjectName(this.tokens, this.pos);
        this.pos = next;
        return { kind: 'use', line, database: parts[parts.length - 1] ?? '' };
      }
      case 'CREATE':
      case 'ALTER':
        if (isProcedureWord(this.peek(1)) || (isWord(this.peek(1), 'OR') && isProcedureWord(this.peek(3)))) {
          return parseCreateProcedure(this, line);
        }
        return this.sql(line);
      case 'DROP':
        if (isProcedureWord(this.peek(1))) return parseDropProcedure(this, line);
        return this.sql(line);
      case 'SELECT': {
        const at = this.afterTop(this.pos + 1);
        if (this.tokens[at]?.kind === 'variable' && ASSIGNMENT.has(this.tokens[at + 1]?.text ?? '')) return this.selectAssign(line);
        return this.sql(line);
      }
      case 'END':
      case 'ELSE':
        throw this.syntaxError(token);
      case 'GOTO':
        throw new TsqlError(50000, 'GOTO is not supported by the TDS test server.', line);
      default:
        return this.sql(line);
    }
  }

  /** The statement after IF/ELSE/WHILE. */
  private body(): Statement {
    this.skipSemicolons();
    if (this.peek() === undefined) throw this.syntaxError();
    return this.statement();
  }

  private sql(line: number): Statement {
    const { end, verb } = scanStatement(this.tokens, this.pos);
    const tokens = this.tokens.slice(this.pos, Math.max(end, this.pos + 1));
    this.pos = Math.max(end, this.pos + 1);
    return { kind: 'sql', line, verb, tokens };
  }

  private begin(line: number): Statement {
    this.pos++;
    if (this.acceptWord('TRAN', 'TRANSACTION')) return { kind: 'transaction', line, action: 'begin', ...this.beginTransactionRest() };
    if (this.acceptWord('DISTRIBUTED')) {
      this.expectWord('TRAN', 'TRANSACTION');
      return { kind: 'transaction', line, action: 'begin', ...this.beginTransactionRest() };
    }
    if (this.acceptWord('TRY')) {
      const body = this.parseUntil('END');
      this.pos++;
      this.expectWord('TRY');
      this.skipSemicolons();
      this.expectWord('BEGIN');
      this.expectWord('CATCH');
      const handler = this.parseUntil('END');
      this.pos++;
      this.expectWord('CATCH');
      return { kind: 'tryCatch', line, body, handler };
    }
    const body = this.parseUntil('END');
    this.pos++;
    return { kind: 'block', line, body };
  }

  private beginTransactionRest(): { name?: Token } {
    const named = this.transactionName();
    if (this.acceptWord('WITH')) {
      this.expectWord('MARK');
      if (this.peek()?.kind === 'string' || this.peek()?.kind === 'nstring') this.pos++;
    }
    return named;
  }

  private transactionName(): { name?: Token } {
    const token = this.peek();
    if (token === undefined) return {};
    const isName =
      token.kind === 'quoted' || token.kind === 'variable' || (token.kind === 'word' && !isStatementStart(this.tokens, this.pos));
    if (!isName) return {};
    this.pos++;
    return { name: token };
  }

  private declare(line: number): Statement {
    this.pos++;
    const variables: VariableDeclaration[] = [];
    for (;;) {
      const name = this.peek();
      if (name?.kind !== 'variable') throw this.syntaxError(name);
      this.pos++;
      this.acceptWord('AS');
      if (isWord(this.peek(), 'TABLE', 'CURSOR')) {
        throw new TsqlError(50000, `DECLARE … ${this.peek()?.value.toUpperCase()} is not supported by the TDS test server.`, line);
      }
      const { type, next } = parseSqlType(this.tokens, this.pos);
      this.pos = next;
      let initial: Expression | undefined;
      if (isSymbol(this.peek(), '=')) {
        this.pos++;
        initial = this.expression(true);
      }
      variables.push(initial === undefined ? { name: name.value, type } : { name: name.value, type, initial });
      if (!isSymbol(this.peek(), ',')) break;
      this.pos++;
    }
    return { kind: 'declare', line, variables };
  }

  private set(line: number): Statement {
    this.pos++;
    const target = this.peek();
    if (target?.kind === 'variable') {
      this.pos++;
      const operator = this.peek();
      if (operator === undefined || !ASSIGNMENT.has(operator.text)) throw this.syntaxError(operator);
      this.pos++;
      return { kind: 'setVariable', line, name: target.value, operator: operator.text, expression: this.expression() };
    }
    if (this.acceptWord('TRANSACTION')) {
      this.expectWord('ISOLATION');
      this.expectWord('LEVEL');
      return { kind: 'setIsolation', line, level: this.isolationLevel() };
    }
    if (target?.kind !== 'word') throw this.syntaxError(target);
    const options = [target.value.toUpperCase()];
    this.pos++;
    while (isSymbol(this.peek(), ',') && this.peek(1)?.kind === 'word') {
      options.push((this.peek(1) as Token).value.toUpperCase());
      this.pos += 2;
    }
    const value = this.expression();
    return { kind: 'setOption', line, options, value: value.map((t) => t.value).join(' ').toUpperCase(), valueTokens: value };
  }

  private isolationLevel(): TdsIsolationLevel {
    if (this.acceptWord('READ')) {
      if (this.acceptWord('UNCOMMITTED')) return 'read uncommitted';
      this.expectWord('COMMITTED');
      return 'read committed';
    }
    if (this.acceptWord('REPEATABLE')) {
      this.expectWord('READ');
      return 'repeatable read';
    }
    if (this.acceptWord('SNAPSHOT')) return 'snapshot';
    this.expectWord('SERIALIZABLE');
    return 'serializable';
  }

  private raiserror(line: number): Statement {
    this.pos++;
    if (!isSymbol(this.peek(), '(')) throw this.syntaxError();
    const close = closingParen(this.tokens, this.pos);
    const args = splitTopLevel(this.tokens.slice(this.pos + 1, close));
    this.pos = close + 1;
    if (this.acceptWord('WITH')) {
      this.expectWord('NOWAIT', 'LOG', 'SETERROR');
      while (isSymbol(this.peek(), ',')) {
        this.pos++;
        this.expectWord('NOWAIT', 'LOG', 'SETERROR');
      }
    }
    if (args.length < 3 || args.some((a) => a.length === 0)) throw new TsqlError(102, "Incorrect syntax near 'RAISERROR'.", line);
    return { kind: 'raiserror', line, args };
  }

  /** The index after `TOP n` / `TOP (n)` at `at`, or `at` when there is none. */
  private afterTop(at: number): number {
    if (!isWord(this.tokens[at], 'TOP')) return at;
    if (isSymbol(this.tokens[at + 1], '(')) return closingParen(this.tokens, at + 1) + 1;
    return at + 2;
  }

  private selectAssign(line: number): Statement {
    const { end } = scanStatement(this.tokens, this.pos);
    const listStart = this.afterTop(this.pos + 1);
    let top: Expression | undefined;
    if (listStart !== this.pos + 1) {
      const raw = this.tokens.slice(this.pos + 2, listStart);
      top = isSymbol(raw[0], '(') ? raw.slice(1, -1) : raw;
    }
    const tokens = this.tokens.slice(listStart, end);
    this.pos = end;
    const listEnd = findListEnd(tokens);
    const assignments = splitTopLevel(tokens.slice(0, listEnd)).map((item) => {
      const [variable, operator] = item;
      if (variable?.kind !== 'variable' || operator === undefined || !ASSIGNMENT.has(operator.text) || item.length < 3) {
        throw new TsqlError(141, 'A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.', line);
      }
      return { variable: variable.value, operator: operator.text, expression: item.slice(2) };
    });
    const statement = { kind: 'selectAssign' as const, line, assignments, tail: tokens.slice(listEnd) };
    return top === undefined ? statement : { ...statement, top };
  }
}

const LIST_ENDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'UNION', 'EXCEPT', 'INTERSECT', 'OPTION', 'INTO', 'FOR'];

/** Index of the clause that ends a select list (FROM, WHERE…), or the length. */
export function findListEnd(tokens: readonly Token[], from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && isWord(token, ...LIST_ENDS)) return i;
  }
  return tokens.length;
}

function isProcedureWord(token: Token | undefined): boolean {
  return isWord(token, 'PROC', 'PROCEDURE');
}
