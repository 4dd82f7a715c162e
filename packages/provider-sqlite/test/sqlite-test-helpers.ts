import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { DbConnection } from '@asyncdb/core';
import { SqliteProviderFactory } from '../src/index.js';

/**
 * A temporary directory for this test file's databases (removed after the file), and connections closed after each
 * test.
 */
export function useSqliteFiles(): {
  path(name: string): string;
  open(connectionString: string): Promise<DbConnection>;
} {
  const directory = mkdtempSync(join(tmpdir(), 'asyncdb-sqlite-test-'));
  const opened: DbConnection[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return {
    path: (name) => join(directory, name),
    async open(connectionString) {
      const connection = SqliteProviderFactory.instance.createConnection(connectionString);
      opened.push(connection);
      await connection.open();
      return connection;
    },
  };
}

/** A statement that computes for hours unless interrupted (the conformance fixture's busy recipe). */
export const BUSY_SQL =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) SELECT count(*) FROM c';
