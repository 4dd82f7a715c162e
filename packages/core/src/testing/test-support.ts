import { setImmediate as nextImmediate, setTimeout as sleep } from 'node:timers/promises';
import { MemoryProviderFactory, type MemoryConnection } from './memory-provider.js';
import type { MemoryServer } from './memory-server.js';

/**
 * Small helpers shared by core's unit tests (kept free of vitest so the library build compiles them).
 * @internal
 */

/** An open connection on a fresh memory server. */
export interface OpenedConnection {
  readonly factory: MemoryProviderFactory;
  readonly server: MemoryServer;
  readonly connection: MemoryConnection;
}

/** Opens a connection (with `async=true` unless the connection string says otherwise) on a fresh memory server. */
export async function openConnection(
  connectionString = 'Database=test;async=true',
  factory = new MemoryProviderFactory(),
): Promise<OpenedConnection> {
  const connection = factory.createConnection(connectionString);
  await connection.open();
  return { factory, server: factory.server, connection };
}

/** The error `action` throws synchronously; fails when it returns instead. */
export function thrownBy(action: () => unknown): unknown {
  let returned: unknown;
  try {
    returned = action();
  } catch (error) {
    return error;
  }
  throw new Error(`expected a synchronous throw, got ${returned instanceof Promise ? 'a Promise' : String(returned)}`);
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Lets the event loop turn `count` times (microtasks, timers of 0 ms and immediates run). */
export async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await sleep(0);
    await nextImmediate();
  }
}

/** Records process events of one kind until disposed. */
export function recordProcessEvents<T>(event: 'unhandledRejection' | 'warning'): {
  readonly events: T[];
  dispose(): void;
} {
  const events: T[] = [];
  const listener = (value: T): void => {
    events.push(value);
  };
  process.on(event, listener as never);
  return {
    events,
    dispose: () => {
      process.off(event, listener as never);
    },
  };
}
