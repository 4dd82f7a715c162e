/**
 * The code of the worker thread that owns one SQLite connection. The engine is synchronous, so it runs here and never
 * on the application's event loop. The function is serialised with `toString()` and evaluated as the worker's script
 * (Node 20 cannot start a worker from TypeScript source), so it must reference nothing outside its own body; its
 * types come from `sqlite-worker-protocol.ts`.
 *
 * Each statement starts with libsql's asynchronous `iterate`, which steps to the first row on libsql's own thread:
 * meanwhile this worker's event loop is free, so an `interrupt` message reaches `sqlite3_interrupt` while the engine
 * computes. Later rows are read in batches; an interrupt sent meanwhile stops the statement at the next batch.
 *
 * That `iterate` is the only asynchronous step of a statement that has been run before: prepared statements are
 * kept per SQL text (libsql's `prepare` is a thread hop of its own), and the change counters of a statement without
 * rows are read with the synchronous `get` (a one-row query that cannot run long).
 * @internal
 */
export function sqliteWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = threads.parentPort!;
  const Database = require((threads.workerData as { driver: string }).driver) as new (
    path: string,
    options: Record<string, unknown>,
  ) => LibsqlDatabase;
  /* eslint-enable @typescript-eslint/no-require-imports */

  interface LibsqlStatement {
    readonly reader: boolean;
    raw(toggle?: boolean): LibsqlStatement;
    safeIntegers(toggle?: boolean): LibsqlStatement;
    columns(): Array<{ name: string; type: string | null; table: string | null; column: string | null }>;
    iterate(parameters: unknown): Promise<Iterator<unknown[]>>;
    get(parameters: unknown): unknown[] | undefined;
  }
  interface LibsqlDatabase {
    prepare(sql: string): Promise<LibsqlStatement>;
    exec(sql: string): Promise<void>;
    interrupt(): void;
    close(): void;
    readonly inTransaction: boolean;
  }

  let db: LibsqlDatabase | undefined;
  let cursor: Iterator<unknown[]> | undefined;
  let counters: LibsqlStatement | undefined;
  /**
   * Prepared statements by SQL text, least recently used first (a Map keeps insertion order). SQLite re-prepares a
   * kept statement itself when the schema changed, so one stays valid; the bound only limits memory.
   */
  const statements = new Map<string, LibsqlStatement>();
  const MAX_STATEMENTS = 100;
  /** `total_changes()` after the last statement without rows, or undefined when something else ran since. */
  let lastTotalChanges: number | undefined;
  /** The PRAGMAs `reset` puts back, with their values right after `open`. */
  let pragmas: Array<[string, unknown]> = [];

  function take(rows: Iterator<unknown[]>, maxRows: number): { rows: unknown[][]; done: boolean } {
    const batch: unknown[][] = [];
    while (batch.length < maxRows) {
      const next = rows.next();
      if (next.done) return { rows: batch, done: true };
      batch.push(next.value);
    }
    return { rows: batch, done: false };
  }

  /**
   * `changes()` and `total_changes()` of the connection. `get` steps the one row and resets the statement, so it is
   * not left running (a running statement would keep a later interrupt pending); it is synchronous, which a one-row
   * read of two counters can afford.
   */
  async function changeCounters(database: LibsqlDatabase): Promise<[number, number]> {
    counters ??= (await database.prepare('SELECT changes(), total_changes()')).raw(true);
    return counters.get([]) as [number, number];
  }

  /** The prepared statement of `sql`, kept for the next execution of the same text. */
  async function prepared(database: LibsqlDatabase, sql: string): Promise<LibsqlStatement> {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last.
      statements.delete(sql);
    } else {
      statement = await database.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  }

  /** `pk` and `notnull` of a table column (`PRAGMA table_info`), for `CommandBehavior.KeyInfo`. */
  async function keyInfo(database: LibsqlDatabase, table: string, column: string): Promise<[number, number]> {
    const query = (await database.prepare('SELECT pk, "notnull" FROM pragma_table_info(?) WHERE name = ?')).raw(true);
    const [row] = take(await query.iterate([table, column]), 2).rows as [[number, number]?];
    return row ?? [0, 0];
  }

  /**
   * Ends a statement whose rows were not all read, so it holds no lock and no longer counts as running (SQLite keeps
   * an interrupt pending while any statement runs). libsql offers no reset: after the interrupt, the statement's next
   * step fails and halts it. The iterator serves up to 100 rows it already holds before it steps again.
   */
  function abandon(rows: Iterator<unknown[]>, database: LibsqlDatabase): void {
    database.interrupt();
    try {
      for (let read = 0; read <= 100; read += 1) if (rows.next().done) return;
    } catch {
      // SQLITE_INTERRUPT: the statement is halted.
    }
  }

  /** The result columns of `statement`, with key information when the request asks for it. */
  async function describe(
    database: LibsqlDatabase,
    statement: LibsqlStatement,
    request: Record<string, unknown>,
  ): Promise<Array<Record<string, unknown>>> {
    const columns: Array<Record<string, unknown>> = statement.columns().map((column) => ({
      name: column.name,
      declaredType: column.type,
      table: column.table,
      column: column.column,
    }));
    if (request.keyInfo) {
      for (const column of columns) {
        if (column.table === null || column.column === null) continue;
        const info = await keyInfo(database, column.table as string, column.column as string);
        column.isKey = info[0] > 0;
        column.notNull = info[1] > 0;
      }
    }
    return columns;
  }

  /** Every row of a query (small results only: catalog reads of the reset). */
  async function all(database: LibsqlDatabase, sql: string): Promise<unknown[][]> {
    return take(await (await database.prepare(sql)).raw(true).iterate([]), Number.POSITIVE_INFINITY).rows;
  }

  /** A double-quoted identifier. */
  function quote(name: unknown): string {
    return `"${String(name).replaceAll('"', '""')}"`;
  }

  /** A PRAGMA value as a literal. */
  function literal(value: unknown): string {
    return typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value);
  }

  /** The reset of a pooled session (see `ResetRequest`). */
  async function reset(database: LibsqlDatabase): Promise<null> {
    if (cursor) abandon(cursor, database);
    cursor = undefined;
    lastTotalChanges = undefined;
    if (database.inTransaction) await database.exec('ROLLBACK');
    for (const [name] of await all(database, "SELECT name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')")) {
      await database.exec(`DETACH DATABASE ${quote(name)}`);
    }
    const temporary = await all(
      database,
      "SELECT type, name FROM temp.sqlite_schema WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%' " +
        "ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END",
    );
    for (const [type, name] of temporary) await database.exec(`DROP ${String(type).toUpperCase()} IF EXISTS temp.${quote(name)}`);
    for (const [name, value] of pragmas) {
      const [current] = (await all(database, `PRAGMA ${name}`))[0] ?? [];
      if (current !== value) await database.exec(`PRAGMA ${name} = ${literal(value)}`);
    }
    await database.exec('PRAGMA case_sensitive_like = 0');
    return null;
  }

  async function handle(request: Record<string, unknown>): Promise<unknown> {
    switch (request.op) {
      case 'open': {
        db = new Database(request.path as string, {
          readonly: request.readonly,
          fileMustExist: request.fileMustExist,
          timeout: (request.busyTimeoutMs as number) / 1000,
          ...(request.encryptionKey ? { encryptionKey: request.encryptionKey } : {}),
        });
        await db.exec(`PRAGMA busy_timeout = ${Number(request.busyTimeoutMs)}`);
        for (const sql of request.setup as string[]) await db.exec(sql);
        pragmas = [];
        for (const name of request.restoredPragmas as string[]) pragmas.push([name, (await all(db, `PRAGMA ${name}`))[0]?.[0]]);
        // Reads the schema once, so a wrong Password (encryption key) or a file that is no database fails the open.
        take(await (await db.prepare('SELECT count(*) FROM sqlite_schema')).raw(true).iterate([]), 2);
        const query = (await db.prepare('SELECT sqlite_version()')).raw(true);
        const [row] = take(await query.iterate([]), 2).rows as [[string]];
        return { version: row[0] };
      }
      case 'execute': {
        const database = db!;
        if (cursor) abandon(cursor, database);
        cursor = undefined;
        // SchemaOnly describes without stepping: a fresh statement, whose columns are those of the current schema (a
        // kept one learns a schema change only when it steps).
        const statement = request.schemaOnly
          ? await database.prepare(request.sql as string)
          : await prepared(database, request.sql as string);
        if (request.schemaOnly) return { columns: await describe(database, statement, request), rows: [], done: true, changes: -1 };
        if (statement.reader) {
          lastTotalChanges = undefined;
          statement.raw(true).safeIntegers(true);
          const rows = await statement.iterate(request.parameters);
          const batch = take(rows, request.maxRows as number);
          if (!batch.done) cursor = rows;
          return { columns: await describe(database, statement, request), ...batch, changes: -1 };
        }
        // total_changes() before is the value after the last statement without rows, unless anything ran since.
        const totalBefore = lastTotalChanges ?? (await changeCounters(database))[1];
        lastTotalChanges = undefined;
        take(await statement.iterate(request.parameters), Number.POSITIVE_INFINITY);
        const [changes, totalAfter] = await changeCounters(database);
        lastTotalChanges = totalAfter;
        return { columns: [], rows: [], done: true, changes: totalAfter === totalBefore ? 0 : changes };
      }
      case 'fetch': {
        if (!cursor) return { rows: [], done: true };
        const batch = take(cursor, request.maxRows as number);
        if (batch.done) cursor = undefined;
        return batch;
      }
      case 'closeCursor': {
        if (cursor && db) abandon(cursor, db);
        cursor = undefined;
        return null;
      }
      case 'reset':
        return reset(db!);
      case 'close': {
        cursor = undefined;
        statements.clear();
        db?.close();
        db = undefined;
        return null;
      }
      default:
        throw new Error(`Unknown request ${String(request.op)}.`);
    }
  }

  port.on('message', (request: Record<string, unknown>) => {
    if (request.op === 'interrupt') {
      db?.interrupt();
      return;
    }
    handle(request).then(
      (result) => port.postMessage({ id: request.id, ok: true, result }),
      (error: { message?: unknown; code?: unknown; rawCode?: unknown }) => {
        // Only a failed fetch leaves `cursor` set here, and its statement has halted with the error. It must not be
        // abandoned: stepping a halted statement again makes SQLite reset and re-run it, leaving it running — and
        // with one statement running, every later sqlite3_interrupt stays pending and fails the next statements.
        cursor = undefined;
        port.postMessage({
          id: request.id,
          ok: false,
          error: {
            message: String(error?.message ?? error),
            code: typeof error?.code === 'string' ? error.code : undefined,
            rawCode: typeof error?.rawCode === 'number' ? error.rawCode : undefined,
          },
        });
      },
    );
  });
}
