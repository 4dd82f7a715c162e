/** `"name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'` with embedded quotes doubled (standard_conforming_strings is on, so backslashes are literal). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `#t` → `"#t"`: temporary tables keep their T-SQL name (case-folded), which cannot clash with a permanent table. */
export function temporaryName(name: string): string {
  return quoteIdent(name.toLowerCase());
}

/**
 * The PostgreSQL name `to_regclass` needs for a T-SQL object name given as a string (`'dbo.Users'`,
 * `'[t]'`, `'tempdb..#t'`): schema and database parts dropped, case folded, temporary names quoted.
 */
export function regclassName(tsqlName: string): string {
  const parts = tsqlName.split('.').map((p) => p.trim().replace(/^\[(.*)\]$/s, '$1').replace(/^"(.*)"$/s, '$1'));
  const last = (parts[parts.length - 1] ?? '').toLowerCase();
  return quoteIdent(last);
}
