import { getConnectionInternals, type DbConnection } from '../contracts/db-connection.js';
import { ArgumentError, ProviderNotFoundError } from '../errors/errors.js';
import type { DbProviderFactory } from './db-provider-factory.js';

const factories = new Map<string, DbProviderFactory>();

/**
 * The registry of provider factories by invariant name. Mirrors `System.Data.Common.DbProviderFactories`.
 * Registration is always an explicit call (never an import side effect):
 *
 * ```ts
 * DbProviderFactories.registerFactory('pg', PgProviderFactory.instance);
 * const factory = DbProviderFactories.getFactory('pg');
 * ```
 */
export class DbProviderFactories {
  private constructor() {}

  /** Registers (or replaces) a factory under an invariant name (case-insensitive). */
  static registerFactory(invariantName: string, factory: DbProviderFactory): void {
    if (typeof invariantName !== 'string' || invariantName.trim() === '') {
      throw new ArgumentError('The provider invariant name must be a non-empty string.', 'invariantName');
    }
    if (!factory || typeof factory.createConnection !== 'function') {
      throw new ArgumentError('The factory must be a DbProviderFactory.', 'factory');
    }
    factories.set(invariantName.trim().toLowerCase(), factory);
  }

  /** The factory registered under a name, or the factory of a connection. Throws ProviderNotFoundError. */
  static getFactory(invariantNameOrConnection: string | DbConnection): DbProviderFactory {
    if (typeof invariantNameOrConnection !== 'string') return invariantNameOrConnection.providerFactory;
    const factory = factories.get(invariantNameOrConnection.trim().toLowerCase());
    if (factory) return factory;
    const known = [...factories.keys()];
    throw new ProviderNotFoundError(
      `No asyncdb provider is registered as '${invariantNameOrConnection}'. ` +
        (known.length ? `Registered: ${known.join(', ')}. ` : 'None is registered. ') +
        `Call DbProviderFactories.registerFactory('${invariantNameOrConnection}', factory) first.`,
      'invariantName',
    );
  }

  /** The factory registered under a name, or undefined. */
  static tryGetFactory(invariantName: string): DbProviderFactory | undefined {
    return factories.get(invariantName.trim().toLowerCase());
  }

  /** Removes a registration; true when there was one. */
  static unregisterFactory(invariantName: string): boolean {
    return factories.delete(invariantName.trim().toLowerCase());
  }

  /** The registered invariant names. */
  static getProviderInvariantNames(): string[] {
    return [...factories.keys()];
  }

  /** Clears the pools of every registered provider. */
  static async clearAllPools(): Promise<void> {
    await Promise.all([...new Set(factories.values())].map((factory) => factory.clearAllPools()));
  }
}

/** Clears the pool a connection belongs to. Mirrors `SqlConnection.ClearPool(connection)`. */
export function clearPool(connection: DbConnection): Promise<void> {
  return connection.providerFactory.clearPool(getConnectionInternals(connection).rawConnectionString);
}
