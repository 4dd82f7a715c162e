import { ConnectionStringError } from '../errors/errors.js';

/** One `key=value` pair of a connection string, as written. */
export interface ConnectionStringPair {
  /** The keyword as written: trimmed, `==` unescaped to `=`, casing untouched. */
  readonly key: string;
  /** The unquoted value; `null` for `key=` with nothing after the `=`. */
  readonly value: string | null;
  /** Zero-based index of the first character of the pair. */
  readonly position: number;
}

// .NET's Char.IsWhiteSpace (and the regex `\s` of its serialiser): Unicode separators plus
// \t \n \v \f \r and NEL. JS `\s` differs (it has U+FEFF, lacks U+0085), so we spell it out.
const WHITE_SPACE = /^[\t-\r\x85\p{Z}]$/u;
// .NET's Char.IsControl: general category Cc.
const CONTROL = /^\p{Cc}$/u;

/** Whether `ch` is white space as .NET's `Char.IsWhiteSpace` defines it. @internal */
export function isWhiteSpace(ch: string): boolean {
  return WHITE_SPACE.test(ch);
}

/** Whether `ch` is a control character that is not white space (those end keys and unquoted values). */
function isHardControl(ch: string): boolean {
  return CONTROL.test(ch) && !WHITE_SPACE.test(ch);
}

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The ADO.NET syntax error. `position` is the index ADO.NET reports (the start of the faulty pair);
 * `detail` says what is wrong and where exactly. Neither ever quotes the text, which may hold a password.
 */
function syntaxError(position: number, detail: string): ConnectionStringError {
  return new ConnectionStringError(
    `Format of the initialization string does not conform to specification starting at index ${position}. ${detail}`,
    { position },
  );
}

/** After a NUL terminator only NULs and white space may follow (ADO.NET tolerates C-style terminators). */
function checkNullTail(text: string, from: number): void {
  for (let i = from; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch !== '\0' && !isWhiteSpace(ch)) {
      throw syntaxError(
        i,
        `Only white space may follow a null character (U+0000); unexpected character at index ${i}.`,
      );
    }
  }
}

function trimWhiteSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWhiteSpace(text.charAt(start))) start++;
  while (end > start && isWhiteSpace(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * Splits a connection string into its pairs, in order, duplicates included (the builder applies
 * "last one wins"). Follows the non-ODBC grammar of ADO.NET's `DbConnectionOptions.GetKeyValuePair`:
 * pairs separated by `;`; keys end at the first single `=` (`==` is a literal `=`); values unquoted
 * (trimmed, running to `;`), or quoted with `'…'` / `"…"` where a doubled quote is one quote.
 *
 * @throws {ConnectionStringError} on any syntax error, with `position` set to the index ADO.NET reports.
 *
 * ```ts
 * parseConnectionString(`Data Source=db;Password='a;"b'`);
 * // [{ key: 'Data Source', value: 'db', position: 0 }, { key: 'Password', value: 'a;"b', position: 15 }]
 * ```
 */
export function parseConnectionString(text: string): ConnectionStringPair[] {
  const pairs: ConnectionStringPair[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // ADO.NET reports errors found before a key starts at the index where this pair's scan began.
    const scanStart = i;
    while (i < n && (text.charAt(i) === ';' || isWhiteSpace(text.charAt(i)))) i++;
    if (i >= n) break;
    const first = text.charAt(i);
    if (first === '\0') {
      checkNullTail(text, i + 1);
      break;
    }
    if (isHardControl(first)) {
      throw syntaxError(scanStart, `Control character ${codePoint(first)} at index ${i}.`);
    }

    const start = i;
    let key = '';
    for (;;) {
      if (i >= n) throw syntaxError(start, `The keyword starting at index ${start} is not followed by '='.`);
      const ch = text.charAt(i);
      if (ch === '=') {
        if (text.charAt(i + 1) === '=') {
          key += '=';
          i += 2;
          continue;
        }
        i++;
        break;
      }
      if (isHardControl(ch)) throw syntaxError(start, `Control character ${codePoint(ch)} in keyword at index ${i}.`);
      key += ch;
      i++;
    }
    key = trimWhiteSpace(key);
    if (key === '') throw syntaxError(start, `Empty keyword before the '=' at index ${i - 1}.`);

    while (i < n && isWhiteSpace(text.charAt(i))) i++;
    const valueStart = i;
    const head = text.charAt(i);
    if (i >= n || head === ';' || head === '\0') {
      pairs.push({ key, value: null, position: start });
      if (head === '\0') {
        checkNullTail(text, i + 1);
        break;
      }
      i++;
      continue;
    }
    if (head === '"' || head === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw syntaxError(start, `Unterminated quoted value starting at index ${valueStart}.`);
        const ch = text.charAt(i);
        if (ch === head) {
          if (text.charAt(i + 1) === head) {
            value += head;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\0') throw syntaxError(start, `Null character (U+0000) inside the quoted value at index ${i}.`);
        value += ch;
        i++;
      }
      while (i < n && isWhiteSpace(text.charAt(i))) i++;
      const after = text.charAt(i);
      if (i < n && after !== ';' && after !== '\0') {
        throw syntaxError(
          start,
          `Unexpected character at index ${i} after the quoted value starting at index ${valueStart}; only white space may follow a closing quote.`,
        );
      }
      pairs.push({ key, value, position: start });
      if (after === '\0') {
        checkNullTail(text, i + 1);
        break;
      }
      i++;
      continue;
    }
    if (isHardControl(head)) throw syntaxError(start, `Control character ${codePoint(head)} at index ${i}.`);

    while (i < n && text.charAt(i) !== ';' && !isHardControl(text.charAt(i))) i++;
    const value = trimWhiteSpace(text.slice(valueStart, i));
    const last = value.charAt(value.length - 1);
    if (last === '"' || last === "'") {
      throw syntaxError(
        start,
        `The unquoted value starting at index ${valueStart} ends with a quote; a value with quotes at its ends must be quoted.`,
      );
    }
    pairs.push({ key, value, position: start });
    if (i < n && text.charAt(i) !== ';') {
      // A control character ended the value: a NUL may terminate the string, anything else is an error.
      const stop = text.charAt(i);
      if (stop === '\0') {
        checkNullTail(text, i + 1);
        break;
      }
      throw syntaxError(
        i,
        `Control character ${codePoint(stop)} at index ${i}; quote values that contain control characters.`,
      );
    }
    i++;
  }
  return pairs;
}
