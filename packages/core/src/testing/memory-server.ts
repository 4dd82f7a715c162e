import { DbColumn } from '../contracts/db-column.js';
import type { DbType } from '../contracts/db-type.js';
import type {
  CommandRequest,
  ResultCursor,
  ResultSetHeader,
  StatementRequest,
  TransactionRequest,
} from '../providers/provider-spi.js';
import { DbError, DbErrorCategory } from '../errors/errors.js';
import { inferDbType } from '../values/infer-db-type.js';

/**
 * A scriptable in-memory "server" for core's unit tests. Each statement is a tiny command:
 *
 * - `ROWS n [DELAY ms]` — one result set, column `n` (Int32), rows 1…n produced lazily as they are fetched;
 * - `VALUES <json array of row arrays>` — one result set with columns c0…, types inferred from the first row;
 * - `PARAMS` — one row holding every bound parameter value, one column per parameter;
 * - `EMPTY` — a result set with one column and no rows;
 * - `UPDATE n [DELAY ms]` — no result set, n rows affected;
 * - `DELAY ms` — no result set, after ms (cancellable);
 * - `FAIL message [AFTER n]` — a server error (after n rows, when AFTER is given);
 * - `XML text` — one Xml column holding `text`, one row per space-separated word;
 * - `OUT name value` — sets output parameter `name` to the JSON value (no result set);
 * - `COMMENT` — nothing at all (what a comment-only statement produces);
 * - `TYPED name:DbType,… <json array of row arrays>` — one result set with the declared column types; values are
 *   decoded per type (Int64 from a string or number → bigint, Binary from hex → Uint8Array, DateTime* → Date);
 * - `STUBBORN ms` — no result set, after ms, ignoring cancellation (a provider that does not settle when aborted).
 *
 * The cursors also check the {@link ResultCursor} contract core must honour, and record every breach in
 * {@link MemoryServer.violations} (tests assert it stays empty).
 * @internal
 */
export class MemoryServer {
  /** Every statement text executed, in order. */
  readonly executed: string[] = [];
  /** Every transaction request, in order. */
  readonly transactions: TransactionRequest[] = [];
  /** Rows produced by ROWS so far (to check that readers stream instead of buffering). */
  rowsProduced = 0;
  /** Cancels the server acknowledged. */
  cancellations = 0;
  /** Sessions currently open. */
  openSessions = 0;
  /** Sessions destroyed instead of returned (closeCore with broken = true). */
  destroyedSessions = 0;
  /** Cursors handed to core. */
  cursorsOpened = 0;
  /** Cursors core closed. */
  cursorsClosed = 0;
  /** Aborts a `STUBBORN` statement ignored. */
  ignoredCancels = 0;
  /** Breaches of the ResultCursor contract by core (fetch without a current result, use after close, …). */
  readonly violations: string[] = [];
  /** How long `executeCore` takes before it hands back a cursor (cancellable), to abort a command while it starts. */
  executeDelayMs = 0;

  /** Starts executing a request, as a provider's `executeCore` would. */
  async execute(request: CommandRequest): Promise<ResultCursor> {
    for (const statement of request.statements) this.executed.push(statement.text);
    if (this.executeDelayMs > 0) await delay(this.executeDelayMs, request.signal, this);
    const first = request.statements[0];
    // A statement that fails at once fails executeCore itself, as a server error on the first statement does.
    if (first && /^FAIL\s+(?!.*\bAFTER\b)/i.test(first.text)) {
      await delay(1, request.signal, this);
      throw serverError(first.text.replace(/^FAIL\s+/i, ''));
    }
    this.cursorsOpened += 1;
    return new MemoryCursor(this, request);
  }
}

/** A server error the way a provider's converter would produce it. */
export function serverError(message: string): DbError {
  return new DbError(message, { providerName: 'memory', sqlState: '42000', category: DbErrorCategory.SyntaxError });
}

