/**
 * The SQLSTATEs a backend sends as it ends a session on its own — `pg_terminate_backend` or a shutdown (57P01
 * admin_shutdown), a crash of another backend (57P02 crash_shutdown), `idle_session_timeout` (57P05) — when they come
 * with severity FATAL.
 */
const GOODBYE_CODES = new Set(['57P01', '57P02', '57P05']);

/** True for the FATAL ErrorResponse of a backend ending the session by itself (see {@link GOODBYE_CODES}). */
export function isServerGoodbye(error: unknown): boolean {
  const fields = error as { code?: unknown; severity?: unknown } | null;
  return fields?.severity === 'FATAL' && typeof fields.code === 'string' && GOODBYE_CODES.has(fields.code);
}

/**
 * Counters for tests and diagnostics: first commands of a checkout replayed on a new connection after the server had
 * ended the idle session (issue 13 item 10). @internal
 */
export const pgReplayStats = { replayed: 0 };
