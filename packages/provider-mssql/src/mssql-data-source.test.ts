import { describe, expect, it } from 'vitest';
import { ConnectionStringError, NotSupportedError } from '@asyncdb/core';
import { formatDataSource, parseDataSource } from './mssql-data-source.js';

describe('parseDataSource', () => {
  it.each([
    ['db', { host: 'db' }],
    ['db,1533', { host: 'db', port: 1533 }],
    [' db , 1533 ', { host: 'db', port: 1533 }],
    ['tcp:db,1433', { host: 'db', port: 1433 }],
    ['TCP:db', { host: 'db' }],
    ['db\\SQLEXPRESS', { host: 'db', instanceName: 'SQLEXPRESS' }],
    ['db\\SQLEXPRESS,1500', { host: 'db', port: 1500 }],
    ['(local)', { host: 'localhost' }],
    ['.', { host: 'localhost' }],
    ['.\\SQLEXPRESS', { host: 'localhost', instanceName: 'SQLEXPRESS' }],
    ['(local),1433', { host: 'localhost', port: 1433 }],
    ['10.0.0.5,1433', { host: '10.0.0.5', port: 1433 }],
    ['[::1],1433', { host: '::1', port: 1433 }],
    ['::1', { host: '::1' }],
  ])('%s', (text, expected) => {
    expect(parseDataSource(text)).toEqual(expected);
  });

  it.each(['', ',1433', 'db,0', 'db,65536', 'db,abc', 'db\\', 'tcp:'])('rejects %j', (text) => {
    expect(() => parseDataSource(text)).toThrow(ConnectionStringError);
  });

  // Issue 13 item 1: a missing ';' puts a password in the host name, which network errors echo.
  it.each(['db Password=Tr0ub4dor', 'db=Tr0ub4dor', 'a:Tr0ub4dor', 'db\\inst Password=Tr0ub4dor', 'db;x'])(
    'rejects %j without quoting it',
    (text) => {
      let error: unknown;
      try {
        parseDataSource(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConnectionStringError);
      expect(JSON.stringify(error) + String(error)).not.toContain('Tr0ub4dor');
    },
  );

  it('says to use a comma for a host:port written the URL way', () => {
    expect(() => parseDataSource('db:1433')).toThrow(/after a comma/);
  });

  it.each(['np:\\\\db\\pipe\\sql\\query', 'lpc:db', '(localdb)\\MSSQLLocalDB'])(
    'refuses %s, which tedious cannot reach',
    (text) => {
      expect(() => parseDataSource(text)).toThrow(NotSupportedError);
    },
  );

  it('formats back in SqlClient form', () => {
    expect(formatDataSource({ host: 'db', port: 1 })).toBe('db,1');
    expect(formatDataSource({ host: 'db', instanceName: 'X' })).toBe('db\\X');
    expect(formatDataSource({ host: 'db' })).toBe('db');
  });
});
