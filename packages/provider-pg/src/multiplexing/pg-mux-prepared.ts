import type { PgFieldDescription } from '../pg-client.js';

/**
 * Statements a multiplexed session prepares at most: a session that holds this many prepares no more (its later
 * commands are parsed each time, as before). Bounds the server memory a session's statements hold,
 * including a statement given up after a schema change made it stale (see {@link PgPreparedStatements.forget}).
 */
export const MAX_PREPARED_PER_SESSION = 256;

/**
 * A statement prepared (or being prepared) on a session: its name, the parameter types it was parsed with, and the
 * columns it returns once its Describe was answered. The server refuses to run it (`0A000`) rather than return other
 * columns, so the columns kept here stay true for as long as it is used.
 */
export class PgPreparedStatement {
  /** Its columns (empty: it returns no rows), from the Describe written with its Parse; undefined when unknown. */
  fields: readonly PgFieldDescription[] | undefined;

  constructor(
    readonly name: string,
    readonly types: readonly number[],
  ) {}

  /** True when it was parsed with exactly these parameter types. */
  fits(types: readonly number[]): boolean {
    const own = this.types;
    if (own.length !== types.length) return false;
    for (let i = 0; i < own.length; i += 1) if (own[i] !== types[i]) return false;
    return true;
  }
}

/**
 * The statements one multiplexed session has prepared under names of its own (Npgsql's automatic preparation,
 * postgres.js's default): a command whose text and parameter types were prepared on its session sends Bind/Execute
 * only, and the server skips parsing and planning it. The session's commands are written back to back, so a
 * statement being prepared is used by name only once its ParseComplete has been read: until then, other commands
 * with the same text are parsed as unnamed statements (a failed Parse would otherwise fail them too).
 *
 * Keyed by the text alone (the same string object every time the translation cache hands it out, so its hash is
 * computed once): a text met with other parameter types is prepared again under a new name, which replaces the first.
 * @internal
 */
export class PgPreparedStatements {
  /** Text → the statement the server has confirmed. */
  readonly #ready = new Map<string, PgPreparedStatement>();
  /** Texts whose Parse is written and not yet answered. */
  readonly #parsing = new Set<string>();
  /** Names given out (each name is used once). */
  #issued = 0;
  /** Statements that exist, or may, on the server: being prepared, ready, replaced, or forgotten as stale. */
  #held = 0;

  /** The statement `text` is prepared as with these parameter types, if it is. */
  find(text: string, types: readonly number[]): PgPreparedStatement | undefined {
    const statement = this.#ready.get(text);
    return statement !== undefined && statement.fits(types) ? statement : undefined;
  }

  /**
   * A new statement to prepare `text` as (its Parse is written now), or undefined when `text` is already being
   * prepared or the session holds {@link MAX_PREPARED_PER_SESSION} statements.
   */
  begin(text: string, types: readonly number[]): PgPreparedStatement | undefined {
    if (this.#parsing.has(text) || this.#held >= MAX_PREPARED_PER_SESSION) return undefined;
    this.#parsing.add(text);
    this.#issued += 1;
    this.#held += 1;
    return new PgPreparedStatement(`asyncdb_${this.#issued}`, types);
  }

  /** The Parse of `statement` ended: usable by name when it succeeded. */
  settle(text: string, statement: PgPreparedStatement, parsed: boolean): void {
    this.#parsing.delete(text);
    if (parsed) this.#ready.set(text, statement);
    // A Parse that failed (a syntax error, say) created nothing on the server.
    else this.#held -= 1;
  }

  /**
   * Stops using `statement`: the server refused it (its plan went stale after a schema change, or it no longer
   * exists). Its name is never given out again; the next command prepares the text under a new one.
   */
  forget(text: string, statement: PgPreparedStatement): void {
    if (this.#ready.get(text) === statement) this.#ready.delete(text);
  }
}

/**
 * True for the errors a statement prepared by name can meet that the same text parsed afresh would not: a plan made
 * stale by a schema change (`0A000` "cached plan must not change result type") or a statement that is gone (`26000`).
 */
export function isStalePrepared(error: Error | undefined): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '26000' || (code === '0A000' && /cached plan/i.test(error!.message));
}
