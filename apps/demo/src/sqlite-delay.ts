import type { DbConnection } from '@asyncdb/core';

/**
 * SQLite has no sleep function, so the demo's "wait N seconds on the server" is a statement that computes for about
 * that long: a recursive CTE counting rows, into a temp table (a statement with no result set, which neither locks
 * the database file nor counts as rows affected). How many rows make a second is measured once at start
 * ({@link calibrateSqliteDelay}); until then a conservative guess is used.
 */
let rowsPerSecond = 2_000_000;

/** Rows counted by the calibration run: long enough to time, short enough not to be noticed (~0.1–0.5 s). */
const CALIBRATION_ROWS = 1_000_000;

function countTo(rows: number): string {
  return `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${Math.max(1, Math.round(rows))}) SELECT count(*) AS n FROM c`;
}

/**
 * The statements that keep one connection's SQLite busy for about `seconds` on one core. Run on several connections
 * at once, they compete for the machine's cores: on a machine with fewer free cores than connections, they take
 * longer than `seconds` (a server's sleep would not).
 */
export function sqliteDelay(seconds: number): string {
  return (
    'DROP TABLE IF EXISTS temp.asyncdb_demo_delay; ' +
    `CREATE TEMP TABLE asyncdb_demo_delay AS ${countTo(seconds * rowsPerSecond)}`
  );
}

/**
 * Times the counting statement on `connection` (best of three runs) and sets the rows per second
 * {@link sqliteDelay} uses. Resolves the rate.
 */
export async function calibrateSqliteDelay(connection: DbConnection): Promise<number> {
  const command = connection.createCommand(countTo(CALIBRATION_ROWS));
  let fastestMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    await command.executeScalar();
    fastestMs = Math.min(fastestMs, performance.now() - started);
  }
  rowsPerSecond = CALIBRATION_ROWS / (Math.max(fastestMs, 1) / 1000);
  return rowsPerSecond;
}
