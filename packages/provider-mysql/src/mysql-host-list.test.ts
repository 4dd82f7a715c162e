import { AllHostsFailedError, DbTimeoutError } from '@asyncdb/core';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { mysqlBuilderForHost } from './mysql-host-list.js';
import { MysqlProviderFactory } from './mysql-provider-factory.js';

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** A loopback port that accepts TCP connections and never sends MySQL's greeting: a server that hangs. */
async function silentPort(): Promise<number> {
  const server = createServer(() => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('mysql Server lists', () => {
  it('one host of a list gets its own connection string: Server and Port of that host, the list keywords removed', () => {
    const builder = new MysqlConnectionStringBuilder(
      'Server=a,b:3307;Load Balance=Random;Host Recheck Seconds=3;Max Pool Size=5',
    );
    const perHost = mysqlBuilderForHost(builder, { host: 'b', port: 3307 });
    expect(perHost.server).toBe('b');
    expect(perHost.port).toBe(3307);
    expect(perHost.containsKey('Load Balance')).toBe(false);
    expect(perHost.containsKey('Host Recheck Seconds')).toBe(false);
    expect(perHost.getInteger('Max Pool Size')).toBe(5);
  });

  it('Connect Timeout is the budget of the whole list: a hanging first host leaves none for the next', async () => {
    const [first, second] = [await silentPort(), await silentPort()];
    const factory = new MysqlProviderFactory();
    const connection = factory.createConnection(
      `Server=127.0.0.1:${first},127.0.0.1:${second};User ID=root;Load Balance=InOrder;Connect Timeout=1`,
    );
    const error = await connection.open().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('connect');
    // The cause lists every host: the first one aborted by the deadline, the second never tried.
    const cause = (error as DbTimeoutError).cause;
    expect(cause).toBeInstanceOf(AllHostsFailedError);
    expect((cause as AllHostsFailedError).message).toContain(
      `127.0.0.1:${second}: not tried before the open was aborted`,
    );
    await factory.clearAllPools();
  });
});
