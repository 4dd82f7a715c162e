import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from '@asyncdb/core';
import { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';

describe('MssqlConnectionStringBuilder', () => {
  // adonet-conformance.md §3.5: SqlClient's synonyms resolve to the canonical keyword, which is what is printed.
  it.each([
    ['Server', 'Data Source', 'db'],
    ['Address', 'Data Source', 'db'],
    ['Addr', 'Data Source', 'db'],
    ['Network Address', 'Data Source', 'db'],
    ['Database', 'Initial Catalog', 'shop'],
    ['UID', 'User ID', 'app'],
    ['User', 'User ID', 'app'],
    ['PWD', 'Password', 'x'],
    ['Trusted_Connection', 'Integrated Security', 'False'],
    ['async', 'Asynchronous Processing', 'true'],
    ['App', 'Application Name', 'web'],
    ['Connection Timeout', 'Connect Timeout', '30'],
    ['Timeout', 'Connect Timeout', '30'],
    ['ConnectTimeout', 'Connect Timeout', '30'],
    ['Language', 'Current Language', 'Deutsch'],
    ['WSID', 'Workstation ID', 'pc'],
    ['WorkstationID', 'Workstation ID', 'pc'],
    ['Connection Lifetime', 'Load Balance Timeout', '60'],
    ['MultipleActiveResultSets', 'Multiple Active Result Sets', 'false'],
    ['TrustServerCertificate', 'Trust Server Certificate', 'true'],
    ['PersistSecurityInfo', 'Persist Security Info', 'false'],
    ['ApplicationIntent', 'Application Intent', 'ReadOnly'],
    ['MultiSubnetFailover', 'Multi Subnet Failover', 'true'],
    ['PacketSize', 'Packet Size', '4096'],
    ['HostNameInCertificate', 'Host Name In Certificate', 'db.example.com'],
    ['ConnectRetryCount', 'Connect Retry Count', '3'],
    ['ConnectRetryInterval', 'Connect Retry Interval', '5'],
    ['Default Command Timeout', 'Command Timeout', '60'],
  ])('%s is a synonym of %s', (synonym, canonical, value) => {
    const builder = new MssqlConnectionStringBuilder(`${synonym}=${value}`);
    expect(builder.keys()).toEqual([canonical]);
    expect(builder.connectionString).toBe(`${canonical}=${value}`);
  });

  it('reads the typed values with SqlClient defaults', () => {
    const builder = new MssqlConnectionStringBuilder('Server=tcp:db,1533;Database=shop;UID=app;PWD=s3cret;App=web');
    expect(builder.dataSource).toBe('tcp:db,1533');
    expect(builder.parsedDataSource).toEqual({ host: 'db', port: 1533 });
    expect(builder.initialCatalog).toBe('shop');
    expect(builder.userID).toBe('app');
    expect(builder.password).toBe('s3cret');
    expect(builder.applicationName).toBe('web');
    expect(builder.encrypt).toBe('Mandatory');
    expect(builder.trustServerCertificate).toBe(false);
    expect(builder.integratedSecurity).toBe(false);
    expect(builder.multipleActiveResultSets).toBe(false);
    expect(builder.packetSize).toBe(8000);
    expect(builder.applicationIntent).toBe('ReadWrite');
    expect(builder.loadBalanceTimeout).toBe(0);
    expect(builder.connectRetryCount).toBe(1);
    expect(builder.connectRetryInterval).toBe(10);
    expect(builder.getInteger('Connect Timeout')).toBe(15);
  });

  it('defaults Data Source to the local machine', () => {
    expect(new MssqlConnectionStringBuilder('').parsedDataSource).toEqual({ host: 'localhost' });
  });

  it.each([
    ['true', 'Mandatory'],
    ['yes', 'Mandatory'],
    ['Mandatory', 'Mandatory'],
    ['false', 'Optional'],
    ['no', 'Optional'],
    ['optional', 'Optional'],
    ['strict', 'Strict'],
  ])('Encrypt=%s reads as %s', (value, expected) => {
    expect(new MssqlConnectionStringBuilder(`Encrypt=${value}`).encrypt).toBe(expected);
  });

  it('accepts SSPI for Integrated Security', () => {
    expect(new MssqlConnectionStringBuilder('Integrated Security=SSPI').integratedSecurity).toBe(true);
    expect(new MssqlConnectionStringBuilder('Trusted_Connection=yes').integratedSecurity).toBe(true);
  });

  it('lets Port override the port or instance of Data Source', () => {
    expect(new MssqlConnectionStringBuilder('Data Source=db\\X;Port=1444').parsedDataSource).toEqual({
      host: 'db',
      port: 1444,
    });
    expect(new MssqlConnectionStringBuilder('Data Source=db,1;Port=2').parsedDataSource).toEqual({
      host: 'db',
      port: 2,
    });
  });

  it.each(['AttachDBFilename=x.mdf', 'Network Library=dbmssocn', 'Enlist=true', 'xyzzy=1'])(
    'rejects %s, which tedious cannot honour, naming the keyword',
    (text) => {
      expect(() => new MssqlConnectionStringBuilder(text)).toThrow(/Keyword not supported/);
    },
  );

  it.each(['Packet Size=100', 'Encrypt=maybe', 'Port=0', 'Application Intent=ReadMostly'])(
    'rejects the invalid value %s',
    (text) => {
      expect(() => new MssqlConnectionStringBuilder(text)).toThrow(ConnectionStringError);
    },
  );

  it('never prints the password from toString()', () => {
    const builder = new MssqlConnectionStringBuilder('Server=db;PWD=s3cret');
    expect(`${builder}`).toBe('Data Source=db;Password=*****');
    expect(JSON.stringify({ builder })).not.toContain('s3cret');
    expect(builder.withoutSecrets()).toBe('Data Source=db');
  });

  describe('URLs', () => {
    it('reads mssql://user:password@host:port/database?options into SqlClient keywords', () => {
      const builder = new MssqlConnectionStringBuilder(
        'mssql://sa:p%40ss@db.example.com:1533/shop?encrypt=false&trustServerCertificate=true&appName=web',
      );
      expect(builder.connectionString).toBe(
        'Data Source=db.example.com;Port=1533;Initial Catalog=shop;User ID=sa;Password=p@ss;Encrypt=false;Trust Server Certificate=true;Application Name=web',
      );
      expect(builder.parsedDataSource).toEqual({ host: 'db.example.com', port: 1533 });
    });

    it('accepts sqlserver:// and an instanceName option', () => {
      const builder = new MssqlConnectionStringBuilder('sqlserver://db/master?instanceName=SQLEXPRESS');
      expect(builder.dataSource).toBe('db\\SQLEXPRESS');
      expect(builder.initialCatalog).toBe('master');
    });

    it('rejects another scheme and never echoes the password', () => {
      expect(() => new MssqlConnectionStringBuilder('postgres://u:s3cret@db/x')).toThrow(/unsupported scheme/);
      // An unknown query option is located, never quoted: its text could be a mistyped secret.
      let error: unknown;
      try {
        new MssqlConnectionStringBuilder('mssql://u:s3cret@db/x?bogus=1');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain('s3cret');
      expect((error as Error).message).not.toContain('bogus');
      expect((error as Error).message).toContain('query option');
    });
  });
});
