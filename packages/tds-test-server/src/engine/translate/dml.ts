import { closingParen, findTopLevel, splitTopLevel } from '../tsql/token-utils.js';
import { isSymbol, isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { parseSelectItem, renderItems, translateQuery } from './select.js';
import type { Translator } from './translator.js';

const SOURCE_STARTS = ['VALUES', 'SELECT', 'DEFAULT', 'EXEC', 'EXECUTE', 'WITH'];

/**
 * `OUTPUT INSERTED.a, DELETED.b` → `RETURNING a, b`. PostgreSQL 15 has no OLD/NEW in RETURNING, so
 * DELETED.x in an UPDATE returns the new value; for INSERT and DELETE the meaning is the same.
 */
function returning(t: Translator, tokens: readonly Token[]): string {
  const into = findTopLevel(tokens, (token) => isWord(token, 'INTO'));
  if (into >= 0) throw new TsqlError(50000, 'OUTPUT … INTO is not supported by the TDS test server.', tokens[into]?.line ?? 1);
  const stripped = tokens.filter(
    (token, i) => !(isWord(token, 'INSERTED', 'DELETED') && isSymbol(tokens[i + 1], '.')) && !(isSymbol(token, '.') && isWord(tokens[i - 1], 'INSERTED', 'DELETED')),
  );
  const { texts } = renderItems(t, splitTopLevel(stripped).map(parseSelectItem), true);
  return ` RETURNING ${texts.join(', ')}`;
}

/** Removes an OUTPUT clause (from OUTPUT to the first of `ends`) and returns it as RETURNING text. */
function extractOutput(t: Translator, tokens: readonly Token[], ends: readonly string[]): { rest: Token[]; returning: string } {
  const at = findTopLevel(tokens, (token) => isWord(token, 'OUTPUT'));
  if (at < 0) return { rest: [...tokens], returning: '' };
  let end = findTopLevel(tokens, (token) => isWord(token, ...ends), at + 1);
  const paren = findTopLevel(tokens, (token, i) => isSymbol(token, '(') && isWord(tokens[i + 1], 'SELECT'), at + 1);
  if (end < 0 || (paren >= 0 && paren < end)) end = paren >= 0 ? paren : tokens.length;
  return { rest: [...tokens.slice(0, at), ...tokens.slice(end)], returning: returning(t, tokens.slice(at + 1, end)) };
}

/** Drops a trailing `OPTION (…)` query hint. */
function withoutOption(tokens: readonly Token[]): readonly Token[] {
  const at = findTopLevel(tokens, (token, i) => isWord(token, 'OPTION') && isSymbol(tokens[i + 1], '('));
  return at < 0 ? tokens : tokens.slice(0, at);
}

/** `INSERT [INTO] t [(cols)] [OUTPUT …] VALUES … | SELECT … | DEFAULT VALUES`. */
export function translateInsert(t: Translator, all: readonly Token[]): string {
  if (isWord(all[1], 'TOP')) throw new TsqlError(50000, 'INSERT TOP is not supported by the TDS test server.', all[1]?.line ?? 1);
  const { rest: tokens, returning: output } = extractOutput(t, withoutOption(all), SOURCE_STARTS);
  let i = 1;
  let out = 'INSERT INTO';
  if (isWord(tokens[i], 'INTO')) i++;
  const source = findTopLevel(tokens, (token, j) => isWord(token, ...SOURCE_STARTS) || (isSymbol(token, '(') && isWord(tokens[j + 1], 'SELECT')), i);
  const end = source < 0 ? tokens.length : source;
  out += t.expr(tokens.slice(i, end));
  const first = tokens[end];
  if (first === undefined) return out + output;
  if (isWord(first, 'VALUES')) return out + first.space + 'VALUES' + values(t, tokens.slice(end + 1)) + output;
  if (isWord(first, 'EXEC', 'EXECUTE')) throw new TsqlError(50000, 'INSERT … EXEC is not supported by the TDS test server.', first.line);
  if (isWord(first, 'DEFAULT')) return out + t.expr(tokens.slice(end)) + output;
  return out + first.space + translateQuery(t, tokens.slice(end), false).trimStart() + output;
}

/**
 * The row constructors of INSERT … VALUES. A bare 0 or 1 is written untyped ('1') so it can go into a
 * BIT (boolean) column as well as into numeric ones, as it can in SQL Server.
 */
function values(t: Translator, tokens: readonly Token[]): string {
  let out = '';
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    if (!isSymbol(token, '(')) {
      out += t.expr([token]);
      i++;
      continue;
    }
    const close = closingParen(tokens, i);
    const elements = splitTopLevel(tokens.slice(i + 1, close)).map((element) => {
      const only = element.length === 1 ? element[0] : undefined;
      if (only?.kind === 'number' && (only.text === '0' || only.text === '1')) return `${only.space}'${only.text}'`;
      if (only?.kind === 'variable') return `${only.space}${t.context.variable(only.value, only.line, true)}`;
      return t.expr(element);
    });
    out += `${token.space}(${elements.join(',')})`;
    i = close + 1;
  }
  return out;
}

/** `UPDATE t SET … [OUTPUT …] [FROM …] [WHERE …]`. */
export function translateUpdate(t: Translator, all: readonly Token[]): string {
  if (isWord(all[1], 'TOP')) throw new TsqlError(50000, 'UPDATE TOP is not supported by the TDS test server.', all[1]?.line ?? 1);
  const { rest, returning: output } = extractOutput(t, withoutOption(all), ['FROM', 'WHERE']);
  return t.expr(rest) + output;
}

/** `DELETE [FROM] t [OUTPUT …] [WHERE …]`. */
export function translateDelete(t: Translator, all: readonly Token[]): string {
  if (isWord(all[1], 'TOP')) throw new TsqlError(50000, 'DELETE TOP is not supported by the TDS test server.', all[1]?.line ?? 1);
  const { rest, returning: output } = extractOutput(t, withoutOption(all), ['FROM', 'WHERE']);
  const from = isWord(rest[1], 'FROM') ? '' : ' FROM';
  return 'DELETE' + from + t.expr(rest.slice(1)) + output;
}
