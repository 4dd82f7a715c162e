import { ArgumentError, InvalidOperationError } from '../errors/errors.js';
import { isWhiteSpace } from './sql-characters.js';
import { PlaceholderStyle } from './placeholder-style.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqlDialectRules } from './sql-dialect-rules.js';
import { scanSql, type ParameterReference } from './sql-scanner.js';

/** How {@link translatePlaceholders} rewrites `@name` references. */
export interface TranslateOptions {
  /** The provider's native marker style. */
  readonly style: PlaceholderStyle;
  /** The lexical rules used to skip literals, quoted identifiers and comments. */
  readonly dialect: SqlDialect;
  /**
   * Maps a referenced name (without `@`, as written) to the key of its parameter in the command's collection, or
   * returns `undefined` when there is none. Case sensitivity is this function's choice: `@Id` and `@id` are the same
   * parameter exactly when they resolve to the same key.
   */
  readonly resolve: (name: string) => string | undefined;
  /** Cut the text at top-level `;` into separate statements. */
  readonly split: boolean;
  /**
   * What to do with a reference `resolve` does not know: `'keep'` leaves it exactly as written (MySQL user
   * variables, T-SQL local variables); `'error'` throws {@link InvalidOperationError}.
   */
  readonly unknownParameters: 'error' | 'keep';
}

/** One statement ready for the driver: its text with native markers, and the parameter key bound to each. */
export interface TranslatedStatement {
  /** The statement text; only `@name` markers differ from the original. */
  readonly text: string;
  /**
   * The parameter keys to bind: per `$n` (`parameterNames[n - 1]`) for `dollar-numbered`, per `?` in order
   * (repeats included) for `question`, the distinct keys referenced in order of first appearance for `named-at`.
   */
  readonly parameterNames: readonly string[];
}

const NO_NAMES: readonly string[] = Object.freeze([]);
const STYLES: ReadonlySet<string> = new Set(Object.values(PlaceholderStyle));

/**
 * Rewrites the `@name` references of SQL text into the provider's native markers (docs/values.md#parameters), leaving every
 * other character as written. References inside literals, quoted identifiers and comments are not references.
 *
 * With `split`, the text is cut at top-level `;`, each statement trimmed of white space, and statements holding
 * only white space and comments dropped. Without it the whole text is one statement, untrimmed.
 *
 * ```ts
 * translatePlaceholders('SELECT * FROM t WHERE a = @a OR b = @a', {
 *   style: PlaceholderStyle.DollarNumbered, dialect: SqlDialect.PostgreSQL,
 *   resolve: (name) => name, split: false, unknownParameters: 'error',
 * });
 * // [{ text: 'SELECT * FROM t WHERE a = $1 OR b = $1', parameterNames: ['a'] }]
 * ```
 * @throws {@link InvalidOperationError} when `unknownParameters` is `'error'` and a reference does not resolve.
 * @throws {@link ArgumentError} for unterminated literals, quoted identifiers and comments (see {@link scanSql}),
 *   which are only detected when the text has to be scanned: when it contains `@` or (with `split`) `;`.
 */
export function translatePlaceholders(text: string, options: TranslateOptions): TranslatedStatement[] {
  const { style, split } = options;
  if (!STYLES.has(style)) throw new ArgumentError(`Unknown placeholder style '${String(style)}'.`, 'style');
  sqlDialectRules(options.dialect); // rejects an unknown dialect even when the fast path below never scans
  const quick = translateWithoutScanning(text, split);
  if (quick !== undefined) return quick;
  const scan = scanSql(text, options.dialect);
  const parameters = scan.parameters;
  if (!split) return [translateStatement(text, 0, text.length, parameters, 0, options)];
  const statements: TranslatedStatement[] = [];
  let next = 0;
  let from = 0;
  for (let s = 0; s < scan.statementHasCode.length; s++) {
    const to = scan.statementEnds[s] ?? text.length;
    if (scan.statementHasCode[s]) {
      const [start, end] = trimmedBounds(text, from, to);
      statements.push(translateStatement(text, start, end, parameters, next, options));
    }
    while (next < parameters.length && parameters[next]!.start < to) next++;
    from = to + 1;
  }
  return statements;
}

/**
 * The common case, SQL without `@` (and, when splitting, without `;`), needs no lexing: the answer is the text
 * itself, unless splitting must find out whether it is only a comment. `undefined` when the text must be scanned.
 */
function translateWithoutScanning(text: string, split: boolean): TranslatedStatement[] | undefined {
  if (text.includes('@') || (split && text.includes(';'))) return undefined;
  if (!split) return [{ text, parameterNames: NO_NAMES }];
  const [start, end] = trimmedBounds(text, 0, text.length);
  if (start === end) return [];
  const first = text[start];
  if (first === '-' || first === '/' || first === '#') return undefined;
  return [{ text: text.slice(start, end), parameterNames: NO_NAMES }];
}

/** Translates `text[start, end)`, whose references are `parameters[first…]` up to the first that starts at `end`. */
function translateStatement(
  text: string,
  start: number,
  end: number,
  parameters: readonly ParameterReference[],
  first: number,
  options: TranslateOptions,
): TranslatedStatement {
  const { style, resolve } = options;
  const names: string[] = [];
  // Key → its 1-based position in `names`, so a repeated parameter reuses its `$n` (and is listed once for named-at).
  const numbers = new Map<string, number>();
  let out = '';
  let copied = start;
  for (let p = first; p < parameters.length; p++) {
    const reference = parameters[p]!;
    if (reference.start >= end) break;
    const key = resolve(reference.name);
    if (key === undefined) {
      if (options.unknownParameters === 'error') {
        throw new InvalidOperationError(
          `Parameter '@${reference.name}' at position ${reference.start} is not in the command's Parameters collection.`,
        );
      }
      continue;
    }
    let marker: string;
    if (style === PlaceholderStyle.Question) {
      names.push(key);
      marker = '?';
    } else {
      let number = numbers.get(key);
      if (number === undefined) {
        names.push(key);
        number = names.length;
        numbers.set(key, number);
      }
      if (style === PlaceholderStyle.NamedAt) continue;
      marker = `$${number}`;
    }
    out += text.slice(copied, reference.start) + marker;
    copied = reference.end;
  }
  return { text: copied === start ? text.slice(start, end) : out + text.slice(copied, end), parameterNames: names };
}

/** The bounds of `text[from, to)` without leading and trailing white space (as `String.prototype.trim` sees it). */
function trimmedBounds(text: string, from: number, to: number): [number, number] {
  let start = from;
  let end = to;
  while (start < end && isWhiteSpace(text.charCodeAt(start))) start++;
  while (end > start && isWhiteSpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}
