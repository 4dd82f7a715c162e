import { ArgumentError } from '../errors/errors.js';
import { asciiNameTable } from './sql-characters.js';
import { SqlDialect } from './sql-dialect.js';

/**
 * The lexical switches {@link scanSql} needs for one {@link SqlDialect}: a table of flags rather than a class per
 * dialect, so that the scanner stays one loop.
 * @internal
 */
export interface SqlDialectRules {
  /** `'…'` (and, where a string, `"…"`) honour backslash escapes as well as doubled quotes (MySQL). */
  readonly backslashEscapes: boolean;
  /** `"…"` is a string literal rather than a quoted identifier (MySQL without ANSI_QUOTES). */
  readonly doubleQuotedStrings: boolean;
  /** `E'…'` / `e'…'` strings with backslash escapes (PostgreSQL). */
  readonly escapeStrings: boolean;
  /** `$$…$$` and `$tag$…$tag$` (PostgreSQL). */
  readonly dollarQuotes: boolean;
  /** `` `ident` `` (MySQL). */
  readonly backtickIdentifiers: boolean;
  /** `[ident]` (T-SQL). */
  readonly bracketIdentifiers: boolean;
  /** `#` starts a comment (MySQL). */
  readonly hashComments: boolean;
  /** `--` starts a comment only when white space, a control character or the end of the text follows (MySQL). */
  readonly dashCommentNeedsSpace: boolean;
  /** `/* *\/` comments nest (PostgreSQL, T-SQL). */
  readonly nestedComments: boolean;
  /**
   * `/*! … *\/`, `/*!50100 … *\/` and `/*M! … *\/` are code the server runs, not comments: their bodies are scanned
   * as SQL (MySQL, MariaDB).
   */
  readonly executableComments: boolean;
  /**
   * A `;` inside a trigger body (`CREATE TRIGGER … BEGIN …; END`) does not end the statement, as SQLite's
   * `sqlite3_complete()` tells (SQLite).
   */
  readonly triggerBodies: boolean;
  /**
   * A `;` inside an SQL-standard routine body (`CREATE FUNCTION … BEGIN ATOMIC …; END`) does not end the statement,
   * as psql tells (PostgreSQL 14+).
   */
  readonly routineBodies: boolean;
  /** ASCII classification of parameter-name characters, built by {@link asciiNameTable}. */
  readonly nameTable: Uint8Array;
}

const PLAIN = {
  backslashEscapes: false,
  doubleQuotedStrings: false,
  escapeStrings: false,
  dollarQuotes: false,
  backtickIdentifiers: false,
  bracketIdentifiers: false,
  hashComments: false,
  dashCommentNeedsSpace: false,
  nestedComments: false,
  executableComments: false,
  triggerBodies: false,
  routineBodies: false,
} as const;

// Name characters: letters, digits, `_` and `$` everywhere (all three engines allow `$` in identifiers). T-SQL also
// allows `#` and `@` inside a variable name; in MySQL `#` starts a comment and in PostgreSQL it is the XOR operator.
const RULES: Readonly<Record<SqlDialect, SqlDialectRules>> = {
  [SqlDialect.PostgreSQL]: {
    ...PLAIN,
    escapeStrings: true,
    dollarQuotes: true,
    nestedComments: true,
    routineBodies: true,
    nameTable: asciiNameTable(''),
  },
  [SqlDialect.MySQL]: {
    ...PLAIN,
    backslashEscapes: true,
    doubleQuotedStrings: true,
    backtickIdentifiers: true,
    hashComments: true,
    dashCommentNeedsSpace: true,
    executableComments: true,
    nameTable: asciiNameTable(''),
  },
  [SqlDialect.TransactSql]: {
    ...PLAIN,
    bracketIdentifiers: true,
    nestedComments: true,
    nameTable: asciiNameTable('#@'),
  },
  [SqlDialect.SQLite]: {
    ...PLAIN,
    backtickIdentifiers: true,
    bracketIdentifiers: true,
    triggerBodies: true,
    nameTable: asciiNameTable(''),
  },
  [SqlDialect.Generic]: { ...PLAIN, nameTable: asciiNameTable('') },
};

/** The rules of `dialect`; throws {@link ArgumentError} for a value that is not a {@link SqlDialect}. */
export function sqlDialectRules(dialect: SqlDialect): SqlDialectRules {
  const rules = Object.hasOwn(RULES, dialect) ? RULES[dialect] : undefined;
  if (rules === undefined) throw new ArgumentError(`Unknown SQL dialect '${String(dialect)}'.`, 'dialect');
  return rules;
}
