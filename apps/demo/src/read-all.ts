import type { DbDataReader, DbRow } from '@asyncdb/core';

/** Reads every row of the reader's current result as plain objects, then closes the reader (also on failure). */
export async function readAll(reader: DbDataReader): Promise<DbRow[]> {
  const rows: DbRow[] = [];
  try {
    for await (const row of reader) rows.push(row);
  } finally {
    await reader.close();
  }
  return rows;
}
