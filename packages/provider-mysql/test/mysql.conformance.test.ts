import type {} from '@asyncdb/test-servers';
import { describeProviderConformance } from '@asyncdb/testkit';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import { MysqlProviderFactory } from '../src/index.js';
import { mysqlFixture, type MysqlFlavor } from './mysql-fixture.js';

/** The conformance account, for servers whose account has no password (see {@link conformanceUrl}). */
const CONFORMANCE_USER = 'asyncdb_conformance';
const CONFORMANCE_PASSWORD = 'asyncdb-conformance-pw';

/** The fixture differs a little between MariaDB and MySQL: ask the server which one it is. */
async function flavorOf(admin: mysql.Connection): Promise<MysqlFlavor> {
  const [rows] = await admin.query('SELECT VERSION() AS version');
  return /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version)) ? 'mariadb' : 'mysql';
}

/**
 * The suite's Persist Security Info tests need a password in the connection string, and MySQL refuses a password
 * for an account that has none (PostgreSQL's trust authentication ignores it). When the test server's URL has no
 * password (root@127.0.0.1 here), the suite runs as an account that has one, with the privileges it needs: its
 * database, PROCESS (to read other sessions in information_schema) and the InnoDB statistics table the isolation
 * recipe reads. When the account cannot be created, the URL is used as it is.
 */
async function conformanceUrl(admin: mysql.Connection, url: string): Promise<string> {
  const parsed = new URL(url);
  if (parsed.password !== '') return url;
  const database = decodeURIComponent(parsed.pathname.slice(1)) || 'test';
  try {
    // 'localhost' too: a server that resolves 127.0.0.1 to localhost would otherwise match an anonymous ''@localhost.
    for (const host of ['%', 'localhost']) {
      const account = `'${CONFORMANCE_USER}'@'${host}'`;
      await admin.query(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY '${CONFORMANCE_PASSWORD}'`);
      await admin.query(`ALTER USER ${account} IDENTIFIED BY '${CONFORMANCE_PASSWORD}'`);
      await admin.query(`GRANT ALL ON \`${database.replaceAll('`', '``')}\`.* TO ${account}`);
      await admin.query(`GRANT PROCESS ON *.* TO ${account}`);
      await admin.query(`GRANT SELECT ON mysql.innodb_index_stats TO ${account}`);
    }
    parsed.username = CONFORMANCE_USER;
    parsed.password = CONFORMANCE_PASSWORD;
    const probe = await mysql.createConnection(parsed.toString());
    await probe.end();
    return parsed.toString();
  } catch {
    return url;
  }
}

const rootUrl = inject('mysqlUrl');
const admin = await mysql.createConnection(rootUrl);
const flavor = await flavorOf(admin);
const url = await conformanceUrl(admin, rootUrl);
await admin.end();

describeProviderConformance({
  name: 'mysql',
  factory: MysqlProviderFactory.instance,
  connectionString: url,
  fixture: mysqlFixture(flavor),
  serverHint:
    'Set ASYNCDB_MYSQL_URL=mysql://user:password@host:port/database, or start MariaDB on 127.0.0.1:3306 (see packages/test-servers).',
});
