import type { DbDataReader } from './db-data-reader.js';

/**
 * The XML a command returned, streamed in the chunks the server sent (one per row, as SQL Server splits
 * `FOR XML` output). Mirrors what `SqlCommand.ExecuteXmlReader` gives, without an XML parser in core:
 * read the text with {@link DbXmlReader.readToEnd} or iterate the chunks, then hand them to the parser you use.
 */
export class DbXmlReader implements AsyncIterable<string>, AsyncDisposable {
  readonly #reader: DbDataReader;

  /** @internal Created by `DbCommand.executeXmlReader` only. */
  constructor(reader: DbDataReader) {
    this.#reader = reader;
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#reader.isClosed;
  }

  /** The whole XML text; closes the reader. */
  async readToEnd(): Promise<string> {
    const parts: string[] = [];
    for await (const chunk of this) parts.push(chunk);
    return parts.join('');
  }

  /** Yields the XML text chunk by chunk; closes the reader at the end, on break and on error. */
  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    try {
      while (await this.#reader.read()) {
        if (!this.#reader.isDBNull(0)) yield String(this.#reader.getValue(0));
      }
    } finally {
      await this.close();
    }
  }

  /** Closes the reader and releases the connection. */
  close(): Promise<void> {
    return this.#reader.close();
  }

  /** Closes the reader (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
