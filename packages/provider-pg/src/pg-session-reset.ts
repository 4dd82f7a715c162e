import { runPgStatement } from './pg-run-statement.js';
import type { PgSession } from './pg-session.js';

/** How long the reset before reuse may take before the session is destroyed instead. */
export const RESET_TIMEOUT_MS = 5_000;

/**
 * Resets a session before it goes back to the pool, so the next user gets a clean one: rolls back a transaction
 * left open, then (unless `No Reset On Close=true`) runs `DISCARD ALL` — temporary tables, `SET` values (back to the
 * startup values: our `Timezone` and `Search Path` survive), prepared statements, advisory locks, LISTEN.
 *
 * `DISCARD ALL` deallocates every prepared statement, so `pg`'s record of the statements it prepared on this session
 * is cleared too; otherwise `pg` would later Bind to a statement that no longer exists.
 * @throws when the session could not be reset (the caller then destroys it).
 * @internal
 */
export async function resetPgSession(session: PgSession, discard: boolean): Promise<void> {
  const signal = AbortSignal.timeout(RESET_TIMEOUT_MS);
  if (session.client.getTransactionStatus() !== 'I') await runPgStatement(session, 'ROLLBACK', signal);
  if (!discard) return;
  await runPgStatement(session, 'DISCARD ALL', signal);
  session.client.connection.parsedStatements = {};
}
