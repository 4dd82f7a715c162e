import { ConnectionStringError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { escapeStartupOption, toClientConfig } from './pg-client-config.js';
import { PgConnectionStringBuilder } from './pg-connection-string-builder.js';

const config = (text: string) => toClientConfig(new PgConnectionStringBuilder(text));

describe('toClientConfig', () => {
  it('passes the connection keywords to pg', () => {
    expect(config('Host=db;Port=5433;Database=shop;Username=ann;Password=pw;Application Name=web')).toMatchObject({
      host: 'db',
      port: 5433,
      database: 'shop',
      user: 'ann',
      password: 'pw',
      application_name: 'web',
      ssl: false,
    });
  });

  it('leaves unset keywords out so pg can use PGHOST, PGUSER…', () => {
    const result = config('');
    expect('host' in result).toBe(false);
    expect('user' in result).toBe(false);
    expect('database' in result).toBe(false);
    expect('password' in result).toBe(false);
  });

  it('sends Timezone (UTC by default) and Search Path as startup options, so RESET ALL keeps them', () => {
    expect(config('').options).toBe('-c TimeZone=UTC -c lc_monetary=C');
    expect(config('Timezone=America/New_York;Search Path=app, public').options).toBe(
      '-c TimeZone=America/New_York -c lc_monetary=C -c search_path=app,\\ public',
    );
  });

  it('escapes white space and backslashes in startup options', () => {
    expect(escapeStartupOption('a b\\c\td')).toBe('a\\ b\\\\c\\\td');
  });

  it.each([
    ['Disable', false],
    ['Require', { rejectUnauthorized: false }],
    ['VerifyFull', { rejectUnauthorized: true }],
  ] as const)('maps SSL Mode=%s', (mode, ssl) => {
    expect(config(`SSL Mode=${mode}`).ssl).toEqual(ssl);
  });

  it('checks the chain but not the host name for VerifyCA', () => {
    const ssl = config('SSL Mode=VerifyCA').ssl as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('under Server Compatibility Mode=TransactionPooler sends TimeZone as its own startup parameter and no options', () => {
    // pgbouncer refuses the startup parameter `options` and re-applies a tracked TimeZone to every server session.
    const pooled = config('Host=db;Timezone=Europe/Paris;Server Compatibility Mode=TransactionPooler');
    expect(pooled.options).toBeUndefined();
    expect(pooled.startupParameters).toEqual({ TimeZone: 'Europe/Paris' });
    expect(config('Host=db').startupParameters).toBeUndefined();
  });

  it('refuses Search Path under Server Compatibility Mode=TransactionPooler, naming the keyword', () => {
    const attempt = () => config('Host=db;Search Path=app;Server Compatibility Mode=TransactionPooler');
    expect(attempt).toThrow(ConnectionStringError);
    expect(attempt).toThrow(/Search Path cannot be used with Server Compatibility Mode=TransactionPooler/);
  });

  it('converts Connect Timeout to milliseconds', () => {
    expect(config('Connect Timeout=3').connectionTimeoutMillis).toBe(3000);
    expect(config('').connectionTimeoutMillis).toBe(15000);
  });
});
