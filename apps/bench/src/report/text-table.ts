/** Column alignment. */
export type Align = 'left' | 'right';

/**
 * Renders rows as a plain-text table with a header and a rule, each column as wide as its widest cell, for stdout.
 */
export function renderTextTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly Align[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** Renders rows as a GitHub-flavoured Markdown table. Pipes inside cells are escaped. */
export function renderMarkdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly Align[]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `| ${align.map((side) => (side === 'right' ? '---:' : '---')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
