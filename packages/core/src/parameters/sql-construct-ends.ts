import { ArgumentError } from '../errors/errors.js';
import type { SqlDialectRules } from './sql-dialect-rules.js';

/**
 * Where each opaque construct of SQL text ends: string literals, quoted identifiers, comments and dollar-quoted
 * strings. {@link scanSql} jumps over them with these, using `indexOf` wherever the closing text is fixed.
 * @internal
 */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BANG = 0x21;
const DOLLAR = 0x24;
const STAR = 0x2a;
const SLASH = 0x2f;
const UPPER_M = 0x4d;
const BACKSLASH = 0x5c;

/** What an unterminated `'…'` is called in error messages. */
export const STRING = 'string literal';
/** What an unterminated `"…"`, `` `…` `` or `[…]` is called in error messages. */
export const IDENTIFIER = 'quoted identifier';

/**
 * End (exclusive) of a literal whose only escape is the doubled closing quote: `'it''s'`, `"a""b"`, `[a]]b]`.
 * `close` is the closing quote and `closeCode` its char code; `what` names the construct in the error.
 */
export function endOfDoubledQuote(text: string, start: number, close: string, closeCode: number, what: string): number {
  let j = start + 1;
  for (;;) {
    const k = text.indexOf(close, j);
    if (k < 0) throw unterminated(what, start);
    if (text.charCodeAt(k + 1) !== closeCode) return k + 1;
    j = k + 2;
  }
}

/**
 * End (exclusive) of a string with backslash escapes and doubled quotes (MySQL strings, PostgreSQL `E'…'`).
 * `start` is where the literal begins (the `E` of `E'…'`, reported in the error) and `open` its opening quote.
 */
export function endOfEscapedString(text: string, start: number, open: number, quote: number): number {
  const n = text.length;
  let j = open + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      j += 2;
    } else if (c !== quote) {
      j++;
    } else if (text.charCodeAt(j + 1) === quote) {
      j += 2;
    } else {
      return j + 1;
    }
  }
  throw unterminated(STRING, start);
}

/** Index of the line break that ends a `--` or `#` comment whose body starts at `from`, or the text length. */
export function endOfLineComment(text: string, from: number): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === NEWLINE || c === CARRIAGE_RETURN) return j;
    j++;
  }
  return n;
}

/** End (exclusive) of the block comment starting at `start`, counting nested `/*` where the dialect nests them. */
export function endOfBlockComment(text: string, start: number, rules: SqlDialectRules): number {
  if (!rules.nestedComments) {
    const k = text.indexOf('*/', start + 2);
    if (k < 0) throw unterminated('block comment', start);
    return k + 2;
  }
  const n = text.length;
  let depth = 1;
  let j = start + 2;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === STAR && text.charCodeAt(j + 1) === SLASH) {
      j += 2;
      if (--depth === 0) return j;
    } else if (c === SLASH && text.charCodeAt(j + 1) === STAR) {
      depth++;
      j += 2;
    } else {
      j++;
    }
  }
  throw unterminated('block comment', start);
}

/**
 * Length of the opener of a MySQL executable comment at `start` (`/*!`, `/*M!`, with the 5- or 6-digit server
 * version that may follow the `!`), or 0 when no executable comment starts there. The version digits belong to the
 * opener: the body starts after them.
 */
export function executableCommentOpenerLength(text: string, start: number): number {
  let j = start + 2;
  if (text.charCodeAt(j) === UPPER_M) j++;
  if (text.charCodeAt(j) !== BANG) return 0;
  j++;
  let digits = 0;
  while (digits < 6 && isDigit(text.charCodeAt(j + digits))) digits++;
  // Fewer than five digits are not a version: the server reads them as the body's first token.
  return j + (digits >= 5 ? digits : 0) - start;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * End (exclusive) of the dollar-quoted string starting at `start`, or -1 when the `$` does not open one (`$1`,
 * a lone `$`). The tag follows PostgreSQL: a letter, `_` or non-ASCII character, then those or digits; no `$`.
 */
export function endOfDollarQuote(text: string, start: number): number {
  let j = start + 1;
  if (text.charCodeAt(j) !== DOLLAR) {
    if (!isTagCharacter(text.charCodeAt(j), false)) return -1;
    j++;
    while (isTagCharacter(text.charCodeAt(j), true)) j++;
    if (text.charCodeAt(j) !== DOLLAR) return -1;
  }
  const delimiter = text.slice(start, j + 1);
  const close = text.indexOf(delimiter, j + 1);
  if (close < 0) throw unterminated(`dollar-quoted string ${delimiter}`, start);
  return close + delimiter.length;
}

function isTagCharacter(c: number, digitAllowed: boolean): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === 0x5f ||
    c >= 0x80 ||
    (digitAllowed && c >= 0x30 && c <= 0x39)
  );
}

/** The error for a literal, quoted identifier or comment that the text ends inside. @internal */
export function unterminated(what: string, start: number): ArgumentError {
  return new ArgumentError(`Unterminated ${what} starting at position ${start}.`, 'text');
}
