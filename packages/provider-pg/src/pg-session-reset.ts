import { deferReset } from './pg-deferred-reset.js';
import { runPgStatement } from './pg-run-statement.js';
import type { PgSession } from './pg-session.js';

/** How long the reset before reuse may take before the session is destroyed instead. */
export const RESET_TIMEOUT_MS = 5_000;

/**
 * Resets a session before it goes back to the pool, so the next user gets a clean one: rolls back a transaction
 * left open (at once: its locks must not outlive `close()`), then owes it a `DISCARD ALL` if it is dirty (see
 * {@link owePgReset}).
 * @throws when the session could not be reset (the caller then destroys it).
 * @internal
 */
export async function resetPgSession(session: PgSession, discard: boolean): Promise<void> {
  const status = session.client.getTransactionStatus();
  session.dirt.markFromServerStatus(status);
  if (status !== 'I') {
    await runPgStatement(session, 'ROLLBACK', AbortSignal.timeout(RESET_TIMEOUT_MS));
  }
  owePgReset(session, discard);
}

/**
 * The synchronous part of the reset, for a session idle outside a transaction: unless `No Reset On Close=true`, or
 * the session is provably clean (see `pg-session-dirt.ts`), it owes a `DISCARD ALL` (temporary tables, `SET` values
 * back to the startup values, so our `Timezone` and `Search Path` survive; prepared statements, session advisory
 * locks, LISTEN), sent ahead of the next command on this session, in the same packet (see `pg-deferred-reset.ts`).
 * Only what the checkout may have changed is reset: a session that provably ran only plain reads is pooled as is.
 * @internal
 */
export function owePgReset(session: PgSession, discard: boolean): void {
  session.dirt.markFromServerStatus(session.client.getTransactionStatus());
  if (discard && session.dirt.isDirty) {
    deferReset(session.client);
    pgResetStats.deferred += 1;
  } else if (discard) pgResetStats.skipped += 1;
  session.dirt.clear();
}

/** Counters for tests and diagnostics: how many pooled closes owed a `DISCARD ALL`, and how many were clean. @internal */
export const pgResetStats = { deferred: 0, skipped: 0 };