/** Waits `ms`, rejecting as a server would acknowledge a cancel when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal, server: MemoryServer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      server.cancellations += 1;
      reject(new Error('canceling statement due to user request'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      server.cancellations += 1;
      reject(new Error('canceling statement due to user request'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Result {
  readonly columns: DbColumn[];
  readonly rows: () => Generator<unknown[]>;
  readonly failAfter?: { readonly rows: number; readonly message: string };
}

class MemoryCursor implements ResultCursor {
  readonly #server: MemoryServer;
  readonly #request: CommandRequest;
  #statementIndex = -1;
  #rows: Iterator<unknown[]> | undefined;
  #current: Result | undefined;
  #produced = 0;
  #affected = -1;
  /** Rows changed by the statement being read (-1 unless UPDATE). */
  #statementAffected = -1;
  readonly #byStatement: number[] = [];
  readonly #outputs = new Map<string, unknown>();
  #finished = false;
  closed = false;

  constructor(server: MemoryServer, request: CommandRequest) {
    this.#server = server;
    this.#request = request;
  }

  get recordsAffected(): number {
    return this.#affected;
  }

  /** One count per completed statement, as a single-round-trip provider reports them for a batch. */
  get recordsAffectedByStatement(): readonly number[] {
    return this.#byStatement;
  }

  get outputValues(): ReadonlyMap<string, unknown> {
    return this.#outputs;
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    if (this.closed) this.#server.violations.push('nextResult() after close()');
    if (this.#finished) this.#server.violations.push('nextResult() after it resolved null');
    for (;;) {
      if (this.#statementIndex >= 0 && this.#byStatement.length <= this.#statementIndex) {
        this.#byStatement.push(this.#statementAffected);
      }
      this.#statementIndex += 1;
      this.#statementAffected = -1;
      const statement = this.#request.statements[this.#statementIndex];
      if (!statement) {
        this.#current = undefined;
        this.#finished = true;
        return null;
      }
      const result = await this.#run(statement);
      if (result === 'nothing') continue;
      this.#current = result;
      this.#rows = result.rows();
      this.#produced = 0;
      return { columns: result.columns };
    }
  }

  async fetch(maxRows: number): Promise<unknown[][]> {
    if (this.closed) this.#server.violations.push('fetch() after close()');
    else if (!this.#current) this.#server.violations.push('fetch() without a current result set');
    else if (this.#current.columns.length === 0) this.#server.violations.push('fetch() on a result without columns');
    if (!Number.isInteger(maxRows) || maxRows < 1) this.#server.violations.push(`fetch(${maxRows})`);
    await delay(0, this.#request.signal, this.#server);
    const batch: unknown[][] = [];
    const current = this.#current;
    while (current && this.#rows && batch.length < maxRows) {
      if (current.failAfter && this.#produced >= current.failAfter.rows) throw serverError(current.failAfter.message);
      const next = this.#rows.next();
      if (next.done) break;
      this.#produced += 1;
      batch.push(next.value);
    }
    return batch;
  }

  async close(): Promise<void> {
    if (this.closed) this.#server.violations.push('close() called twice');
    else this.#server.cursorsClosed += 1;
    this.closed = true;
    this.#rows = undefined;
  }

  async #run(statement: StatementRequest): Promise<Result | 'nothing'> {
    const text = statement.text.trim();
    const [verb = '', ...rest] = text.split(/\s+/);
    const delayMatch = /\bDELAY\s+(\d+)/i.exec(text);
    if (delayMatch) await delay(Number(delayMatch[1]), this.#request.signal, this.#server);
    switch (verb.toUpperCase()) {
      case 'ROWS': {
        const count = Number(rest[0]);
        const server = this.#server;
        return {
          columns: [column('n', 0, 'Int32')],
          *rows() {
            for (let i = 1; i <= count; i += 1) {
              server.rowsProduced += 1;
              yield [i];
            }
          },
        };
      }
      case 'VALUES': {
        const rows = JSON.parse(text.slice('VALUES'.length)) as unknown[][];
        const first = rows[0] ?? [];
        return {
          columns: first.map((value, index) => column(`c${index}`, index, inferDbType(value))),
          *rows() {
            yield* rows;
          },
        };
      }
      case 'PARAMS':
        return {
          columns: statement.parameters.map((parameter, index) => column(parameter.name, index, parameter.dbType)),
          *rows() {
            yield statement.parameters.map((parameter) => parameter.value);
          },
        };
      case 'EMPTY':
        return { columns: [column('empty', 0, 'Int32')], *rows() {} };
      case 'UPDATE':
        this.#affected = Math.max(this.#affected, 0) + Number(rest[0]);
        this.#statementAffected = Number(rest[0]);
        return { columns: [], *rows() {} };
      case 'DELAY':
        return { columns: [], *rows() {} };
      case 'FAIL': {
        const match = /^FAIL\s+(.*?)\s+AFTER\s+(\d+)$/i.exec(text);
        if (!match) throw serverError(rest.join(' '));
        const server = this.#server;
        return {
          columns: [column('n', 0, 'Int32')],
          failAfter: { rows: Number(match[2]), message: match[1] ?? '' },
          *rows() {
            for (let i = 1; ; i += 1) {
              server.rowsProduced += 1;
              yield [i];
            }
          },
        };
      }
      case 'XML': {
        const words = rest;
        return {
          columns: [column('xml', 0, 'Xml')],
          *rows() {
            for (const word of words) yield [word];
          },
        };
      }
      case 'OUT':
        this.#outputs.set(rest[0] ?? '', JSON.parse(rest.slice(1).join(' ')));
        return 'nothing';
      case 'COMMENT':
        return 'nothing';
      case 'TYPED': {
        const spec = rest[0] ?? '';
        const columns = spec.split(',').map((entry, index) => {
          const [name = '', type = 'String'] = entry.split(':');
          return column(name, index, type as DbType);
        });
        const rows = (JSON.parse(text.slice(text.indexOf(spec) + spec.length)) as unknown[][]).map((row) =>
          row.map((value, index) => decode(value, columns[index]!.dbType)),
        );
        return {
          columns,
          *rows() {
            yield* rows;
          },
        };
      }
      case 'STUBBORN': {
        const ms = Number(rest[0]);
        const signal = this.#request.signal;
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (signal.aborted) this.#server.ignoredCancels += 1;
        return { columns: [], *rows() {} };
      }
      default:
        throw serverError(`syntax error at or near "${verb}"`);
    }
  }
}

function decode(value: unknown, dbType: DbType): unknown {
  if (value === null) return null;
  switch (dbType) {
    case 'Int64':
      return BigInt(value as string | number);
    case 'Binary':
      return new Uint8Array(Buffer.from(value as string, 'hex'));
    case 'DateTime':
    case 'DateTime2':
    case 'DateTimeOffset':
      return new Date(value as string);
    default:
      return value;
  }
}

function column(name: string, ordinal: number, dbType: DbType): DbColumn {
  return new DbColumn({ columnName: name, columnOrdinal: ordinal, dataTypeName: dbType.toLowerCase(), dbType });
}
