/** Reads a duration as `formatDuration` writes it (`912 ms`, `1.83 s`) back into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^([\d.]+) (ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`Not a duration: '${text}'`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/** The first capture of `pattern` in `text`, or an error that shows the text. */
export function capture(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`${pattern} not found in:\n${text}`);
  return match[1];
}
