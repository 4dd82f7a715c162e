import { afterEach, describe, expect, it } from 'vitest';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { clientConfig, connect, disconnect, execBatch } from '../testing/tedious-client.js';

describe('login with the real tedious client', () => {
  let server: TdsTestServer | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    logs.length = 0;
  });

  it('connects with encrypt false, reports the database, and runs the initial SQL batch', async () => {
    const engine = new FakeEngine();
    server = await startTdsTestServer({ engine, log: (m) => logs.push(m) });
    const databases: string[] = [];
    const infos: string[] = [];
    const config = clientConfig(server.port);
    const { Connection } = await import('tedious');
    const connection = new Connection(config);
    connection.on('databaseChange', (name) => databases.push(name));
    connection.on('infoMessage', (info) => infos.push(info.message));
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
    expect(databases).toEqual(['testdb']);
    expect(infos).toContain("Changed database context to 'testdb'.");
    const session = engine.sessions[0]!;
    expect(session.login).toMatchObject({ userName: 'tester', database: 'testdb', appName: 'Tedious' });
    // tedious sends its SET options as the first batch after login.
    expect(session.calls[0]).toMatchObject({ kind: 'batch' });
    expect((session.calls[0] as { sql: string }).sql).toContain('set textsize');
    const result = await execBatch(connection, 'select 1');
    expect(result.error).toBeUndefined();
    await disconnect(connection);
    await expect.poll(() => session.closed).toBe(true);
    expect(logs).toEqual([]);
  });

  it('answers a wrong password with error 18456 and closes the connection', async () => {
    const engine = new FakeEngine({ password: 'right' });
    server = await startTdsTestServer({ engine, log: (m) => logs.push(m) });
    const { Connection } = await import('tedious');
    const errors: Array<{ number: number; message: string }> = [];
    const connection = new Connection(clientConfig(server.port, {}, 'wrong'));
    connection.on('errorMessage', (token) => errors.push({ number: token.number, message: token.message }));
    const error = await new Promise<Error | undefined>((resolve) => connection.connect((e) => resolve(e)));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error & { code?: string }).code).toBe('ELOGIN');
    expect(error!.message).toBe("Login failed for user 'tester'.");
    expect(errors).toEqual([{ number: 18456, message: "Login failed for user 'tester'." }]);
    expect(engine.sessions).toHaveLength(0);
  });

  it('negotiates the packet size the client asks for', async () => {
    const engine = new FakeEngine();
    server = await startTdsTestServer({ engine, log: (m) => logs.push(m) });
    const connection = await connect(clientConfig(server.port, { packetSize: 16384 }));
    // tedious applies the ENVCHANGE to its outgoing stream.
    expect((connection as unknown as { messageIo: { packetSize(): number } }).messageIo.packetSize()).toBe(16384);
    await disconnect(connection);
  });
});
