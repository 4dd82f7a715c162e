import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_TABLE } from './dialects.js';

const require = createRequire(import.meta.url);

interface SyncDatabase {
  exec(sql: string): void;
  prepare(sql: string): { raw(toggle?: boolean): { get(): unknown[] | undefined } };
  close(): void;
}

/** The benchmark's SQLite database: a file in a temporary directory, removed by `stop`. */
export interface SqliteBenchDatabase {
  readonly path: string;
  /** `sqlite_version()` of libsql. */
  readonly version: string;
  stop(): Promise<void>;
}

/**
 * Creates the benchmark table of the other engines — 1..rows, `id int`, `qty int`, `label varchar(40)`,
 * `price double`, `active boolean` — in a new database file, filled by a recursive CTE in one transaction. SQLite
 * has no server: the file is the whole "server", and both sides open it.
 */
export async function prepareSqliteDatabase(rows: number): Promise<SqliteBenchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'asyncdb-bench-sqlite-'));
  const path = join(directory, 'bench.db');
  const Database = require('libsql') as new (path: string) => SyncDatabase;
  const database = new Database(path);
  try {
    database.exec(
      `CREATE TABLE ${BENCH_TABLE} (id int PRIMARY KEY, qty int NOT NULL, label varchar(40) NOT NULL, ` +
        'price double NOT NULL, active boolean NOT NULL)',
    );
    database.exec(
      `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${Math.trunc(rows)}) ` +
        `INSERT INTO ${BENCH_TABLE} SELECT n, n % 1000, 'customer-item-' || substr('0000000' || n, -7), ` +
        '(n % 10000) / 100.0 + 0.25, n % 3 = 0 FROM g',
    );
    const version = String(database.prepare('SELECT sqlite_version()').raw(true).get()?.[0] ?? '');
    return { path, version, stop: () => rm(directory, { recursive: true, force: true }) };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  } finally {
    database.close();
  }
}
