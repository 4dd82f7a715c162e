import type { DbConnection } from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { waitUntil } from '../helpers/wait-until.js';
import { sessionRecipes } from '../fixture-parts.js';

/**
 * Observing a session from the outside, with the fixture's recipes, so the suite can tell that a statement really
 * runs on the server and that a cancel really stopped it there (not merely in the client).
 * @internal
 */

/** The server's id of a connection's session: `sessionId`, else the fixture's query. */
export async function sessionIdOf(context: ConformanceContext, connection: DbConnection): Promise<string | number> {
  if (connection.sessionId !== undefined) return connection.sessionId;
  const id = await context.scalar(connection, sessionRecipes(context.fixture).currentSessionId);
  if (typeof id === 'bigint') return id.toString();
  if (typeof id !== 'number' && typeof id !== 'string') throw new Error(`The session id query returned ${String(id)}.`);
  return id;
}

/** What session `sessionId` is running, seen from `observer` (null/undefined when idle or gone). */
async function activeStatement(
  context: ConformanceContext,
  observer: DbConnection,
  sessionId: string | number,
): Promise<unknown> {
  // A closed connection's session goes back to the pool and may be the observer's own: then it runs only this probe.
  if (observer.sessionId !== undefined && String(observer.sessionId) === String(sessionId)) return null;
  return context.scalar(observer, sessionRecipes(context.fixture).activeStatement(sessionId));
}

/**
 * Resolves the session id of `connection` once a second connection sees it running a statement (the command was
 * started before calling this). Fails after 10 s.
 */
export async function waitForActiveStatement(
  context: ConformanceContext,
  connection: DbConnection,
): Promise<string | number> {
  const sessionId = connection.sessionId;
  if (sessionId === undefined)
    throw new Error('The connection reports no sessionId while open; the session cannot be observed.');
  await context.withConnection((observer) =>
    waitUntil(
      async () => {
        const statement = await activeStatement(context, observer, sessionId);
        return statement !== null && statement !== undefined;
      },
      { timeoutMs: 10_000, what: `session ${sessionId} to be seen running its statement` },
    ),
  );
  return sessionId;
}

/**
 * Waits until a second connection sees the session idle (or gone). Fails after `timeoutMs` naming what the session
 * still runs: the cancel did not reach the server.
 */
export async function expectSessionIdle(
  context: ConformanceContext,
  connectionOrId: DbConnection | string | number,
  timeoutMs = 5_000,
): Promise<void> {
  const sessionId = typeof connectionOrId === 'object' ? connectionOrId.sessionId : connectionOrId;
  if (sessionId === undefined) throw new Error('No session id to observe.');
  await context.withConnection(async (observer) => {
    let last: unknown;
    try {
      await waitUntil(
        async () => {
          last = await activeStatement(context, observer, sessionId);
          return last === null || last === undefined;
        },
        { timeoutMs, intervalMs: 50 },
      );
    } catch {
      throw new Error(
        `Session ${sessionId} is still running ${JSON.stringify(String(last))} ${timeoutMs} ms later: it was not stopped on the server.`,
      );
    }
  });
}
