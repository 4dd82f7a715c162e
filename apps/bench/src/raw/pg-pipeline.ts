import pg from 'pg';
import type { Endpoint } from '../servers/endpoint.js';
import { DIALECTS } from '../servers/dialects.js';
import type { BenchSubject, ParallelSessions, RoundTripSession } from '../run/subject.js';
import { pgConfig } from './driver-options.js';
import { timeAll } from './time-all.js';

/** A `pg.Client` in pg's opt-in pipeline mode (`pipeline: true`, pg ≥ 8.21): queries are written without waiting. */
async function connectPipelined(endpoint: Endpoint): Promise<pg.Client> {
  const client = new pg.Client({ ...pgConfig(endpoint), pipeline: true } as pg.ClientConfig);
  client.on('error', () => {});
  await client.connect();
  return client;
}

/**
 * `pg` with its `pipeline: true` client option, the way a user who picks it writes the scenarios: a pipelined client
 * needs no checkout, so the pooled scenarios (2 and 4) share `poolSize` pipelined clients round-robin — each caller
 * just calls `client.query`, and concurrent queries on one client go out back to back. Round trips and parallelism
 * use pipelined clients exactly as the plain `pg` baseline uses its clients.
 */
export function createPgPipelineSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const { selectOne } = DIALECTS.pg;
  let shared: Promise<pg.Client[]> | undefined;
  let next = 0;
  return {
    name: 'pg pipeline',
    baselines: {
      roundTrips: 'pg.Client({ pipeline: true })#query',
      pooled: `${poolSize} pg.Client({ pipeline: true }) shared round-robin, no checkout`,
      parallel: 'pg.Client({ pipeline: true })#query × N, Promise.all',
    },

    async openSession(): Promise<RoundTripSession> {
      const client = await connectPipelined(endpoint);
      return {
        selectOne: async () => {
          await client.query(selectOne);
        },
        close: () => client.end(),
      };
    },

    async pooledSelectOne(): Promise<void> {
      shared ??= Promise.all(Array.from({ length: poolSize }, () => connectPipelined(endpoint)));
      const clients = await shared;
      const client = clients[next]!;
      next = (next + 1) % clients.length;
      await client.query(selectOne);
    },

    async openParallel(count: number, sql: string): Promise<ParallelSessions> {
      const clients = await Promise.all(Array.from({ length: count }, () => connectPipelined(endpoint)));
      return {
        runAll: () => timeAll(clients.map((client) => () => client.query(sql))),
        close: async () => {
          await Promise.all(clients.map((client) => client.end()));
        },
      };
    },

    dispose: async () => {
      const active = shared;
      shared = undefined;
      if (active) await Promise.allSettled((await active).map((client) => client.end()));
    },
  };
}
