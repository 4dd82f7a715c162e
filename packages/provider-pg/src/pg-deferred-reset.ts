import type { PgWireConnection } from './pg-client.js';

/**
 * The pooled sessions whose `DISCARD ALL` is still owed. A pooled connection is not reset when it is closed but when
 * it is next used: the reset travels in the same packet as the next command (Npgsql's approach; SqlClient's
 * RESETCONNECTION flag does the same), so closing costs no round trip and opening costs none either.
 * Keyed by the `pg` client, which outlives the `DbConnection` that used it.
 */
const owedResets = new WeakSet<object>();

/** The text the deferred reset runs. */
export const RESET_SQL = 'DISCARD ALL';

/** Records that `client` must be reset before its next command. */
export function deferReset(client: object): void {
  owedResets.add(client);
}

/** True (once) when `client` owes a reset: the caller must then write it ahead of its command. */
export function takeDeferredReset(client: object): boolean {
  return owedResets.delete(client);
}

/**
 * Writes the reset ahead of a command, in the same group: Parse/Bind/Execute of `DISCARD ALL` on the unnamed
 * statement and portal. As the first Execute after a Sync it passes `DISCARD ALL`'s "not in a transaction block"
 * check, and PostgreSQL commits it at once, before the command that follows. Its CommandComplete is the provider's,
 * not the command's (see `PgGroupOptions.hiddenCompletes`).
 */
export function writeDeferredReset(wire: PgWireConnection): void {
  wire.parse({ text: RESET_SQL });
  wire.bind({});
  wire.execute({});
  // DISCARD ALL deallocates every prepared statement; `pg` must forget the ones it believes exist.
  wire.parsedStatements = {};
}
