/**
 * The "database" of the example provider: a toy in-process engine standing in for the driver a real provider
 * wraps. It knows four statements, enough to show every hook of a provider:
 *
 * - `SELECT $1, $2, …` (or integer literals): one row echoing its values, columns `c1`, `c2`, …
 * - `SERIES <n|$1>`: `n` rows of one Int32 column `n`, produced lazily (a cursor must stream, not buffer)
 * - `SLEEP <ms|$1>`: waits, interruptible ({@link ToySession.interrupt}); no rows
 * - `INSERT <n|$1>`: pretends to insert `n` rows; no rows, `n` rows affected
 *
 * Anything else fails with a {@link ToyEngineError} of code `SYNTAX`; `FAIL '<code>'` fails with that code.
 */

/** The engine's own error, as a driver would throw it: a code, no SQLSTATE. */
export class ToyEngineError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ToyEngineError';
  }
}

/** The engine's column types. */
export type ToyType = 'int' | 'bigint' | 'double' | 'text' | 'bool' | 'timestamp' | 'bytes' | 'json';

/** A result column as the engine describes it. */
export interface ToyColumn {
  readonly name: string;
  readonly type: ToyType;
}

/** What one statement produces: rows (described by their columns) or a count. */
export type ToyResult =
  | { readonly kind: 'rows'; readonly columns: readonly ToyColumn[]; readonly rows: Iterator<unknown[]> }
  | { readonly kind: 'count'; readonly affected: number };

/** A session of the toy engine: what a driver's connection object is to a real provider. */
export class ToySession {
  static #nextId = 1;
  /** The session id, as a server's backend pid or thread id. */
  readonly id = ToySession.#nextId++;
  /** Transaction statements the session received, in order (the example's tests read it). */
  readonly transactionLog: string[] = [];
  #interrupt: (() => void) | undefined;
  #closed = false;

  constructor(readonly database: string) {}

  /** Runs one statement with its positional values (`$1` is `values[0]`). */
  async run(text: string, values: readonly unknown[]): Promise<ToyResult> {
    if (this.#closed) throw new ToyEngineError('The session is closed.', 'CLOSED');
    const [verb = '', ...rest] = text.trim().split(/\s+/);
    const operands = rest.join(' ');
    switch (verb.toUpperCase()) {
      case 'SELECT': {
        const items = operands.split(',').map((item) => operand(item.trim(), values));
        const columns = items.map((value, i) => ({ name: `c${i + 1}`, type: typeOf(value) }));
        return { kind: 'rows', columns, rows: [items][Symbol.iterator]() };
      }
      case 'SERIES':
        return {
          kind: 'rows',
          columns: [{ name: 'n', type: 'int' }],
          rows: series(Number(operand(operands, values))),
        };
      case 'SLEEP':
        await this.#sleep(Number(operand(operands, values)));
        return { kind: 'count', affected: -1 };
      case 'INSERT':
        return { kind: 'count', affected: Number(operand(operands, values)) };
      case 'FAIL':
        throw new ToyEngineError(`Failure requested: ${operands}`, String(operand(operands, values)));
      case 'BEGIN':
      case 'COMMIT':
      case 'ROLLBACK':
        this.transactionLog.push(text);
        return { kind: 'count', affected: -1 };
      default:
        throw new ToyEngineError(`Syntax error at or near "${verb}".`, 'SYNTAX');
    }
  }

  /** Describes the columns a statement would return, without running it (no side effects). */
  describe(text: string, values: readonly unknown[]): readonly ToyColumn[] {
    const [verb = '', ...rest] = text.trim().split(/\s+/);
    switch (verb.toUpperCase()) {
      case 'SELECT':
        return rest
          .join(' ')
          .split(',')
          .map((item, i) => ({ name: `c${i + 1}`, type: typeOf(operand(item.trim(), values)) }));
      case 'SERIES':
        return [{ name: 'n', type: 'int' }];
      default:
        return [];
    }
  }

  /** Stops the statement that runs, as a server-side cancel would; it then fails with code `INTERRUPTED`. */
  interrupt(): void {
    this.#interrupt?.();
  }

  /** Ends the session. */
  close(): void {
    this.#closed = true;
    this.interrupt();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#interrupt = undefined;
        resolve();
      }, ms);
      this.#interrupt = () => {
        clearTimeout(timer);
        this.#interrupt = undefined;
        reject(new ToyEngineError('The statement was interrupted.', 'INTERRUPTED'));
      };
    });
  }
}

/** `$n` → the n-th value; an integer literal → its number; a quoted string → its text. */
function operand(item: string, values: readonly unknown[]): unknown {
  const marker = /^\$(\d+)$/.exec(item);
  if (marker) return values[Number(marker[1]) - 1];
  if (/^-?\d+$/.test(item)) return Number(item);
  const quoted = /^'((?:[^']|'')*)'$/.exec(item);
  if (quoted) return (quoted[1] ?? '').replaceAll("''", "'");
  throw new ToyEngineError(`Syntax error at or near "${item}".`, 'SYNTAX');
}

/** The column type of a value (NULL reads as text, as an untyped NULL does in most engines). */
function typeOf(value: unknown): ToyType {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 2 ** 31 ? 'int' : 'double';
  if (typeof value === 'bigint') return 'bigint';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'timestamp';
  if (value instanceof Uint8Array) return 'bytes';
  if (value !== null && typeof value === 'object') return 'json';
  return 'text';
}

function* series(count: number): Iterator<unknown[]> {
  for (let n = 1; n <= count; n += 1) yield [n];
}
