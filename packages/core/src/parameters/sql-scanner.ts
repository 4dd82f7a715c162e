import {
  IDENTIFIER,
  STRING,
  endOfBlockComment,
  endOfDollarQuote,
  endOfDoubledQuote,
  endOfEscapedString,
  endOfLineComment,
  executableCommentOpenerLength,
  unterminated,
} from './sql-construct-ends.js';
import { endOfNameParts, followsNamePart, isWhiteSpace, nameStartLength } from './sql-characters.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqlDialectRules } from './sql-dialect-rules.js';
import {
  TRIGGER_START,
  TriggerToken,
  afterTriggerToken,
  isInsideTriggerBody,
  triggerStateReadsTokens,
  wordToken,
} from './sql-trigger-bodies.js';
import {
  newRoutineBodyState,
  routineParenthesis,
  routineReadsWords,
  routineSemicolon,
  routineWord,
  type RoutineBodyState,
} from './sql-routine-bodies.js';

/** One `@name` parameter reference found in SQL text by {@link scanSql}. */
export interface ParameterReference {
  /** The name as written, without the `@`. */
  readonly name: string;
  /** Index of the `@`. */
  readonly start: number;
  /** Index just past the last character of the name (exclusive). */
  readonly end: number;
}

/** What {@link scanSql} found in SQL text. */
export interface SqlScan {
  /** The `@name` references outside literals, quoted identifiers and comments, in text order. */
  readonly parameters: readonly ParameterReference[];
  /** Indexes of the top-level `;` characters (outside literals, quoted identifiers and comments), in text order. */
  readonly statementEnds: readonly number[];
  /**
   * For each statement (`statementEnds.length + 1` entries: the text before each top-level `;`, then the text after
   * the last one), whether it holds anything but white space and comments.
   */
  readonly statementHasCode: readonly boolean[];
}

const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const HASH = 0x23;
const DOLLAR = 0x24;
const SINGLE_QUOTE = 0x27;
const STAR = 0x2a;
const DASH = 0x2d;
const SLASH = 0x2f;
const SEMICOLON = 0x3b;
const LEFT_PARENTHESIS = 0x28;
const RIGHT_PARENTHESIS = 0x29;
const AT = 0x40;
const UPPER_E = 0x45;
const LEFT_BRACKET = 0x5b;
const LOWER_E = 0x65;
const BACKTICK = 0x60;

/**
 * Finds the `@name` parameter references and the top-level `;` in SQL text, in one linear pass that skips string
 * literals, quoted identifiers, comments and (PostgreSQL) dollar-quoted strings as `dialect` lexes them.
 *
 * `@` starts a reference when a letter or `_` follows it (then letters, digits, `_` and `$`; in T-SQL also `#` and
 * `@`; non-ASCII letters and digits count as letters and digits) and it is not preceded by a name character
 * (`user@host`), not doubled (`@@ROWCOUNT`, `@@session.sql_mode`), and not followed by a quote (MySQL `@'var'`).
 *
 * In the MySQL dialect an executable comment (`/*! … *\/`, `/*!50100 … *\/`, `/*M! … *\/`) is code: its body is
 * scanned like the text around it (a `/* *\/` comment inside it is a comment, a `/*!` inside it is ignored, as the
 * server does) up to the first `*\/` outside a literal; a `;` in it ends the statement and the comment, as on the
 * server.
 *
 * In the SQLite dialect the `;` inside a trigger body (`CREATE [TEMP] TRIGGER … BEGIN …; …; END`) are not statement
 * ends: the statement ends where SQLite's `sqlite3_complete()` says, at the `;` after the body's `END`. In the
 * PostgreSQL dialect the `;` inside an SQL-standard routine body (`CREATE [OR REPLACE] FUNCTION|PROCEDURE …
 * BEGIN ATOMIC …; END`) are not either, as psql reads them.
 *
 * ```ts
 * scanSql("SELECT '@no' AS x, @yes; -- @no", SqlDialect.PostgreSQL);
 * // { parameters: [{ name: 'yes', start: 19, end: 23 }], statementEnds: [23], statementHasCode: [true, false] }
 * ```
 * @throws {@link ArgumentError} when a string literal, quoted identifier, dollar-quoted string, block comment or
 *   executable comment is not terminated; the message names the construct and the zero-based position where it starts.
 */
