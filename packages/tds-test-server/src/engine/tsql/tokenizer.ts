import { TsqlError } from './tsql-error.js';

/** The lexical classes of T-SQL the engine distinguishes. */
export type TokenKind =
  /** An unquoted identifier or keyword (`SELECT`, `users`, `#temp`). */
  | 'word'
  /** A delimited identifier: `[name]` or `"name"`; `value` holds the name without delimiters. */
  | 'quoted'
  /** A local variable or parameter: `@name`. */
  | 'variable'
  /** A system function written as a variable: `@@VERSION`. */
  | 'system'
  /** `'text'`; `value` holds the text with doubled quotes undone. */
  | 'string'
  /** `N'text'`. */
  | 'nstring'
  /** `12`, `1.5`, `.5`, `1e3`. */
  | 'number'
  /** `0x0AFF`; `value` holds the hex digits. */
  | 'binary'
  /** Operators, including compound assignment (`+=`). */
  | 'operator'
  /** `(`, `)`, `,`, `;`, `.` */
  | 'punct';

/** One T-SQL token. */
export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** The decoded value: the identifier name, the string contents, the digits. */
  readonly value: string;
  /** Offset of the token in the source. */
  readonly start: number;
  /** 1-based line of the token in the source. */
  readonly line: number;
  /** Whitespace before the token, comments replaced by spaces and newlines kept so line numbers survive. */
  readonly space: string;
}

const OPERATORS = ['<=', '>=', '<>', '!=', '!<', '!>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '::'];
const SINGLE_OPERATORS = '=<>+-*/%&|^~!';
const PUNCT = '(),;.';

function isWordStart(ch: string): boolean {
  return /[\p{L}_#]/u.test(ch);
}

function isWordPart(ch: string): boolean {
  return /[\p{L}\p{N}_#$@]/u.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * Splits T-SQL text into tokens. String literals, `N'…'` literals, `[bracketed]` and `"quoted"` identifiers
 * and comments (`--`, nested `/* … *\/`) are recognised first, so nothing inside them is ever mistaken for
 * code. Throws {@link TsqlError} 105 for an unclosed quotation mark and 102 for an unknown character.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let space = '';

  const push = (kind: TokenKind, text: string, value: string): void => {
    tokens.push({ kind, text, value, start: pos, line, space });
    for (const ch of text) if (ch === '\n') line++;
    pos += text.length;
    space = '';
  };

  while (pos < source.length) {
    const ch = source[pos] as string;
    const next = source[pos + 1];

    if (/\s/.test(ch)) {
      space += ch;
      if (ch === '\n') line++;
      pos++;
      continue;
    }
    if (ch === '-' && next === '-') {
      const end = source.indexOf('\n', pos);
      const stop = end === -1 ? source.length : end;
      space += ' ';
      pos = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      pos = skipBlockComment(source, pos, line, (newlines) => {
        space += newlines > 0 ? '\n'.repeat(newlines) : ' ';
        line += newlines;
      });
      continue;
    }
    if (ch === "'" || ((ch === 'N' || ch === 'n') && next === "'")) {
      const quoteAt = ch === "'" ? pos : pos + 1;
      const { end, value } = readDelimited(source, quoteAt, "'");
      if (end < 0) throw unclosed(source.slice(quoteAt + 1), line);
      push(ch === "'" ? 'string' : 'nstring', source.slice(pos, end), value);
      continue;
    }
    if (ch === '[' || ch === '"') {
      const close = ch === '[' ? ']' : '"';
      const { end, value } = readDelimited(source, pos, close);
      if (end < 0) throw unclosed(source.slice(pos + 1), line);
      push('quoted', source.slice(pos, end), value);
      continue;
    }
    if (ch === '@') {
      const system = next === '@';
      let end = pos + (system ? 2 : 1);
      while (end < source.length && isWordPart(source[end] as string)) end++;
      const text = source.slice(pos, end);
      push(system ? 'system' : 'variable', text, text);
      continue;
    }
    if (ch === '0' && (next === 'x' || next === 'X')) {
      let end = pos + 2;
      while (end < source.length && /[0-9a-fA-F]/.test(source[end] as string)) end++;
      const text = source.slice(pos, end);
      push('binary', text, text.slice(2));
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(next))) {
      const match = /^(\d*\.?\d*)([eE][+-]?\d+)?/.exec(source.slice(pos)) as RegExpExecArray;
      push('number', match[0], match[0]);
      continue;
    }
    if (isWordStart(ch)) {
      let end = pos + 1;
      while (end < source.length && isWordPart(source[end] as string)) end++;
      const text = source.slice(pos, end);
      push('word', text, text);
      continue;
    }
    const two = source.slice(pos, pos + 2);
    if (OPERATORS.includes(two)) {
      push('operator', two, two);
      continue;
    }
    if (SINGLE_OPERATORS.includes(ch)) {
      push('operator', ch, ch);
      continue;
    }
    if (PUNCT.includes(ch)) {
      push('punct', ch, ch);
      continue;
    }
    throw new TsqlError(102, `Incorrect syntax near '${ch}'.`, line);
  }
  return tokens;
}

/** Reads a delimited run whose opening delimiter is at `at`; a doubled closing delimiter stands for itself. */
function readDelimited(source: string, at: number, close: string): { end: number; value: string } {
  let value = '';
  let pos = at + 1;
  while (pos < source.length) {
    const ch = source[pos] as string;
    if (ch === close) {
      if (source[pos + 1] === close) {
        value += close;
        pos += 2;
        continue;
      }
      return { end: pos + 1, value };
    }
    value += ch;
    pos++;
  }
  return { end: -1, value };
}

function skipBlockComment(source: string, at: number, line: number, onSkipped: (newlines: number) => void): number {
  let depth = 0;
  let pos = at;
  let newlines = 0;
  while (pos < source.length) {
    if (source.startsWith('/*', pos)) {
      depth++;
      pos += 2;
    } else if (source.startsWith('*/', pos)) {
      depth--;
      pos += 2;
      if (depth === 0) break;
    } else {
      if (source[pos] === '\n') newlines++;
      pos++;
    }
  }
  if (depth !== 0) throw new TsqlError(113, "Missing end comment mark '*/'.", line);
  onSkipped(newlines);
  return pos;
}

function unclosed(rest: string, line: number): TsqlError {
  return new TsqlError(105, `Unclosed quotation mark after the character string '${rest}'.`, line);
}

/** True when `token` is the unquoted keyword `word` (case-insensitive). */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  if (token === undefined || token.kind !== 'word') return false;
  const upper = token.value.toUpperCase();
  return words.includes(upper);
}

/** True when `token` is the punctuation or operator `text`. */
export function isSymbol(token: Token | undefined, text: string): boolean {
  return token !== undefined && (token.kind === 'punct' || token.kind === 'operator') && token.text === text;
}
