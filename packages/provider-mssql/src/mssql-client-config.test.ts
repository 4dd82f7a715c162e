import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '@asyncdb/core';
import { CANCEL_TIMEOUT_MS, toTediousConfig } from './mssql-client-config.js';
import { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';

const config = (text: string, connectTimeoutMs = 15_000) =>
  toTediousConfig(new MssqlConnectionStringBuilder(text), connectTimeoutMs);

describe('toTediousConfig', () => {
  it('maps the SqlClient keywords to tedious options', () => {
    const result = config(
      'Server=tcp:db,1533;Database=shop;User ID=app;Password=pw;Encrypt=false;TrustServerCertificate=true;App=web;' +
        'Language=Deutsch;WSID=pc;Packet Size=4096;ApplicationIntent=ReadOnly;MultiSubnetFailover=true;ConnectRetryCount=3;ConnectRetryInterval=2;' +
        'HostNameInCertificate=db.example.com',
    );
    expect(result.server).toBe('db');
    expect(result.authentication).toEqual({ type: 'default', options: { userName: 'app', password: 'pw' } });
    expect(result.options).toMatchObject({
      port: 1533,
      database: 'shop',
      encrypt: false,
      trustServerCertificate: true,
      appName: 'web',
      language: 'Deutsch',
      workstationId: 'pc',
      packetSize: 4096,
      readOnlyIntent: true,
      multiSubnetFailover: true,
      maxRetriesOnTransientErrors: 3,
      connectionRetryInterval: 2000,
      serverName: 'db.example.com',
      connectTimeout: 15_000,
    });
  });

  it('applies what asyncdb relies on: UTC dates, lower-case GUIDs, no tedious request timeout, a cancel timeout under core grace', () => {
    expect(config('Server=db').options).toMatchObject({
      encrypt: true,
      port: 1433,
      useUTC: true,
      lowerCaseGuids: true,
      requestTimeout: 0,
      cancelTimeout: CANCEL_TIMEOUT_MS,
      rowCollectionOnDone: false,
      rowCollectionOnRequestCompletion: false,
      useColumnNames: false,
    });
    expect(CANCEL_TIMEOUT_MS).toBeLessThan(5_000);
  });

  it('uses the instance name instead of a port, strict TLS, and no limit for Connect Timeout=0', () => {
    const result = config('Server=db\\SQLEXPRESS;Encrypt=Strict', 0);
    expect(result.options).toMatchObject({ instanceName: 'SQLEXPRESS', encrypt: 'strict' });
    expect(result.options?.port).toBeUndefined();
    expect(result.options?.connectTimeout).toBeGreaterThan(2_000_000_000);
  });

  it('refuses Integrated Security and MARS, which tedious cannot do', () => {
    expect(() => config('Server=db;Integrated Security=SSPI')).toThrow(NotSupportedError);
    expect(() => config('Server=db;MultipleActiveResultSets=true')).toThrow(NotSupportedError);
  });
});
