import { ConnectionStringError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { MysqlSettingsCache } from './mysql-settings-cache.js';

const plan = (cache: MysqlSettingsCache, text: string) => cache.planFor(text, new MysqlConnectionStringBuilder(text));

describe('MysqlSettingsCache', () => {
  it('derives settings and pool key once per connection string', () => {
    const cache = new MysqlSettingsCache();
    const first = plan(cache, 'Server=db;User ID=app;Password=s3cret;Max Pool Size=7');
    expect(first.settings.maxPoolSize).toBe(7);
    expect(first.settings.driver.password).toBe('s3cret');
    expect(plan(cache, 'Server=db;User ID=app;Password=s3cret;Max Pool Size=7')).toBe(first);
  });

  it('keys the pool by the canonical string, so equivalent spellings share a pool', () => {
    const cache = new MysqlSettingsCache();
    const a = plan(cache, 'Server=db;User ID=app');
    const b = plan(cache, 'host=db; uid=app');
    expect(b).not.toBe(a);
    expect(b.poolKey).toBe(a.poolKey);
  });

  it('does not split pools on keywords that only shape the DbConnection (Command Timeout)', () => {
    const cache = new MysqlSettingsCache();
    const a = plan(cache, 'Server=db;User ID=app;Command Timeout=5');
    const b = plan(cache, 'Server=db;User ID=app;Command Timeout=60');
    expect(b.poolKey).toBe(a.poolKey);
  });

  it('knows a builder core parsed by identity: one plan per builder, and per text behind it', () => {
    const cache = new MysqlSettingsCache();
    const builder = new MysqlConnectionStringBuilder('Server=db;User ID=app;Password=s3cret');
    const other = new MysqlConnectionStringBuilder('Server=db2;User ID=app');
    const first = cache.planOf(builder);
    expect(first.settings.driver.password).toBe('s3cret');
    expect(cache.planOf(other).settings.driver.host).toBe('db2');
    expect(cache.planOf(builder)).toBe(first);
    // A second builder of the same string finds the plan of its text.
    expect(cache.planOf(new MysqlConnectionStringBuilder('Server=db;User ID=app;Password=s3cret'))).toBe(first);
  });

  it('keeps nothing for a string whose settings are invalid', () => {
    const cache = new MysqlSettingsCache();
    const text = 'Server=db;Character Set=no-such-charset';
    expect(() => plan(cache, text)).toThrow(ConnectionStringError);
    expect(() => plan(cache, text)).toThrow(ConnectionStringError);
  });
});
