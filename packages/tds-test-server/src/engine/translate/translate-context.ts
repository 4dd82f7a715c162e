import type { TdsColumn } from '../engine-types.js';

/**
 * What the translator needs from the session while it rewrites one statement: T-SQL variables become
 * PostgreSQL bind parameters (`$1::integer`), system functions (`@@SPID`, `DB_NAME()`) become parameters
 * holding the session's values, and OBJECT_ID can see the engine's procedures.
 */
export interface TranslateContext {
  /**
   * Binds the variable `@name`; returns the PostgreSQL expression. Throws 137 for an undeclared variable.
   * `implicit` marks a place where SQL Server converts a string implicitly to the type of a column (an
   * INSERT VALUES element, `column = @v`): a string variable is then bound without a cast, so PostgreSQL
   * reads its text as the column's type, as SQL Server would convert it.
   */
  variable(name: string, line: number, implicit?: boolean): string;
  /** The declared type of `@name`, if it is declared (used to read `+` as concatenation). */
  variableType(name: string): TdsColumn | undefined;
  /**
   * Binds the value of a system function or variable (`@@VERSION`, `@@SPID`, `@@ROWCOUNT`, `@@TRANCOUNT`,
   * `@@ERROR`, `DB_NAME`, `SUSER_SNAME`, `ERROR_MESSAGE`…), upper case without `@@`/parentheses.
   * Returns undefined when the name is unknown.
   */
  system(name: string): string | undefined;
  /** True when a procedure of that (normalised) name exists. */
  hasProcedure(name: string): boolean;
}
