import mysql from 'mysql2/promise';

const HOST = '127.0.0.1';

/** One statement on a fresh root connection to a Galera node's SQL port (database `database`, if any). */
export async function galeraQuery(
  port: number,
  database: string | undefined,
  sql: string,
  values: unknown[] = [],
): Promise<Array<Record<string, unknown>>> {
  const connection = await mysql.createConnection({
    host: HOST,
    port,
    user: 'root',
    ...(database ? { database } : {}),
    connectTimeout: 5_000,
  });
  connection.on('error', () => {});
  try {
    const [rows] = await connection.query(sql, values);
    return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

/** A status variable of a node (`SHOW STATUS LIKE …`), undefined when the server does not have it. */
export async function galeraStatus(port: number, variable: string): Promise<string | undefined> {
  const rows = await galeraQuery(port, undefined, 'SHOW GLOBAL STATUS LIKE ?', [variable]);
  const value = rows[0]?.Value;
  return value === undefined || value === null ? undefined : String(value);
}
