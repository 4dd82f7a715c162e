import { describe, expect, it } from 'vitest';
import type { DbConnection, DbConnectionStringBuilder } from '@asyncdb/core';
import { serverConnections, type ConnectionFactory } from './server-connections.js';

/** A stand-in connection that records what happened to it. */
interface FakeConnection {
  readonly connectionString: string;
  readonly events: string[];
}

/** A factory whose builder appends `k=v` pairs and whose connections record open and dispose. */
function fakeFactory(): ConnectionFactory<DbConnection> & { readonly made: FakeConnection[] } {
  const made: FakeConnection[] = [];
  return {
    made,
    createConnectionStringBuilder(base) {
      const parts = [base];
      const builder = {
        set(keyword: string, value: unknown) {
          parts.push(`${keyword}=${String(value)}`);
          return builder;
        },
        get connectionString() {
          return parts.join(';');
        },
      };
      return builder as unknown as DbConnectionStringBuilder;
    },
    createConnection(connectionString) {
      const fake: FakeConnection = { connectionString, events: [] };
      made.push(fake);
      return {
        connectionString,
        open: async () => void fake.events.push('open'),
        [Symbol.asyncDispose]: async () => void fake.events.push('dispose'),
      } as unknown as DbConnection;
    },
  };
}

describe('serverConnections', () => {
  it('reads the server each time and sets the keywords on top', () => {
    let server = 'Host=a';
    const { connectionString } = serverConnections(fakeFactory(), () => server);
    expect(connectionString({ Port: 1 })).toBe('Host=a;Port=1');
    server = 'Host=b';
    expect(connectionString()).toBe('Host=b');
  });

  it('opens the connections it makes', async () => {
    const factory = fakeFactory();
    const { openConnection } = serverConnections(factory, () => 'Host=a');
    const connection = await openConnection({ Pooling: true });
    expect(connection.connectionString).toBe('Host=a;Pooling=true');
    expect(factory.made[0]?.events).toEqual(['open']);
  });

  it('runs the body on an unpooled observer connection and disposes it after the body settles', async () => {
    const factory = fakeFactory();
    const { withObserver } = serverConnections(factory, () => 'Host=a');
    const result = await withObserver(async (observer) => {
      await Promise.resolve();
      expect(factory.made[0]?.events).toEqual(['open']);
      return observer.connectionString;
    });
    expect(result).toBe('Host=a;Pooling=false;Application Name=asyncdb-observer');
    expect(factory.made[0]?.events).toEqual(['open', 'dispose']);
  });
});
