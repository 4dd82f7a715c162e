/**
 * Keeps the last lines of a chunked log stream, so a server can run quietly and still explain
 * itself when it fails. Chunks may end mid-line; the partial line is kept until it completes.
 */
export class LogTail {
  readonly #maxLines: number;
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #lines: string[] = [];
  #partial = '';

  /**
   * @param maxLines how many complete lines to keep; older ones are dropped.
   * @param onLine called with each complete, non-blank line as it arrives.
   */
  constructor(maxLines = 50, onLine?: (line: string) => void) {
    this.#maxLines = maxLines;
    this.#onLine = onLine;
  }

  /** Adds a chunk of log output. */
  push(chunk: string): void {
    const parts = (this.#partial + chunk).split(/\r?\n/);
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      this.#lines.push(line);
      if (this.#lines.length > this.#maxLines) this.#lines.shift();
      this.#onLine?.(line);
    }
  }

  /** The kept lines, oldest first, including an unfinished last line. */
  lines(): string[] {
    return this.#partial.trim() === '' ? [...this.#lines] : [...this.#lines, this.#partial];
  }

  /** The kept lines joined with newlines. */
  toString(): string {
    return this.lines().join('\n');
  }
}
