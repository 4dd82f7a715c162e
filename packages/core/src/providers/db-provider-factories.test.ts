import { afterEach, describe, expect, it } from 'vitest';
import { DbProviderFactories, clearPool } from './db-provider-factories.js';
import { DbProviderFactory } from './db-provider-factory.js';
import { DEFAULT_PROVIDER_CAPABILITIES } from './provider-capabilities.js';
import { DbCommand } from '../contracts/db-command.js';
import { DbConnection } from '../contracts/db-connection.js';
import { DbParameter } from '../contracts/db-parameter.js';
import { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { ArgumentError, ProviderNotFoundError } from '../errors/errors.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';

afterEach(() => {
  for (const name of DbProviderFactories.getProviderInvariantNames()) DbProviderFactories.unregisterFactory(name);
});

/** A memory factory that records pool calls. */
class PoolRecordingFactory extends MemoryProviderFactory {
  readonly cleared: string[] = [];
  clearedAll = 0;
  override clearPool(connectionString: string): Promise<void> {
    this.cleared.push(connectionString);
    return Promise.resolve();
  }
  override clearAllPools(): Promise<void> {
    this.clearedAll += 1;
    return Promise.resolve();
  }
}

describe('DbProviderFactories', () => {
  it('returns the registered factory', () => {
    const factory = new MemoryProviderFactory();
    DbProviderFactories.registerFactory('memory', factory);
    expect(DbProviderFactories.getFactory('memory')).toBe(factory);
  });

  it('looks names up case-insensitively, ignoring surrounding white space', () => {
    const factory = new MemoryProviderFactory();
    DbProviderFactories.registerFactory('Memory.Provider', factory);
    expect(DbProviderFactories.getFactory('memory.provider')).toBe(factory);
    expect(DbProviderFactories.getFactory(' MEMORY.PROVIDER ')).toBe(factory);
    expect(DbProviderFactories.tryGetFactory('MEMORY.provider')).toBe(factory);
  });

  it("returns a connection's own factory", () => {
    const factory = new MemoryProviderFactory();
    expect(DbProviderFactories.getFactory(factory.createConnection())).toBe(factory);
  });

  it('replaces a registration under the same name', () => {
    const first = new MemoryProviderFactory();
    const second = new MemoryProviderFactory();
    DbProviderFactories.registerFactory('memory', first);
    DbProviderFactories.registerFactory('MEMORY', second);
    expect(DbProviderFactories.getFactory('memory')).toBe(second);
    expect(DbProviderFactories.getProviderInvariantNames()).toEqual(['memory']);
  });

  it('throws ProviderNotFoundError naming the registered providers', () => {
    DbProviderFactories.registerFactory('pg', new MemoryProviderFactory());
    DbProviderFactories.registerFactory('mysql', new MemoryProviderFactory());
    let error: unknown;
    try {
      DbProviderFactories.getFactory('mssql');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProviderNotFoundError);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe(
      "No asyncdb provider is registered as 'mssql'. Registered: pg, mysql. Call DbProviderFactories.registerFactory('mssql', factory) first.",
    );
  });

  it('says so when no provider is registered', () => {
    expect(() => DbProviderFactories.getFactory('pg')).toThrow(/None is registered/);
    expect(DbProviderFactories.tryGetFactory('pg')).toBeUndefined();
  });

  it('unregisterFactory removes a registration and tells whether there was one', () => {
    DbProviderFactories.registerFactory('memory', new MemoryProviderFactory());
    expect(DbProviderFactories.unregisterFactory('MEMORY')).toBe(true);
    expect(DbProviderFactories.unregisterFactory('memory')).toBe(false);
    expect(() => DbProviderFactories.getFactory('memory')).toThrow(ProviderNotFoundError);
  });

  it('getProviderInvariantNames lists the registered names', () => {
    expect(DbProviderFactories.getProviderInvariantNames()).toEqual([]);
    DbProviderFactories.registerFactory('pg', new MemoryProviderFactory());
    DbProviderFactories.registerFactory('MySql', new MemoryProviderFactory());
    expect(DbProviderFactories.getProviderInvariantNames()).toEqual(['pg', 'mysql']);
  });

  it('refuses an empty name or something that is not a factory', () => {
    expect(() => DbProviderFactories.registerFactory('', new MemoryProviderFactory())).toThrow(ArgumentError);
    expect(() => DbProviderFactories.registerFactory('  ', new MemoryProviderFactory())).toThrow(ArgumentError);
    expect(() => DbProviderFactories.registerFactory('x', {} as DbProviderFactory)).toThrow(ArgumentError);
    expect(() => DbProviderFactories.registerFactory('x', null as unknown as DbProviderFactory)).toThrow(ArgumentError);
  });

  it('clearAllPools clears each registered factory once', async () => {
    const factory = new PoolRecordingFactory();
    const other = new PoolRecordingFactory();
    DbProviderFactories.registerFactory('a', factory);
    DbProviderFactories.registerFactory('b', factory);
    DbProviderFactories.registerFactory('c', other);
    await DbProviderFactories.clearAllPools();
    expect(factory.clearedAll).toBe(1);
    expect(other.clearedAll).toBe(1);
  });

  it("clearPool(connection) clears the pool of the connection's exact connection string", async () => {
    const factory = new PoolRecordingFactory();
    const connection = factory.createConnection('Database=test;Password=secret');
    await connection.open();
    await clearPool(connection);
    await connection.close();
    expect(factory.cleared).toEqual(['Database=test;Password=secret']);
  });
});

describe('DbProviderFactory', () => {
  it('creates connections, commands, parameters and builders', () => {
    const factory = new MemoryProviderFactory();
    expect(factory.createConnection()).toBeInstanceOf(DbConnection);
    expect(factory.createConnection('Database=x').connectionString).toBe('Database=x');
    expect(factory.createCommand('ROWS 1')).toBeInstanceOf(DbCommand);
    expect(factory.createCommand('ROWS 1').commandText).toBe('ROWS 1');
    expect(factory.createConnectionStringBuilder('Database=x')).toBeInstanceOf(DbConnectionStringBuilder);
    const parameter = factory.createParameter('@p', 3);
    expect(parameter).toBeInstanceOf(DbParameter);
    expect([parameter.parameterName, parameter.value]).toEqual(['@p', 3]);
    expect(factory.createParameter().value).toBeUndefined();
  });

  it('exposes capabilities, starting from conservative defaults', () => {
    expect(new MemoryProviderFactory().capabilities.supportsSavepoints).toBe(true);
    expect(DEFAULT_PROVIDER_CAPABILITIES).toMatchObject({
      cancellation: 'none',
      supportsSavepoints: false,
      isolationLevels: ['ReadCommitted'],
    });
    expect(Object.isFrozen(DEFAULT_PROVIDER_CAPABILITIES)).toBe(true);
  });

  it('pool management does nothing by default', async () => {
    class Bare extends MemoryProviderFactory {}
    const factory = new Bare();
    await expect(DbProviderFactory.prototype.clearPool.call(factory, 'x')).resolves.toBeUndefined();
    await expect(DbProviderFactory.prototype.clearAllPools.call(factory)).resolves.toBeUndefined();
  });
});
