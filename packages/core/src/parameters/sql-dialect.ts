/**
 * The SQL lexical rules {@link scanSql} follows to tell code from literals, quoted identifiers and comments.
 *
 * - `postgresql`: `'…'` with `''`; `E'…'` with backslash escapes; `"ident"` with `""`; dollar quotes `$$…$$` and
 *   `$tag$…$tag$`; `--` comments; nested `/* *\/` comments. A `;` inside an SQL-standard routine body
 *   (`CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC …; END`) does not end the statement, as psql reads it. Assumes `standard_conforming_strings = on` (the
 *   default since 9.1), so a backslash escapes nothing in a plain `'…'` literal.
 * - `mysql`: `'…'` and `"…"` strings with backslash escapes and doubled quotes; `` `ident` `` with doubled
 *   backticks; `-- ` comments (whitespace or the end of the text must follow the dashes), `#` comments,
 *   non-nested `/* *\/` comments; `@@system` variables. Executable comments — `/*! … *\/`, versioned `/*!50100 … *\/`
 *   and MariaDB's `/*M! … *\/`, `/*M!100100 … *\/` — are code: the server runs their bodies, so their `@name` are
 *   references and their `;` end statements (the server ends a statement there too). Assumes `NO_BACKSLASH_ESCAPES`
 *   is off.
 * - `tsql`: `'…'` and `N'…'` with `''`; `"ident"` with `""`; `[ident]` with `]]`; `--` comments; nested
 *   `/* *\/` comments; `@@ROWCOUNT`-style globals.
 * - `sqlite`: `'…'` with `''`; `"ident"`, `` `ident` `` and `[ident]`; `--` and non-nested `/* *\/` comments. A `;`
 *   inside the body of `CREATE [TEMP] TRIGGER … BEGIN …; …; END` does not end the statement: the statement ends as
 *   `sqlite3_complete()` says (see {@link scanSql}).
 * - `generic`: ANSI `'…'` and `"ident"` with doubled quotes, `--` and non-nested `/* *\/` comments.
 */
export const SqlDialect = {
  PostgreSQL: 'postgresql',
  MySQL: 'mysql',
  TransactSql: 'tsql',
  SQLite: 'sqlite',
  Generic: 'generic',
} as const;
/** One of the {@link SqlDialect} values. */
export type SqlDialect = (typeof SqlDialect)[keyof typeof SqlDialect];
