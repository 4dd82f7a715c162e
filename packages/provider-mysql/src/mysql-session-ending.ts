/** The fields of a mysql2 error that tell whether the session survived it. */
interface MaybeFatal {
  readonly errno?: number;
  readonly sqlState?: string;
  readonly fatal?: boolean;
}

/**
 * Server errors after which the server closes the session although their packet is an ordinary error packet
 * (mysql2 does not flag them `fatal`): MariaDB's ER_CONNECTION_KILLED (1927, SQLSTATE 70100, a `KILL` of the
 * session) and MySQL 8's ER_CLIENT_INTERACTION_TIMEOUT (4031, the idle timeout). Everything of SQLSTATE class 08
 * (connection exception: 1053 shutdown, 1152–1161 network errors such as 1153 "packet too large") ends it too.
 */
const SESSION_ENDING_ERRNOS: ReadonlySet<number> = new Set([1927, 4031]);

/**
 * True when `error` means the session is gone — a client-side fatal error, or a server error the server closes
 * the session after — so the connection must become Broken before the caller sees the failure, not when the
 * socket's end arrives a moment later.
 */
export function endsSession(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, sqlState, fatal } = error as MaybeFatal;
  if (fatal === true) return true;
  if (typeof sqlState === 'string' && sqlState.startsWith('08')) return true;
  return typeof errno === 'number' && SESSION_ENDING_ERRNOS.has(errno);
}
