import type { Expression, Statement } from './ast.js';
import { parseCreateProcedure, parseDropProcedure, parseExec } from './parse-procedures.js';
import { afterTop, ASSIGNMENT, parseDeclare, parseSelectAssign, parseSet } from './parse-variables.js';
import { isStatementStart, scanExpression, scanStatement } from './statement-extent.js';
import { closingParen, readObjectName, splitTopLevel } from './token-utils.js';
import { startsOwnStatement } from './reserved-words.js';
import { isSymbol, isWord, tokenize, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';

/**
 * Parses a T-SQL batch into statements. Statements need no semicolons (T-SQL style); control flow
 * (IF/ELSE, WHILE, BEGIN…END, TRY/CATCH) nests. Throws {@link TsqlError} (102 and friends) on bad syntax.
 */
export function parseBatch(sql: string): Statement[] {
  const parser = new Parser(tokenize(sql));
  parser.skipSemicolons();
  const first = parser.peek();
  // SQL Server's rule: a batch that starts with an identifier calls the procedure of that name (EXEC omitted).
  if (isImplicitProcedureCall(first)) return [parseExec(parser, first.line, false), ...parser.parseAll()];
  return parser.parseAll();
}

/** True for a first token that names a procedure: an identifier that is not a keyword starting a statement. */
function isImplicitProcedureCall(token: Token | undefined): token is Token {
  if (token === undefined) return false;
  return token.kind === 'quoted' || (token.kind === 'word' && !startsOwnStatement(token.value));
}

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
        return parseDeclare(this, line);
      case 'SET':
        return parseSet(this, line);
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
        const at = afterTop(this.tokens, this.pos + 1);
        if (this.tokens[at]?.kind === 'variable' && ASSIGNMENT.has(this.tokens[at + 1]?.text ?? '')) return parseSelectAssign(this, line);
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
}

function isProcedureWord(token: Token | undefined): boolean {
  return isWord(token, 'PROC', 'PROCEDURE');
}
