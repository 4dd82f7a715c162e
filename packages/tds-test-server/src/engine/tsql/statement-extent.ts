import type { SqlVerb } from './ast.js';
import { isSymbol, isWord, type Token } from './tokenizer.js';

/**
 * T-SQL needs no semicolons between statements, so a statement ends where a keyword that can only start a
 * new statement appears outside parentheses. These are those keywords (all reserved in T-SQL, so they
 * never occur as bare identifiers).
 */
const STATEMENT_STARTS = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'DECLARE', 'SET',
  'PRINT', 'RAISERROR', 'THROW', 'IF', 'WHILE', 'BEGIN', 'END', 'ELSE', 'RETURN', 'BREAK', 'CONTINUE', 'COMMIT',
  'ROLLBACK', 'SAVE', 'WAITFOR', 'EXEC', 'EXECUTE', 'USE', 'WITH', 'GOTO', 'GRANT', 'REVOKE', 'DENY', 'KILL',
]);

/** Words after WITH that make it a clause (`WITH TIES`, `WITH NOWAIT`) rather than a common table expression. */
const WITH_CLAUSES = new Set(['TIES', 'NOWAIT', 'LOG', 'SETERROR', 'CHECK', 'ROLLUP', 'CUBE', 'MARK', 'RECOMPILE', 'ENCRYPTION', 'EXECUTE', 'SCHEMABINDING']);

/** True when `tokens[i]` can only begin a new statement (a CTE's WITH is told apart from `WITH (NOLOCK)`). */
export function isStatementStart(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i];
  if (token === undefined || token.kind !== 'word') return false;
  const word = token.value.toUpperCase();
  if (!STATEMENT_STARTS.has(word)) return false;
  if (word !== 'WITH') return true;
  const name = tokens[i + 1];
  if (name === undefined || (name.kind !== 'word' && name.kind !== 'quoted')) return false;
  if (name.kind === 'word' && WITH_CLAUSES.has(name.value.toUpperCase())) return false;
  return isWord(tokens[i + 2], 'AS') || isSymbol(tokens[i + 2], '(');
}

/** The verb of a statement from its first word (`WITH` is resolved to the verb of its main statement later). */
export function verbOf(word: string): SqlVerb {
  switch (word.toUpperCase()) {
    case 'SELECT':
    case 'WITH':
      return 'select';
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'CREATE':
    case 'ALTER':
    case 'DROP':
    case 'TRUNCATE':
      return word.toLowerCase() as SqlVerb;
    default:
      return 'other';
  }
}

const upper = (token: Token | undefined): string => (token?.kind === 'word' ? token.value.toUpperCase() : '');

/**
 * Finds where the SQL statement starting at `start` ends: the index of the terminating `;`, of the next
 * statement's first keyword, of a block's END/ELSE, or `tokens.length`. Knows which statement keywords
 * continue the current statement (`INSERT … SELECT`, `UPDATE … SET`, `UNION SELECT`, `ON DELETE SET NULL`,
 * a CTE's main statement, `DROP TABLE IF EXISTS`, `ALTER TABLE t DROP COLUMN`). Also returns the verb.
 */
export function scanStatement(tokens: readonly Token[], start: number): { end: number; verb: SqlVerb } {
  const first = upper(tokens[start]);
  let verb: SqlVerb = isSymbol(tokens[start], '(') ? 'select' : verbOf(first);
  if (first === 'MERGE') return { end: findSemicolon(tokens, start), verb };
  if (first === 'CREATE' && ['VIEW', 'FUNCTION', 'TRIGGER'].includes(upper(tokens[start + 1]))) {
    return { end: tokens.length, verb };
  }
  // Keywords this statement may still contain once (INSERT … SELECT, UPDATE … SET, ALTER TABLE t DROP …).
  let allowed = allowances(first);
  let main = first;
  let awaitingMain = first === 'WITH';
  let depth = 0;
  let cases = 0;
  for (let i = start + (isSymbol(tokens[start], '(') ? 0 : 1); i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    if (depth > 0 || token.kind !== 'word') {
      if (depth === 0 && isSymbol(token, ';')) return { end: i, verb };
      continue;
    }
    const word = token.value.toUpperCase();
    if (word === 'CASE') cases++;
    if (word === 'END' && cases > 0) {
      cases--;
      continue;
    }
    if (word === 'ELSE' && cases > 0) continue;
    if (main === 'INSERT' && word === 'VALUES') allowed = new Set();
    if (!isStatementStart(tokens, i)) continue;
    if (awaitingMain && ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(word)) {
      awaitingMain = false;
      verb = verbOf(word);
      main = word;
      allowed = allowances(word);
      continue;
    }
    if (allowed.has(word)) {
      allowed.delete(word);
      if (word === 'SELECT' || word === 'EXEC' || word === 'EXECUTE') allowed.clear();
      continue;
    }
    if (isContinuation(tokens, i, word, first, start)) continue;
    return { end: i, verb };
  }
  return { end: tokens.length, verb };
}

function allowances(first: string): Set<string> {
  switch (first) {
    case 'INSERT':
      return new Set(['SELECT', 'EXEC', 'EXECUTE', 'WITH']);
    case 'UPDATE':
      return new Set(['SET']);
    case 'ALTER':
      return new Set(['DROP', 'ALTER', 'SET']);
    default:
      return new Set();
  }
}

function isContinuation(tokens: readonly Token[], i: number, word: string, first: string, start: number): boolean {
  const prev = upper(tokens[i - 1]);
  const prev2 = upper(tokens[i - 2]);
  if (word === 'SELECT' && ['UNION', 'ALL', 'EXCEPT', 'INTERSECT'].includes(prev)) return true;
  if ((word === 'DELETE' || word === 'UPDATE') && (prev === 'ON' || prev === 'FOR')) return true;
  if (word === 'SET' && (prev === 'DELETE' || prev === 'UPDATE') && prev2 === 'ON') return true;
  // DROP TABLE IF EXISTS t / CREATE TABLE IF NOT EXISTS t
  if (word === 'IF' && (first === 'DROP' || first === 'CREATE') && i === start + 2) return true;
  // ALTER TABLE t DROP COLUMN a, DROP COLUMN b
  if (first === 'ALTER' && ['DROP', 'ALTER', 'SET'].includes(word) && isSymbol(tokens[i - 1], ',')) return true;
  return false;
}

function findSemicolon(tokens: readonly Token[], start: number): number {
  for (let i = start; i < tokens.length; i++) if (isSymbol(tokens[i], ';')) return i;
  return tokens.length;
}

/**
 * Finds where an expression starting at `start` ends: at a `;`, a statement keyword, a block's END/ELSE,
 * or (with `stopAtComma`) a comma, all outside parentheses and CASE … END.
 */
export function scanExpression(tokens: readonly Token[], start: number, stopAtComma = false): number {
  let depth = 0;
  let cases = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) {
      if (depth === 0) return i;
      depth--;
    }
    if (depth > 0) continue;
    if (isSymbol(token, ';') || (stopAtComma && isSymbol(token, ','))) return i;
    if (isWord(token, 'CASE')) cases++;
    else if (isWord(token, 'END') && cases > 0) cases--;
    else if (isWord(token, 'ELSE') && cases > 0) continue;
    else if (isStatementStart(tokens, i)) return i;
  }
  return tokens.length;
}
