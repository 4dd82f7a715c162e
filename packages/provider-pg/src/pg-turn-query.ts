import type { PgWireValue } from './pg-client.js';
import type { PgSession } from './pg-session.js';

/**
 * Runs one statement for the provider's own use (catalog lookups) in a turn of its own, and returns its rows as the
 * server's text. Parse/Bind/Execute/Sync in one write: one round trip.
 * @throws the server's error, or the connection's when it dies.
 * @internal
 */
export async function queryTextRows(
  session: PgSession,
  sql: string,
  values: PgWireValue[],
): Promise<Array<Array<string | null>>> {
  const turn = await session.beginTurn();
  turn.write(
    'sync',
    (wire) => {
      wire.parse({ text: sql });
      wire.bind({ values });
      wire.execute({});
      wire.sync();
    },
    { executes: 1 },
  );
  const rows: Array<Array<string | null>> = [];
  let failure: Error | undefined;
  for (;;) {
    const event = await turn.next();
    if (event.kind === 'row') rows.push([...event.values]);
    else if (event.kind === 'error') failure ??= event.error;
    else if (event.kind === 'lost') throw event.error;
    else if (event.kind === 'ready') break;
  }
  if (failure) throw failure;
  return rows;
}
