import { ConnectionStringError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';

describe('MysqlConnectionStringBuilder', () => {
  it('reads the canonical keywords', () => {
    const builder = new MysqlConnectionStringBuilder(
      'Server=db;Port=3307;Database=shop;User ID=app;Password=s3cret;SSL Mode=Required;Character Set=latin1;Connection Reset=false',
    );
    expect(builder.server).toBe('db');
    expect(builder.port).toBe(3307);
    expect(builder.database).toBe('shop');
    expect(builder.userId).toBe('app');
    expect(builder.password).toBe('s3cret');
    expect(builder.sslMode).toBe('Required');
    expect(builder.characterSet).toBe('latin1');
    expect(builder.connectionReset).toBe(false);
  });

  it.each([
    ['Host', 'Server'],
    ['Data Source', 'Server'],
    ['UID', 'User ID'],
    ['User', 'User ID'],
    ['Username', 'User ID'],
    ['PWD', 'Password'],
    ['SslMode', 'SSL Mode'],
    ['CharSet', 'Character Set'],
    ['ConnectionReset', 'Connection Reset'],
  ])('resolves the synonym %s to %s', (synonym, canonical) => {
    const value = canonical === 'SSL Mode' ? 'Required' : canonical === 'Connection Reset' ? 'true' : 'x';
    const builder = new MysqlConnectionStringBuilder(`${synonym}=${value}`);
    expect(builder.keys()).toEqual([canonical]);
    expect(builder.get(canonical)).toBe(value);
  });

  it('has the documented defaults', () => {
    const builder = new MysqlConnectionStringBuilder('');
    expect(builder.server).toBe('localhost');
    expect(builder.port).toBe(3306);
    expect(builder.database).toBeUndefined();
    expect(builder.sslMode).toBe('None');
    expect(builder.characterSet).toBe('utf8mb4');
    expect(builder.connectionReset).toBe(true);
    expect(builder.getBoolean('Pooling')).toBe(true);
    expect(builder.getInteger('Connect Timeout')).toBe(15);
  });

  it.each([
    ['Preferred', 'None'],
    ['disabled', 'None'],
    ['VERIFY_CA', 'VerifyCA'],
    ['verify_identity', 'VerifyFull'],
    ['VerifyFull', 'VerifyFull'],
  ])('folds SSL Mode %s to %s', (raw, canonical) => {
    expect(new MysqlConnectionStringBuilder(`SSL Mode=${raw}`).sslMode).toBe(canonical);
  });

  // An unknown key is reported by position and never quoted (it may be part of a password: issue 13 item 1).
  it('rejects unknown keywords by position and invalid values naming the keyword', () => {
    expect(() => new MysqlConnectionStringBuilder('Server=db;Flavour=vanilla')).toThrow(
      'Keyword not supported: the keyword of the pair starting at index 10 is not a keyword',
    );
    expect(() => new MysqlConnectionStringBuilder('Port=70000')).toThrow(ConnectionStringError);
    expect(() => new MysqlConnectionStringBuilder('SSL Mode=Sometimes')).toThrow("Invalid value for key 'ssl mode'.");
  });

  it('accepts a mysql:// URL, percent-decoded, with keywords as query options', () => {
    const builder = new MysqlConnectionStringBuilder(
      'mysql://app:p%40ss%3Bword@db.example:3307/shop?Max%20Pool%20Size=5&sslmode=Required',
    );
    expect(builder.server).toBe('db.example');
    expect(builder.port).toBe(3307);
    expect(builder.database).toBe('shop');
    expect(builder.userId).toBe('app');
    expect(builder.password).toBe('p@ss;word');
    expect(builder.getInteger('Max Pool Size')).toBe(5);
    expect(builder.sslMode).toBe('Required');
  });

  it('accepts mariadb:// and refuses other schemes', () => {
    expect(new MysqlConnectionStringBuilder('mariadb://root@127.0.0.1/test').server).toBe('127.0.0.1');
    expect(() => new MysqlConnectionStringBuilder('postgres://root@127.0.0.1/test')).toThrow(
      "unsupported scheme 'postgres'",
    );
  });

  it('keeps its content when a URL is invalid', () => {
    const builder = new MysqlConnectionStringBuilder('Server=db');
    expect(() => {
      builder.connectionString = 'mysql://root@host/db?Flavour=x';
    }).toThrow(ConnectionStringError);
    expect(builder.server).toBe('db');
  });

  it('never prints the password', () => {
    const builder = new MysqlConnectionStringBuilder('mysql://app:s3cret@db/shop');
    expect(builder.toString()).not.toContain('s3cret');
    expect(JSON.stringify(builder)).not.toContain('s3cret');
    expect(builder.withoutSecrets()).toBe('Server=db;Database=shop;User ID=app');
  });

  it('sets values through the typed properties', () => {
    const builder = new MysqlConnectionStringBuilder();
    builder.server = 'db';
    builder.port = 3310;
    builder.userId = 'root';
    builder.sslMode = 'VerifyCA';
    builder.connectionReset = false;
    expect(builder.connectionString).toBe('Server=db;Port=3310;User ID=root;SSL Mode=VerifyCA;Connection Reset=False');
  });
});

describe('MysqlConnectionStringBuilder Server lists', () => {
  it('reads each host of Server with its own port, Port for the others', () => {
    const builder = new MysqlConnectionStringBuilder('Server=h1,h2:3307,[::1];Port=3310');
    expect(builder.hostEndpoints).toEqual([
      { host: 'h1', port: 3310 },
      { host: 'h2', port: 3307 },
      { host: '::1', port: 3310 },
    ]);
  });

  it('Load Balance is RoundRobin by default when pooling, InOrder without; MySqlConnector spellings are accepted', () => {
    expect(new MysqlConnectionStringBuilder('Server=a,b').loadBalance).toBe('round-robin');
    expect(new MysqlConnectionStringBuilder('Server=a,b;Pooling=false').loadBalance).toBe('in-order');
    expect(new MysqlConnectionStringBuilder('Load Balance=InOrder').loadBalance).toBe('in-order');
    expect(new MysqlConnectionStringBuilder('LoadBalance=FailOver').loadBalance).toBe('in-order');
    expect(new MysqlConnectionStringBuilder('Load Balance=Random').loadBalance).toBe('random');
    expect(new MysqlConnectionStringBuilder('Load Balance=LeastConnections').loadBalance).toBe('fewest-connections');
    expect(new MysqlConnectionStringBuilder('Load Balance=FewestConnections').loadBalance).toBe('fewest-connections');
    expect(() => new MysqlConnectionStringBuilder('Load Balance=Sometimes')).toThrow(ConnectionStringError);
  });

  it('Host Recheck Seconds defaults to 10 and must not be negative', () => {
    expect(new MysqlConnectionStringBuilder('').hostRecheckSeconds).toBe(10);
    expect(new MysqlConnectionStringBuilder('Host Recheck Seconds=2').hostRecheckSeconds).toBe(2);
    expect(() => new MysqlConnectionStringBuilder('Host Recheck Seconds=-1')).toThrow(ConnectionStringError);
  });

  it('refuses a malformed Server list with a ConnectionStringError naming Server', () => {
    expect(() => new MysqlConnectionStringBuilder('Server=h1,,h2')).toThrow(ConnectionStringError);
    expect(() => new MysqlConnectionStringBuilder('Server=h1:99999')).toThrow(/Server/);
  });
});