export function scanSql(text: string, dialect: SqlDialect): SqlScan {
  const rules = sqlDialectRules(dialect);
  const table = rules.nameTable;
  const parameters: ParameterReference[] = [];
  const statementEnds: number[] = [];
  const statementHasCode: boolean[] = [];
  const n = text.length;
  let hasCode = false;
  // Where the last literal or comment ended: the character before it belongs to that construct, not to a word
  // (this matters after `$q$…$q$`, whose last character is a name character).
  let opaqueEnd = -1;
  // Where the executable comment the scan is inside started (MySQL `/*! … */`), or -1 outside one.
  let executableStart = -1;
  // The sqlite3_complete() state (SQLite), or -1 when the dialect has no trigger bodies.
  let triggerState = rules.triggerBodies ? TRIGGER_START : -1;
  // The routine-body state (PostgreSQL's BEGIN ATOMIC … END), or undefined when the dialect has none.
  const routines = rules.routineBodies ? newRoutineBodyState() : undefined;
  // Whether the words must be classified one by one: only while they can still change the trigger or routine state.
  // A plain statement is known as such after its first word (SELECT, INSERT…), and the rest of it up to its `;` is
  // scanned character by character like in every other dialect, which reads words the same way (a name character
  // after a name character starts nothing).
  let readsWords = triggerState >= 0 || routines !== undefined;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (readsWords && c !== SEMICOLON && !isWhiteSpace(c) && !startsComment(text, i, c)) {
      const first =
        (i === opaqueEnd || !followsNamePart(text, i, table)) && !opensEscapeString(text, i, c, rules.escapeStrings)
          ? nameStartLength(text, i, table)
          : 0;
      if (first > 0) {
        // A bare word: skipped whole, so that only its class matters (no character of it starts a construct here).
        const end = endOfNameParts(text, i + first, table);
        if (triggerState >= 0) triggerState = afterTriggerToken(triggerState, wordToken(text, i, end));
        if (routines) routineWord(routines, text, i, end);
        readsWords = wordsMatter(triggerState, routines);
        hasCode = true;
        i = end;
        continue;
      }
      if (triggerState >= 0) {
        triggerState = afterTriggerToken(triggerState, TriggerToken.Other);
        readsWords = triggerStateReadsTokens(triggerState);
      }
      if (routines && (c === LEFT_PARENTHESIS || c === RIGHT_PARENTHESIS)) {
        routineParenthesis(routines, c === LEFT_PARENTHESIS ? 1 : -1);
      }
    }
    switch (c) {
      case SINGLE_QUOTE:
        hasCode = true;
        i = rules.backslashEscapes ? endOfEscapedString(text, i, i, c) : endOfDoubledQuote(text, i, "'", c, STRING);
        opaqueEnd = i;
        break;
      case DOUBLE_QUOTE:
        hasCode = true;
        i = rules.doubleQuotedStrings
          ? endOfEscapedString(text, i, i, c)
          : endOfDoubledQuote(text, i, '"', c, IDENTIFIER);
        opaqueEnd = i;
        break;
      case BACKTICK:
      case LEFT_BRACKET:
        hasCode = true;
        if (c === BACKTICK ? rules.backtickIdentifiers : rules.bracketIdentifiers) {
          i =
            c === BACKTICK
              ? endOfDoubledQuote(text, i, '`', c, IDENTIFIER)
              : endOfDoubledQuote(text, i, ']', 0x5d, IDENTIFIER);
          opaqueEnd = i;
        } else {
          i++;
        }
        break;
      case UPPER_E:
      case LOWER_E:
        hasCode = true;
        if (
          rules.escapeStrings &&
          text.charCodeAt(i + 1) === SINGLE_QUOTE &&
          (i === opaqueEnd || !followsNamePart(text, i, table))
        ) {
          i = endOfEscapedString(text, i, i + 1, SINGLE_QUOTE);
          opaqueEnd = i;
        } else {
          i++;
        }
        break;
      case DASH:
        // MySQL wants white space or a control character after `--`; `!(NaN > SPACE)` also accepts the text's end.
        if (text.charCodeAt(i + 1) === DASH && (!rules.dashCommentNeedsSpace || !(text.charCodeAt(i + 2) > SPACE))) {
          i = opaqueEnd = endOfLineComment(text, i + 2);
        } else {
          hasCode = true;
          i++;
        }
        break;
      case HASH:
        if (rules.hashComments) {
          i = opaqueEnd = endOfLineComment(text, i + 1);
        } else {
          hasCode = true;
          i++;
        }
        break;
      case SLASH:
        if (text.charCodeAt(i + 1) === STAR) {
          const opener = rules.executableComments ? executableCommentOpenerLength(text, i) : 0;
          if (opener === 0) {
            i = opaqueEnd = endOfBlockComment(text, i, rules);
          } else {
            // Inside an executable comment the server ignores another opener: the first `*/` closes both.
            if (executableStart < 0) executableStart = i;
            i = opaqueEnd = i + opener;
          }
        } else {
          hasCode = true;
          i++;
        }
        break;
      case DOLLAR: {
        hasCode = true;
        const end =
          rules.dollarQuotes && (i === opaqueEnd || !followsNamePart(text, i, table)) ? endOfDollarQuote(text, i) : -1;
        if (end < 0) {
          i++;
        } else {
          i = opaqueEnd = end;
        }
        break;
      }
      case AT:
        hasCode = true;
        i = atSign(text, i, i !== opaqueEnd && followsNamePart(text, i, table), table, parameters);
        break;
      case STAR:
        if (executableStart >= 0 && text.charCodeAt(i + 1) === SLASH) {
          executableStart = -1;
          i = opaqueEnd = i + 2;
        } else {
          hasCode = true;
          i++;
        }
        break;
      case SEMICOLON:
        if (routines && !routineSemicolon(routines)) {
          i++;
          break;
        }
        if (triggerState >= 0) {
          triggerState = afterTriggerToken(triggerState, TriggerToken.Semicolon);
          readsWords = triggerStateReadsTokens(triggerState);
          if (isInsideTriggerBody(triggerState)) {
            i++;
            break;
          }
        }
        if (routines) readsWords = true; // the next statement's first words tell whether it defines a routine
        executableStart = -1;
        statementEnds.push(i);
        statementHasCode.push(hasCode);
        hasCode = false;
        i++;
        break;
      default:
        if (!hasCode && !isWhiteSpace(c)) hasCode = true;
        i++;
    }
  }
  if (executableStart >= 0) throw unterminated('executable comment', executableStart);
  statementHasCode.push(hasCode);
  return { parameters, statementEnds, statementHasCode };
}

