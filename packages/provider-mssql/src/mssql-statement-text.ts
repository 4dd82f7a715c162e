/**
 * A command's text as SQL Server receives it: its statements joined by `;` and a newline (a single statement, the
 * common case, as it is — no array, no join). Shared by the command, one-shot and batch paths so they cannot differ.
 */
export function statementText(statements: readonly { readonly text: string }[]): string {
  return statements.length === 1 ? statements[0]!.text : statements.map((statement) => statement.text).join(';\n');
}
