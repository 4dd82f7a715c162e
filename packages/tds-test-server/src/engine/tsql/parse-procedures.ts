import type { ExecArgument, ProcedureParameter, Statement } from './ast.js';
import type { Parser } from './parser.js';
import { closingParen, normalizeName, readObjectName, splitTopLevel } from './token-utils.js';
import { isSymbol, isWord, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';
import { parseSqlType } from './type-names.js';

/**
 * `EXEC [@rc =] name [args]` or `EXEC (expr)`; the parser stands on EXEC, or (`explicit` false) on the procedure
 * name of a batch's first statement, where SQL Server lets EXEC be omitted.
 */
export function parseExec(parser: Parser, line: number, explicit = true): Statement {
  if (explicit) parser.pos++;
  if (explicit && isSymbol(parser.peek(), '(')) {
    const close = closingParen(parser.tokens, parser.pos);
    const expression = parser.tokens.slice(parser.pos + 1, close);
    parser.pos = close + 1;
    return { kind: 'execDynamic', line, expression };
  }
  let returnVariable: string | undefined;
  if (explicit && parser.peek()?.kind === 'variable' && isSymbol(parser.peek(1), '=')) {
    returnVariable = (parser.peek() as Token).value;
    parser.pos += 2;
  }
  if (parser.peek()?.kind === 'variable') {
    throw new TsqlError(50000, 'EXEC of a procedure name held in a variable is not supported by the TDS test server.', line);
  }
  const { parts, next } = readObjectName(parser.tokens, parser.pos);
  parser.pos = next;
  const args: ExecArgument[] = [];
  const rest = parser.peek();
  const hasArgs = rest !== undefined && !isSymbol(rest, ';') && !isWord(rest, 'END', 'ELSE') && !startsStatement(parser);
  if (hasArgs) {
    for (;;) {
      args.push(execArgument(parser));
      if (!isSymbol(parser.peek(), ',')) break;
      parser.pos++;
    }
  }
  const procedure = normalizeName(parts);
  const base = { kind: 'exec' as const, line, procedure, displayName: parts[parts.length - 1] ?? '', args };
  return returnVariable === undefined ? base : { ...base, returnVariable };
}

function startsStatement(parser: Parser): boolean {
  const token = parser.peek();
  // A variable or literal right after the name is an argument, a keyword is the next statement.
  return token?.kind === 'word' && !isWord(token, 'DEFAULT', 'NULL') && !isSymbol(parser.peek(1), ',');
}

function execArgument(parser: Parser): ExecArgument {
  let name: string | undefined;
  if (parser.peek()?.kind === 'variable' && isSymbol(parser.peek(1), '=')) {
    name = (parser.peek() as Token).value;
    parser.pos += 2;
  }
  const value = parser.expression(true);
  let output = false;
  const last = value[value.length - 1];
  let expr = value;
  if (isWord(last, 'OUTPUT', 'OUT')) {
    output = true;
    expr = value.slice(0, -1);
  }
  return name === undefined ? { value: expr, output } : { name, value: expr, output };
}

/** `CREATE [OR ALTER] | ALTER PROC[EDURE] name [(] @p type [= default] [OUTPUT], … [)] [WITH …] AS body`. */
export function parseCreateProcedure(parser: Parser, line: number): Statement {
  let mode: 'create' | 'alter' | 'createOrAlter' = parser.acceptWord('ALTER') ? 'alter' : 'create';
  if (mode === 'create') {
    parser.expectWord('CREATE');
    if (parser.acceptWord('OR')) {
      parser.expectWord('ALTER');
      mode = 'createOrAlter';
    }
  }
  parser.expectWord('PROC', 'PROCEDURE');
  const { parts, next } = readObjectName(parser.tokens, parser.pos);
  parser.pos = next;
  // `;1` procedure numbers are obsolete and not supported.
  const asIndex = findAs(parser.tokens, parser.pos);
  let header = parser.tokens.slice(parser.pos, asIndex);
  parser.pos = asIndex + 1;
  const withAt = header.findIndex((t) => isWord(t, 'WITH'));
  if (withAt >= 0) header = header.slice(0, withAt);
  if (isSymbol(header[0], '(') && isSymbol(header[header.length - 1], ')')) header = header.slice(1, -1);
  const parameters = splitTopLevel(header).map((tokens) => procedureParameter(tokens, line));
  const body = parser.parseAll();
  return {
    kind: 'createProcedure',
    line,
    mode,
    name: normalizeName(parts),
    displayName: parts[parts.length - 1] ?? '',
    parameters,
    body,
  };
}

function findAs(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'AS')) return i;
  }
  const last = tokens[tokens.length - 1];
  throw new TsqlError(102, `Incorrect syntax near '${last?.text ?? ''}'.`, last?.line ?? 1);
}

function procedureParameter(tokens: readonly Token[], line: number): ProcedureParameter {
  const name = tokens[0];
  if (name?.kind !== 'variable') throw new TsqlError(102, `Incorrect syntax near '${name?.text ?? ''}'.`, name?.line ?? line);
  let i = 1;
  if (isWord(tokens[i], 'AS')) i++;
  const { type, next } = parseSqlType(tokens, i);
  i = next;
  if (isWord(tokens[i], 'VARYING')) i++;
  let defaultValue: Token[] | undefined;
  let output = false;
  if (isSymbol(tokens[i], '=')) {
    const start = ++i;
    while (i < tokens.length && !isWord(tokens[i], 'OUTPUT', 'OUT', 'READONLY')) i++;
    defaultValue = tokens.slice(start, i);
  }
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    if (isWord(token, 'OUTPUT', 'OUT')) output = true;
    else if (!isWord(token, 'READONLY')) throw new TsqlError(102, `Incorrect syntax near '${token.text}'.`, token.line);
    i++;
  }
  const base = { name: name.value, type, output };
  return defaultValue === undefined ? base : { ...base, default: defaultValue };
}

/** `DROP PROC[EDURE] [IF EXISTS] name [, name…]`. */
export function parseDropProcedure(parser: Parser, line: number): Statement {
  parser.expectWord('DROP');
  parser.expectWord('PROC', 'PROCEDURE');
  let ifExists = false;
  if (parser.acceptWord('IF')) {
    parser.expectWord('EXISTS');
    ifExists = true;
  }
  const names: string[] = [];
  for (;;) {
    const { parts, next } = readObjectName(parser.tokens, parser.pos);
    names.push(normalizeName(parts));
    parser.pos = next;
    if (!isSymbol(parser.peek(), ',')) break;
    parser.pos++;
  }
  return { kind: 'dropProcedure', line, names, ifExists };
}
