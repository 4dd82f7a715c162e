import type { OneShotKind, OneShotResult, OneShotSink, ResultCursor } from '../providers/provider-spi.js';

/** Rows asked for per fetch: what core's reader asks for, so the statement streams pause exactly as they do under it. */
const READER_FETCH_SIZE = 1000;

/**
 * A one-shot execution (`executeOnceCore`) for a provider whose fastest path is still its cursor: drives the cursor
 * the way core's reader drives it for `executeScalar` / `executeNonQuery` — every result, the rows of results with
 * columns fetched in reader-sized batches (all of them for a non-query, the first batch for a scalar), then `close()`
 * — but without a reader, its per-call scope waits and its guard. The same cursor, so kills, drains, warnings, output parameters and errors are those of the
 * reader path by construction. On a failure the cursor is closed before the error is rethrown, as the reader does.
 *
 * ```ts
 * protected override executeOnceCore(request: CommandRequest, kind: OneShotKind) {
 *   return runCursorOnce(this.startCursor(request), kind);
 * }
 * ```
 */
export async function runCursorOnce(
  started: ResultCursor | Promise<ResultCursor>,
  kind: OneShotKind,
): Promise<OneShotResult> {
  // A start that fails has nothing to close, as on the reader path.
  const cursor = await started;
  let value: unknown;
  let found = kind !== 'scalar';
  try {
    for (let header = await cursor.nextResult(); header !== null; header = await cursor.nextResult()) {
      if (header.columns.length === 0) continue;
      let rows = await cursor.fetch(READER_FETCH_SIZE);
      if (!found) {
        found = true;
        value = rows.length > 0 ? rows[0]![0] : undefined;
      } else if (kind === 'nonQuery') {
        while (rows.length > 0) rows = await cursor.fetch(READER_FETCH_SIZE);
      }
    }
  } catch (error) {
    await cursor.close().catch(() => {});
    throw error;
  }
  await cursor.close();
  return { value, recordsAffected: cursor.recordsAffected, outputValues: cursor.outputValues };
}

/**
 * Delivers a promised one-shot outcome to a `startOnceCore` sink: for a provider whose `startOnceCore` has, for some
 * requests, only the promise form at hand (its cursor through {@link runCursorOnce}, say).
 *
 * ```ts
 * deliverOnce(runCursorOnce(cursor, kind), sink);
 * ```
 */
export function deliverOnce(once: Promise<OneShotResult>, sink: OneShotSink): void {
  once.then(
    (result) => sink.succeed(result.value, result.recordsAffected, result.outputValues),
    (error: unknown) => sink.fail(error),
  );
}
