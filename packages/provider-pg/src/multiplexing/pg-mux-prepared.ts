/**
 * Statements a multiplexed session prepares at most: a session that holds this many prepares no more (its later
 * commands are parsed each time, as before). Bounds the server memory a session's statements hold,
 * including a statement given up after a schema change made it stale (see {@link PgPreparedStatements.forget}).
 */
export const MAX_PREPARED_PER_SESSION = 256;

/**
 * The statements one multiplexed session has prepared under names of its own (Npgsql's automatic preparation,
 * postgres.js's default): a command whose text and parameter types were prepared on its session sends Bind/Execute
 * only, and the server skips parsing and planning it. The session's commands are written back to back, so a
 * statement being prepared is used by name only once its ParseComplete has been read: until then, other commands
 * with the same text are parsed as unnamed statements (a failed Parse would otherwise fail them too).
 * @internal
 */
export class PgPreparedStatements {
  /** Key (text and parameter types) → name, for statements the server has confirmed. */
  readonly #ready = new Map<string, string>();
  /** Keys whose Parse is written and not yet answered. */
  readonly #parsing = new Set<string>();
  /** Names given out (each name is used once). */
  #issued = 0;
  /** Statements that exist, or may, on the server: being prepared, ready, or forgotten as stale. */
  #held = 0;

  /** The name `key` is prepared under on this session, if it is. */
  nameOf(key: string): string | undefined {
    return this.#ready.get(key);
  }

  /**
   * A new name to prepare `key` under (its Parse is written now), or undefined when `key` is already being
   * prepared or the session has given out {@link MAX_PREPARED_PER_SESSION} names.
   */
  begin(key: string): string | undefined {
    if (this.#parsing.has(key) || this.#held >= MAX_PREPARED_PER_SESSION) return undefined;
    this.#parsing.add(key);
    this.#issued += 1;
    this.#held += 1;
    return `asyncdb_${this.#issued}`;
  }

  /** The Parse of `key` under `name` ended: usable by name when it succeeded, else forgotten. */
  settle(key: string, name: string, parsed: boolean): void {
    this.#parsing.delete(key);
    if (parsed) this.#ready.set(key, name);
    // A Parse that failed (a syntax error, say) created nothing on the server.
    else this.#held -= 1;
  }

  /**
   * Stops using `key`'s name: the server refused it (its plan went stale after a schema change, or it no longer
   * exists). The name is never given out again; the next command prepares the text under a new one.
   */
  forget(key: string): void {
    this.#ready.delete(key);
  }
}

/** The cache key of a statement: its text and the types its parameters are bound with. */
export function preparedKey(text: string, types: readonly number[]): string {
  return types.length === 0 ? text : `${types.join(',')}\u0000${text}`;
}

/**
 * True for the errors a statement prepared by name can meet that the same text parsed afresh would not: a plan made
 * stale by a schema change (`0A000` "cached plan must not change result type") or a statement that is gone (`26000`).
 */
export function isStalePrepared(error: Error | undefined): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '26000' || (code === '0A000' && /cached plan/i.test(error!.message));
}
