/**
 * The words of MySQL text outside literals, quoted identifiers and comments (executable comments' bodies count:
 * the server runs them), upper-cased: enough to tell what kind
 * of statement a piece of SQL is and to follow BEGIN … END blocks. Not a parser; core's scanner does the real
 * lexing (`@name`, `;`), this only needs keywords.
 */
export function sqlWords(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const words: string[] = [];
  let i = 0;
  const length = text.length;
  while (i < length && words.length < limit) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(text, i, c);
    } else if (c === '#' || (c === '-' && text[i + 1] === '-' && isSpaceOrEnd(text[i + 2]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const body = executableBody(text, i);
      if (body > 0) {
        // An executable comment (`/*!50003 CREATE */`, `/*M! … */`) is code the server runs: its words count; its
        // closing `*/` is skipped below as punctuation.
        i = body;
      } else {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? length : end + 2;
      }
    } else if (isWordStart(c)) {
      let end = i + 1;
      while (end < length && isWordPart(text[end]!)) end++;
      words.push(text.slice(i, end).toUpperCase());
      i = end;
    } else {
      i++;
    }
  }
  return words;
}

/**
 * The first keyword of a statement (`SELECT`, `INSERT`, `CALL`, …), or '' when there is none. For MariaDB's
 * `SET STATEMENT var = value FOR <statement>` it is the keyword of the statement after FOR.
 */
export function leadingKeyword(text: string): string {
  const words = sqlWords(text, 2);
  if (words[0] === 'SET' && words[1] === 'STATEMENT') {
    const all = sqlWords(text);
    const forIndex = all.indexOf('FOR');
    return forIndex >= 0 ? (all[forIndex + 1] ?? '') : 'SET';
  }
  return words[0] ?? '';
}

const READ_ONLY = new Set(['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'VALUES', 'TABLE', 'HELP']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'LOAD', 'CALL', 'WITH']);

/** Statements with no effect but their rows: killing them to discard unread rows changes nothing. */
export function isReadOnlyStatement(keyword: string): boolean {
  return READ_ONLY.has(keyword);
}

/** Statements whose OK packet's affected-row count belongs in `recordsAffected` (DDL and SET counts do not). */
export function countsAffectedRows(keyword: string): boolean {
  return DML.has(keyword);
}

function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && quote !== '`') {
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return text.length;
}

/** Where the body of the executable comment opened at `start` begins (after `/*!`/`/*M!` and a version), or 0. */
function executableBody(text: string, start: number): number {
  let j = start + 2;
  if (text[j] === 'M') j++;
  if (text[j] !== '!') return 0;
  j++;
  let digits = 0;
  while (digits < 6 && text[j + digits]! >= '0' && text[j + digits]! <= '9') digits++;
  return j + (digits >= 5 ? digits : 0);
}

function isSpaceOrEnd(c: string | undefined): boolean {
  return c === undefined || c <= ' ';
}

function isWordStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}

function isWordPart(c: string): boolean {
  return isWordStart(c) || (c >= '0' && c <= '9') || c === '$';
}