/** Whether the next words can change the trigger-body (SQLite) or routine-body (PostgreSQL) state. */
function wordsMatter(triggerState: number, routines: RoutineBodyState | undefined): boolean {
  return triggerState >= 0
    ? triggerStateReadsTokens(triggerState)
    : routines !== undefined && routineReadsWords(routines);
}

/** Whether `E'…'` (an escape string, PostgreSQL) starts at `i`: its `E` is not a word. */
function opensEscapeString(text: string, i: number, c: number, escapeStrings: boolean): boolean {
  return escapeStrings && (c === UPPER_E || c === LOWER_E) && text.charCodeAt(i + 1) === SINGLE_QUOTE;
}

/** Whether a `--` or `/*` comment starts at `i` (`c` is its character), for the trigger-body state machine. */
function startsComment(text: string, i: number, c: number): boolean {
  return (c === DASH && text.charCodeAt(i + 1) === DASH) || (c === SLASH && text.charCodeAt(i + 1) === STAR);
}

/** Handles the `@` at `at`: records a parameter reference when it is one; returns where scanning resumes. */
function atSign(
  text: string,
  at: number,
  inWord: boolean,
  table: Uint8Array,
  parameters: ParameterReference[],
): number {
  if (text.charCodeAt(at + 1) === AT) {
    // `@@name` is a system variable however many `@` lead it; skip the whole word so no `@` in it is a reference.
    let j = at + 2;
    while (text.charCodeAt(j) === AT) j++;
    return endOfNameParts(text, j, table);
  }
  if (inWord) return at + 1;
  const first = nameStartLength(text, at + 1, table);
  if (first === 0) return at + 1;
  const end = endOfNameParts(text, at + 1 + first, table);
  parameters.push({ name: text.slice(at + 1, end), start: at, end });
  return end;
}
