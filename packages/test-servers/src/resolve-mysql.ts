import mysql from 'mysql2/promise';
import { describeError, passwordOf } from './describe-error.js';
import { PROBE_TIMEOUT_MS } from './probe-timeout.js';
import { redactUrl } from './redact-url.js';
import type { ServerHandle } from './server-handle.js';
import { withTimeout } from './with-timeout.js';

/** Where a MySQL/MariaDB is looked for when `ASYNCDB_MYSQL_URL` is not set. */
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/**
 * The MySQL/MariaDB to test against: `ASYNCDB_MYSQL_URL`, else {@link DEFAULT_MYSQL_URL}, checked
 * with `SELECT 1`. If it does not answer within 5 s this throws an Error that says what was
 * tried and how to provide a server — it never skips silently. `stop()` is a no-op: the server
 * is never ours.
 */
export async function resolveMysql(): Promise<ServerHandle> {
  const fromEnvironment = process.env['ASYNCDB_MYSQL_URL'];
  const url = fromEnvironment === undefined || fromEnvironment === '' ? DEFAULT_MYSQL_URL : fromEnvironment;
  try {
    await probeMysql(url);
  } catch (error) {
    const source = url === fromEnvironment ? 'from ASYNCDB_MYSQL_URL' : 'the default; ASYNCDB_MYSQL_URL is not set';
    throw new Error(
      `No MySQL/MariaDB answered SELECT 1 within ${PROBE_TIMEOUT_MS / 1000} s at ${redactUrl(url)} ` +
        `(${source}): ${describeError(error, [passwordOf(url)])}.\n` +
        'To provide a server, either\n' +
        '  - set ASYNCDB_MYSQL_URL=mysql://user:password@host:port/database to a server you have, or\n' +
        '  - install and start MariaDB on this machine (as root):\n' +
        '      apt-get install -y mariadb-server\n' +
        '      mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld\n' +
        '      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd\n' +
        "    and if root may not log in over TCP (\"Access denied for user 'root'\"), allow it and create the database:\n" +
        '      mariadb -e "CREATE USER IF NOT EXISTS root@\'127.0.0.1\' IDENTIFIED BY \'\'; ' +
        "GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test\"",
    );
  }
  return { url, embedded: false, stop: async () => {} };
}

/** Connects to `url` with mysql2 and runs `SELECT 1`, failing after `timeoutMs`. */
export async function probeMysql(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const connecting = mysql.createConnection({ uri: url, connectTimeout: timeoutMs });
  try {
    await withTimeout(
      connecting.then((connection) => connection.query('SELECT 1')),
      timeoutMs,
      `no answer within ${timeoutMs / 1000} s`,
    );
  } finally {
    // Also when the timeout won and the connection only arrives later. destroy, not end: end
    // waits for the server, which may be the thing that is not answering.
    connecting.then((connection) => connection.destroy()).catch(() => {});
  }
}
