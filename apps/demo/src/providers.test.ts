import { describe, expect, it } from 'vitest';
import { DbProviderFactories } from '@asyncdb/core';
import { loadProvider, PROVIDER_PACKAGES, ProviderUnavailableError } from './providers.js';

describe('loadProvider', () => {
  it('imports the provider package, calls its registration function, and returns the registered factory', async () => {
    const factory = await loadProvider('pg');
    expect(factory.invariantName).toBe('pg');
    expect(DbProviderFactories.getFactory('pg')).toBe(factory);
  });

  it('names the missing package and its registration function when a provider cannot be loaded', async () => {
    const packages = {
      ...PROVIDER_PACKAGES,
      mssql: { packageName: '@asyncdb/provider-not-there', register: 'registerMssqlProvider' },
    };
    const error = await loadProvider('mssql', packages).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(
      /^The 'mssql' provider is not available: @asyncdb\/provider-not-there could not be loaded \(.*provider-not-there.*\)\. Its package must exist and export registerMssqlProvider\(\); choose another provider with --provider \(pg, mysql or sqlite\)\.$/,
    );
  });

  it('says so when the package loads but lacks the registration function', async () => {
    const packages = {
      ...PROVIDER_PACKAGES,
      mysql: { packageName: '@asyncdb/core', register: 'registerMysqlProvider' },
    };
    await expect(loadProvider('mysql', packages)).rejects.toThrow(
      "The 'mysql' provider is not available: @asyncdb/core loads but does not export registerMysqlProvider(). Choose another provider with --provider (pg, mssql or sqlite).",
    );
  });
});
