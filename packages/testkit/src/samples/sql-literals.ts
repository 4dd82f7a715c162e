/** Writes a JS string as a SQL literal of the engine (`'O''Brien'`, `N'O''Brien'`). */
export type TextLiteral = (text: string) => string;

/** Writes bytes given as lower-case hex digits as a SQL expression of the engine (`0x00ff`, `decode('00ff', 'hex')`). */
export type HexLiteral = (hex: string) => string;

/** A standard SQL string literal: `'…'`, with each quote doubled. */
export const sqlString: TextLiteral = (text) => `'${text.replaceAll("'", "''")}'`;

/** A national-character string literal (SQL Server's `N'…'`), for Unicode text in `nvarchar`, `nchar` and `xml`. */
export const nationalSqlString: TextLiteral = (text) => `N${sqlString(text)}`;
