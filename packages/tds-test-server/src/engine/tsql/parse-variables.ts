import type { TdsIsolationLevel } from '../engine-types.js';
import type { Expression, Statement, VariableDeclaration } from './ast.js';
import type { Parser } from './parser.js';
import { scanStatement } from './statement-extent.js';
import { closingParen, splitTopLevel } from './token-utils.js';
import { isSymbol, isWord, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';
import { parseSqlType } from './type-names.js';

/** The assignment operators of SET and SELECT @v = …. */
export const ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=']);

/** `DECLARE @a [AS] type [= expr][, …]`; the parser stands on DECLARE. */
export function parseDeclare(parser: Parser, line: number): Statement {
  parser.pos++;
  const variables: VariableDeclaration[] = [];
  for (;;) {
    const name = parser.peek();
    if (name?.kind !== 'variable') throw parser.syntaxError(name);
    parser.pos++;
    parser.acceptWord('AS');
    if (isWord(parser.peek(), 'TABLE', 'CURSOR')) {
      throw new TsqlError(50000, `DECLARE … ${parser.peek()?.value.toUpperCase()} is not supported by the TDS test server.`, line);
    }
    const { type, next } = parseSqlType(parser.tokens, parser.pos);
    parser.pos = next;
    let initial: Expression | undefined;
    if (isSymbol(parser.peek(), '=')) {
      parser.pos++;
      initial = parser.expression(true);
    }
    variables.push(initial === undefined ? { name: name.value, type } : { name: name.value, type, initial });
    if (!isSymbol(parser.peek(), ',')) break;
    parser.pos++;
  }
  return { kind: 'declare', line, variables };
}

/** `SET @v op expr`, `SET TRANSACTION ISOLATION LEVEL …` or `SET option[, option] value`. */
export function parseSet(parser: Parser, line: number): Statement {
  parser.pos++;
  const target = parser.peek();
  if (target?.kind === 'variable') {
    parser.pos++;
    const operator = parser.peek();
    if (operator === undefined || !ASSIGNMENT.has(operator.text)) throw parser.syntaxError(operator);
    parser.pos++;
    return { kind: 'setVariable', line, name: target.value, operator: operator.text, expression: parser.expression() };
  }
  if (parser.acceptWord('TRANSACTION')) {
    parser.expectWord('ISOLATION');
    parser.expectWord('LEVEL');
    return { kind: 'setIsolation', line, level: isolationLevel(parser) };
  }
  if (target?.kind !== 'word') throw parser.syntaxError(target);
  const options = [target.value.toUpperCase()];
  parser.pos++;
  while (isSymbol(parser.peek(), ',') && parser.peek(1)?.kind === 'word') {
    options.push((parser.peek(1) as Token).value.toUpperCase());
    parser.pos += 2;
  }
  const value = parser.expression();
  return { kind: 'setOption', line, options, value: value.map((t) => t.value).join(' ').toUpperCase(), valueTokens: value };
}

function isolationLevel(parser: Parser): TdsIsolationLevel {
  if (parser.acceptWord('READ')) {
    if (parser.acceptWord('UNCOMMITTED')) return 'read uncommitted';
    parser.expectWord('COMMITTED');
    return 'read committed';
  }
  if (parser.acceptWord('REPEATABLE')) {
    parser.expectWord('READ');
    return 'repeatable read';
  }
  if (parser.acceptWord('SNAPSHOT')) return 'snapshot';
  parser.expectWord('SERIALIZABLE');
  return 'serializable';
}

/** The index after `TOP n` / `TOP (n)` at `at`, or `at` when there is none. */
export function afterTop(tokens: readonly Token[], at: number): number {
  if (!isWord(tokens[at], 'TOP')) return at;
  if (isSymbol(tokens[at + 1], '(')) return closingParen(tokens, at + 1) + 1;
  return at + 2;
}

/** `SELECT [TOP (n)] @a = expr, @b += expr [FROM …]`. */
export function parseSelectAssign(parser: Parser, line: number): Statement {
  const { end } = scanStatement(parser.tokens, parser.pos);
  const listStart = afterTop(parser.tokens, parser.pos + 1);
  let top: Expression | undefined;
  if (listStart !== parser.pos + 1) {
    const raw = parser.tokens.slice(parser.pos + 2, listStart);
    top = isSymbol(raw[0], '(') ? raw.slice(1, -1) : raw;
  }
  const tokens = parser.tokens.slice(listStart, end);
  parser.pos = end;
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
