import { DbProviderFactories, type DbProviderFactory } from '@asyncdb/core';
import type { ProviderName } from '../cli/names.js';

/**
 * Registers a provider with `DbProviderFactories` (idempotent). Imported on demand, so a process that measures one
 * provider loads that provider's driver only — a streaming child's RSS must not include the other two.
 */
export async function registerProvider(provider: ProviderName): Promise<DbProviderFactory> {
  if (!DbProviderFactories.getProviderInvariantNames().includes(provider)) {
    switch (provider) {
      case 'pg':
        (await import('@asyncdb/provider-pg')).registerPgProvider();
        break;
      case 'mysql':
        (await import('@asyncdb/provider-mysql')).registerMysqlProvider();
        break;
      case 'mssql':
        (await import('@asyncdb/provider-mssql')).registerMssqlProvider();
        break;
      case 'sqlite':
        (await import('@asyncdb/provider-sqlite')).registerSqliteProvider();
        break;
    }
  }
  return DbProviderFactories.getFactory(provider);
}

/**
 * The factory of a registered provider ({@link registerProvider} first). From here on the benchmark only talks to
 * `DbProviderFactory`: the asyncdb side of every scenario is one provider-neutral piece of code.
 */
export function factoryOf(provider: ProviderName): DbProviderFactory {
  return DbProviderFactories.getFactory(provider);
}
