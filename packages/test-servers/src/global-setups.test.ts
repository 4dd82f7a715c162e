import { existsSync } from 'node:fs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { MYSQL_GLOBAL_SETUP, POSTGRES_GLOBAL_SETUP } from './index.js';

// This package's vitest.config.ts uses both global setups, exactly as other packages do.
describe('vitest global setups', () => {
  it('point at the setup modules next to the sources', () => {
    expect(POSTGRES_GLOBAL_SETUP).toMatch(/src\/vitest\/postgres-global-setup\.ts$/);
    expect(MYSQL_GLOBAL_SETUP).toMatch(/src\/vitest\/mysql-global-setup\.ts$/);
    expect(existsSync(POSTGRES_GLOBAL_SETUP) && existsSync(MYSQL_GLOBAL_SETUP)).toBe(true);
  });

  it("provide 'pgUrl', a PostgreSQL that answers", async () => {
    const client = new pg.Client(inject('pgUrl'));
    await client.connect();
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("provide 'mysqlUrl', a MySQL/MariaDB that answers", async () => {
    const connection = await mysql.createConnection(inject('mysqlUrl'));
    const [rows] = await connection.query('SELECT 1 AS one');
    await connection.end();
    expect(rows).toEqual([{ one: 1 }]);
  });
});
