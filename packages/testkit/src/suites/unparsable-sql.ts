/**
 * A statement no SQL engine can parse: an unclosed parenthesis after a keyword every engine knows. Not `SELEC 1`
 * or a lone word: SQL Server reads a batch whose first word is no keyword as a call of the procedure of that name
 * (error 2812, an undefined object, not a syntax error).
 */
export const UNPARSABLE_SQL = 'SELECT (1';
