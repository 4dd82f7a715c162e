import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSilentServer } from '../test/silent-server.js';
import { findFreePort } from './free-port.js';
import { redactUrl } from './redact-url.js';
import { DEFAULT_MYSQL_URL, probeMysql, resolveMysql } from './resolve-mysql.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The error `resolveMysql` fails with. */
async function failure(): Promise<Error> {
  return resolveMysql().then(
    () => new Error('expected resolveMysql to fail'),
    (error: unknown) => error as Error,
  );
}

describe('resolveMysql', () => {
  it("finds this machine's MariaDB at root@127.0.0.1:3306/test when ASYNCDB_MYSQL_URL is not set", async () => {
    vi.stubEnv('ASYNCDB_MYSQL_URL', undefined);
    const handle = await resolveMysql();
    expect(handle).toMatchObject({ url: DEFAULT_MYSQL_URL, embedded: false });
    const connection = await mysql.createConnection(handle.url);
    const [rows] = await connection.query('SELECT DATABASE() AS db');
    await connection.end();
    expect(rows).toEqual([{ db: 'test' }]);
    await handle.stop();
  });

  it('uses ASYNCDB_MYSQL_URL when it is set', async () => {
    const url = 'mysql://root@127.0.0.1:3306/mysql';
    vi.stubEnv('ASYNCDB_MYSQL_URL', url);
    await expect(resolveMysql()).resolves.toMatchObject({ url, embedded: false });
  });

  it('says what it tried and how to provide a server when none answers, without the password', async () => {
    const url = `mysql://root:Sup3rSecret@127.0.0.1:${await findFreePort()}/test`;
    vi.stubEnv('ASYNCDB_MYSQL_URL', url);
    const { message } = await failure();
    expect(message).toContain(`at ${redactUrl(url)} (from ASYNCDB_MYSQL_URL)`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('set ASYNCDB_MYSQL_URL=mysql://user:password@host:port/database');
    expect(message).toContain('apt-get install -y mariadb-server');
    expect(message).toContain('start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd');
    expect(message).toContain("GRANT ALL ON *.* TO root@'127.0.0.1'");
    expect(message).not.toContain('Sup3rSecret');
  });

  it('fails without revealing the password when the server rejects it', async () => {
    vi.stubEnv('ASYNCDB_MYSQL_URL', 'mysql://root:Wr0ngSecret@127.0.0.1:3306/test');
    const { message } = await failure();
    expect(message).toContain('Access denied');
    expect(message).not.toContain('Wr0ngSecret');
  });
});

describe('probeMysql', () => {
  it('gives up on a server that never answers after the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      await expect(probeMysql(`mysql://root@127.0.0.1:${silent.port}/test`, 300)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await silent.close();
    }
  });
});
