import { CommandBehavior } from '@asyncdb/core';
import { PgResultCursor } from './pg-result-cursor.js';
import type { PgSession } from './pg-session.js';

const NEVER_ABORTED = new AbortController().signal;

/**
 * Runs SQL that returns nothing the caller needs (transaction control, session reset) through the same cursor as
 * commands, so it is cancellable on the server in the same way. Resolves once the session is idle again.
 * @internal
 */
export async function runPgStatement(
  session: PgSession,
  sql: string,
  signal: AbortSignal = NEVER_ABORTED,
  secrets: readonly string[] = [],
): Promise<void> {
  const cursor = await PgResultCursor.start(session, {
    statements: [{ text: sql, parameters: [] }],
    behavior: CommandBehavior.Default,
    signal,
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
