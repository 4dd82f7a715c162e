import { WaitHandle, type DbCommand, type DbConnection } from '@asyncdb/core';
import { DIALECTS } from '../servers/dialects.js';
import type { Endpoint } from '../servers/endpoint.js';
import type { BenchSubject, ParallelRun, ParallelSessions, RoundTripSession } from '../run/subject.js';
import { asyncdbConnectionString } from './connection-string.js';
import { factoryOf } from './register-providers.js';

/**
 * asyncdb's side of the in-process scenarios, written once for every provider against `DbProviderFactory` — which is
 * the point of asyncdb. It is used as documented: a new `DbConnection` per open (pooled by default), `executeScalar`
 * for `SELECT 1`, and `beginExecuteReader` + `WaitHandle.waitAll` for the parallel commands.
 */
export function createAsyncdbSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  const factory = factoryOf(endpoint.provider);
  const connectionString = asyncdbConnectionString(endpoint, poolSize);
  const { selectOne } = DIALECTS[endpoint.provider];

  const open = async (): Promise<DbConnection> => {
    const connection = factory.createConnection(connectionString);
    await connection.open();
    return connection;
  };

  return {
    name: 'asyncdb',
    baselines: { roundTrips: 'asyncdb', pooled: 'asyncdb', parallel: 'asyncdb' },

    async openSession(): Promise<RoundTripSession> {
      const connection = await open();
      // One command, executed again and again: what an ADO.NET user does in a loop.
      const command = connection.createCommand(selectOne);
      return {
        selectOne: async () => {
          await command.executeScalar();
        },
        close: () => connection.close(),
      };
    },

    async pooledSelectOne(): Promise<void> {
      const connection = await open();
      try {
        await connection.createCommand(selectOne).executeScalar();
      } finally {
        await connection.close();
      }
    },

    async openParallel(count: number, sql: string): Promise<ParallelSessions> {
      const connections = await Promise.all(Array.from({ length: count }, open));
      const commands = connections.map((connection) => connection.createCommand(sql));
      return {
        runAll: () => runWithWaitHandles(commands),
        close: async () => {
          await Promise.all(connections.map((connection) => connection.close()));
        },
      };
    },

    dispose: () => factory.clearPool(connectionString),
  };
}

/** The seeds' pattern: Begin on every connection, `WaitHandle.waitAll`, then End each and read its rows. */
async function runWithWaitHandles(commands: readonly DbCommand[]): Promise<ParallelRun> {
  const started = performance.now();
  const pending = commands.map((command) => {
    const begun = performance.now();
    const result = command.beginExecuteReader();
    const completed = result.asyncWaitHandle.waitOne().then(() => performance.now() - begun);
    return { command, result, completed };
  });
  await WaitHandle.waitAll(pending.map(({ result }) => result.asyncWaitHandle));
  const wallMs = performance.now() - started;
  const commandMs = await Promise.all(pending.map(({ completed }) => completed));
  for (const { command, result } of pending) {
    const reader = await command.endExecuteReader(result);
    while (await reader.read()) {
      // one row each
    }
    await reader.close();
  }
  return { wallMs, commandMs };
}
