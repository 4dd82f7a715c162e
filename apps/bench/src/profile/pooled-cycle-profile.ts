/**
 * Counts what one pooled `open → SELECT 1 → close` cycle costs the client in promises, timers and heap, for asyncdb
 * and for the raw driver's pool, over N warm cycles. Not a speed benchmark (that is `npm run bench`): a census.
 *
 * ```sh
 * cd apps/bench && node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 --import tsx --conditions=@asyncdb/source \
 *   src/profile/pooled-cycle-profile.ts [pg|mysql] [cycles]
 * ```
 *
 * Promises and `Timeout`s are counted with an `async_hooks` init hook (every promise and timer created, whatever
 * creates it). Heap is `heapUsed` growth across the measured cycles with a semi-space large enough that no
 * scavenge runs in between (the script says so when one did, and the figure is then meaningless).
 */
import { createHook } from 'node:async_hooks';
import { PerformanceObserver } from 'node:perf_hooks';
import mysql from 'mysql2';
import pg from 'pg';
import type { DbProviderFactory } from '@asyncdb/core';

type Cycle = () => Promise<void>;

const PG_URL = process.env['ASYNCDB_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const WARM_UP = 3_000;

interface Census {
  readonly promises: number;
  readonly timers: number;
  readonly heapBytes: number;
  readonly gcRuns: number;
}

async function census(cycle: Cycle, cycles: number): Promise<Census> {
  for (let i = 0; i < WARM_UP; i++) await cycle();
  let promises = 0;
  let timers = 0;
  let counting = false;
  const hook = createHook({
    init(_id, type) {
      if (!counting) return;
      if (type === 'PROMISE') promises += 1;
      else if (type === 'Timeout') timers += 1;
    },
  });
  let gcRuns = 0;
  const observer = new PerformanceObserver((list) => {
    gcRuns += list.getEntries().length;
  });
  // Counted with the hook on; heap measured with it off (an enabled async hook makes every promise heavier).
  hook.enable();
  counting = true;
  for (let i = 0; i < cycles; i++) await cycle();
  counting = false;
  hook.disable();
  (globalThis as { gc?: () => void }).gc?.();
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < cycles; i++) await cycle();
  const after = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setTimeout(resolve, 10));
  observer.disconnect();
  return {
    promises: promises / cycles,
    timers: timers / cycles,
    heapBytes: (after - before) / cycles,
    gcRuns,
  };
}

async function asyncdbCycle(
  provider: 'pg' | 'mysql',
): Promise<{ cycle: Cycle; openClose: Cycle; dispose: () => Promise<void> }> {
  let factory: DbProviderFactory;
  let connectionString: string;
  if (provider === 'pg') {
    factory = (await import('@asyncdb/provider-pg')).PgProviderFactory.instance;
    const url = new URL(PG_URL);
    connectionString = `Host=${url.hostname};Port=${url.port || 5432};Username=${decodeURIComponent(url.username)};Database=${url.pathname.slice(1)};Max Pool Size=10`;
  } else {
    factory = (await import('@asyncdb/provider-mysql')).MysqlProviderFactory.instance;
    connectionString = 'Server=127.0.0.1;Port=3306;User ID=root;Database=test;Max Pool Size=10';
  }
  return {
    cycle: async () => {
      const connection = factory.createConnection(connectionString);
      await connection.open();
      try {
        await connection.createCommand('SELECT 1').executeScalar();
      } finally {
        await connection.close();
      }
    },
    // The pool's share alone: open → close with no command in between.
    openClose: async () => {
      const connection = factory.createConnection(connectionString);
      await connection.open();
      await connection.close();
    },
    dispose: () => factory.clearAllPools(),
  };
}

function rawCycle(provider: 'pg' | 'mysql'): { cycle: Cycle; dispose: () => Promise<void> } {
  if (provider === 'pg') {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 10 });
    return {
      cycle: async () => {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      },
      dispose: () => pool.end(),
    };
  }
  const pool = mysql.createPool({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', connectionLimit: 10 });
  const promisePool = pool.promise();
  return {
    cycle: async () => {
      const connection = await promisePool.getConnection();
      try {
        await connection.query('SELECT 1');
      } finally {
        connection.release();
      }
    },
    dispose: () => promisePool.end(),
  };
}

function print(name: string, result: Census): void {
  const heap =
    result.gcRuns > 0
      ? `${(result.heapBytes / 1024).toFixed(1)} KB (gc ran: not reliable)`
      : `${(result.heapBytes / 1024).toFixed(1)} KB`;
  console.log(
    `${name.padEnd(14)} promises/op ${result.promises.toFixed(1).padStart(6)}  timers/op ${result.timers.toFixed(2).padStart(5)}  heap/op ${heap}`,
  );
}

async function main(): Promise<void> {
  const provider = (process.argv[2] ?? 'pg') as 'pg' | 'mysql';
  const cycles = Number(process.argv[3] ?? 2_000);
  const asyncdb = await asyncdbCycle(provider);
  const raw = rawCycle(provider);
  print(`asyncdb ${provider}`, await census(asyncdb.cycle, cycles));
  print(`open→close`, await census(asyncdb.openClose, cycles));
  print(`raw ${provider}`, await census(raw.cycle, cycles));
  await asyncdb.dispose();
  await raw.dispose();
}

await main();
