import { isSymbol, isWord, type Token } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';

/** Index of the `)` matching the `(` at `open`; throws 102 when it is missing. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  const at = tokens[open];
  throw new TsqlError(102, "Incorrect syntax near '('.", at?.line ?? 1);
}

/**
 * Splits tokens at `separator` (by default `,`) outside parentheses and CASE … END, e.g. an argument list.
 * An empty input gives no parts.
 */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [];
  if (tokens.length === 0) return parts;
  let current: Token[] = [];
  let depth = 0;
  let cases = 0;
  for (const token of tokens) {
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'CASE')) cases++;
    else if (depth === 0 && cases > 0 && isWord(token, 'END')) cases--;
    if (depth === 0 && cases === 0 && isSymbol(token, separator)) {
      parts.push(current);
      current = [];
      continue;
    }
    current.push(token);
  }
  parts.push(current);
  return parts;
}

/** Index of the first token at parenthesis depth 0 (from `from`) that satisfies `test`, or -1. */
export function findTopLevel(tokens: readonly Token[], test: (token: Token, index: number) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && test(token, i)) return i;
  }
  return -1;
}

/** Normalises an object name as SQL Server resolves it case-insensitively: last part, lower case. */
export function normalizeName(parts: readonly string[]): string {
  const last = parts[parts.length - 1] ?? '';
  return last.toLowerCase();
}

/**
 * Reads a dotted object name (`[dbo].[p]`, `dbo.p`, `p`) at `at`; returns its parts and the index after it.
 * Throws 102 when no name is there.
 */
export function readObjectName(tokens: readonly Token[], at: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const token = tokens[i];
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'quoted')) {
      throw new TsqlError(102, `Incorrect syntax near '${token?.text ?? tokens[i - 1]?.text ?? ''}'.`, token?.line ?? 1);
    }
    parts.push(token.value);
    i++;
    if (!isSymbol(tokens[i], '.')) return { parts, next: i };
    i++;
    // `db..name` skips the schema
    while (isSymbol(tokens[i], '.')) i++;
  }
}

/** The source-like text of tokens, for messages. */
export function tokensText(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i === 0 ? '' : t.space.length > 0 ? ' ' : '') + t.text).join('');
}
