/**
 * A session id as a fixture's `session` recipes inline it into SQL (`KILL 53`, `pg_terminate_backend(4242)`). Ids
 * come from the server, and are checked to be positive integers before being inlined all the same.
 * @param what names such an id in the error (`PostgreSQL backend pid`, `SQL Server session id`).
 * @throws Error when `sessionId` is not a positive safe integer.
 */
export function checkedSessionId(sessionId: string | number, what: string): number {
  const value = Number(sessionId);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`Not a ${what}: ${String(sessionId)}`);
  return value;
}
