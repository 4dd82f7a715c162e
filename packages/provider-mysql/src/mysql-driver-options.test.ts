import { ConnectionStringError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { mysqlSettings } from './mysql-driver-options.js';

describe('mysqlSettings', () => {
  it('maps the keywords to mysql2 options with the value options docs/values.md relies on', () => {
    const settings = mysqlSettings(
      new MysqlConnectionStringBuilder(
        'Server=db;Port=3307;Database=shop;UID=app;PWD=pw;Connect Timeout=7;Application Name=demo;Character Set=latin1',
      ),
    );
    expect(settings.driver).toMatchObject({
      host: 'db',
      port: 3307,
      user: 'app',
      password: 'pw',
      database: 'shop',
      charset: 'latin1',
      connectTimeout: 7000,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      timezone: 'Z',
      multipleStatements: false,
      connectAttributes: { program_name: 'demo' },
    });
    expect(settings.driver.ssl).toBeUndefined();
    expect(settings.dataSource).toBe('db:3307');
    expect(settings.secrets).toEqual(['pw']);
  });

  it('reads a port written with the host (Server=db:3308), which wins over Port', () => {
    const settings = mysqlSettings(new MysqlConnectionStringBuilder('Server=db:3308;Port=3307'));
    expect(settings.driver).toMatchObject({ host: 'db', port: 3308 });
    expect(settings.dataSource).toBe('db:3308');
    expect(mysqlSettings(new MysqlConnectionStringBuilder('Server=[::1]')).driver).toMatchObject({
      host: '::1',
      port: 3306,
    });
  });

  it('leaves the character set to mysql2 unless one is given, and refuses unknown ones', () => {
    expect(mysqlSettings(new MysqlConnectionStringBuilder('')).driver.charset).toBeUndefined();
    expect(mysqlSettings(new MysqlConnectionStringBuilder('Character Set=utf8mb4_bin')).driver.charset).toBe(
      'utf8mb4_bin',
    );
    expect(() => mysqlSettings(new MysqlConnectionStringBuilder('CharSet=klingon'))).toThrow(ConnectionStringError);
  });

  it('reads pooling keywords', () => {
    const settings = mysqlSettings(new MysqlConnectionStringBuilder('Min Pool Size=2;Max Pool Size=7;Pooling=true'));
    expect(settings).toMatchObject({
      pooling: true,
      minPoolSize: 2,
      maxPoolSize: 7,
      connectionReset: true,
      dataSource: 'localhost',
    });
  });

  it.each([
    ['None', undefined],
    ['Required', { rejectUnauthorized: false }],
    ['VerifyFull', { rejectUnauthorized: true }],
  ])('maps SSL Mode=%s to mysql2 ssl options', (mode, ssl) => {
    expect(mysqlSettings(new MysqlConnectionStringBuilder(`SSL Mode=${mode}`)).driver.ssl).toEqual(ssl);
  });

  it('checks the chain but not the host name with VerifyCA', () => {
    const ssl = mysqlSettings(new MysqlConnectionStringBuilder('SSL Mode=VerifyCA')).driver.ssl as {
      rejectUnauthorized: boolean;
      checkServerIdentity: () => undefined;
    };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('keys side connections by server and credentials, not by pool options', () => {
    const a = mysqlSettings(new MysqlConnectionStringBuilder('Server=db;UID=app;PWD=pw;Max Pool Size=3'));
    const b = mysqlSettings(new MysqlConnectionStringBuilder('Server=db;UID=app;PWD=pw;Max Pool Size=9'));
    const c = mysqlSettings(new MysqlConnectionStringBuilder('Server=db;UID=other;PWD=pw'));
    expect(a.serverKey).toBe(b.serverKey);
    expect(a.serverKey).not.toBe(c.serverKey);
  });
});
