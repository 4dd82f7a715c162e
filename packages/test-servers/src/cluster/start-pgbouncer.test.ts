import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '../vitest/provided-context.js';
import { startPgbouncer, type Pgbouncer } from './start-pgbouncer.js';

async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

describe('startPgbouncer', () => {
  let bouncer: Pgbouncer;

  beforeAll(async () => {
    bouncer = await startPgbouncer({ upstreamUrl: inject('pgUrl'), poolSize: 1 });
  });

  afterAll(async () => {
    await bouncer?.stop();
  });

  it('pools the run PostgreSQL in transaction mode on a loopback port of its own', async () => {
    expect(bouncer.poolMode).toBe('transaction');
    expect(bouncer.url).toContain(`127.0.0.1:${bouncer.port}`);
    expect(await query(bouncer.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const admin = new URL(bouncer.url);
    admin.pathname = '/pgbouncer';
    // The admin console speaks the simple protocol only; SHOW CONFIG lists the running settings.
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      const config = await client.query({ text: 'SHOW CONFIG', rowMode: 'array' });
      const poolMode = config.rows.find((row: unknown[]) => row[0] === 'pool_mode') as unknown[] | undefined;
      expect(poolMode?.[1]).toBe('transaction');
    } finally {
      await client.end();
    }
  });

  it('shares one server session between two clients (pool size 1): transaction pooling, not session pooling', async () => {
    const [a, b] = [new pg.Client({ connectionString: bouncer.url }), new pg.Client({ connectionString: bouncer.url })];
    await a.connect();
    await b.connect();
    try {
      const pidA = (await a.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const pidB = (await b.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      expect(pidB).toBe(pidA);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
