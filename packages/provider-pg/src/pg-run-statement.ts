import { CommandBehavior, cancellationOf } from '@asyncdb/core';
import { PgResultCursor } from './pg-result-cursor.js';
import type { PgSession } from './pg-session.js';

const NEVER_ABORTED = cancellationOf(new AbortController().signal);

/**
 * Runs SQL that returns nothing the caller needs (transaction control, session reset) through the same cursor as
 * commands, so it is cancellable on the server in the same way. Resolves once the session is idle again.
 * @internal
 */
export async function runPgStatement(
  session: PgSession,
  sql: string,
  signal?: AbortSignal,
  secrets: readonly string[] = [],
): Promise<void> {
  const cursor = await PgResultCursor.start(session, {
    statements: [{ text: sql, parameters: [] }],
    behavior: CommandBehavior.Default,
    cancellation: signal ? cancellationOf(signal) : NEVER_ABORTED,
    secrets,
  });
  try {
    while (await cursor.nextResult()) {
      while ((await cursor.fetch(1000)).length > 0) {
        // Rows of a statement run for its effect are discarded.
      }
    }
  } finally {
    await cursor.close();
  }
}
