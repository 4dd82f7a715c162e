import { DbProviderFactories, type DbProviderFactory } from '@asyncdb/core';
import type { ProviderName } from './config.js';

/** Where a provider lives and the function that registers it (registration is explicit, never an import). */
export interface ProviderPackage {
  readonly packageName: string;
  readonly register: string;
}

/** The provider packages by name. */
export const PROVIDER_PACKAGES: Readonly<Record<ProviderName, ProviderPackage>> = Object.freeze({
  pg: { packageName: '@asyncdb/provider-pg', register: 'registerPgProvider' },
  mysql: { packageName: '@asyncdb/provider-mysql', register: 'registerMysqlProvider' },
  mssql: { packageName: '@asyncdb/provider-mssql', register: 'registerMssqlProvider' },
  sqlite: { packageName: '@asyncdb/provider-sqlite', register: 'registerSqliteProvider' },
});

/** The chosen provider cannot be loaded in this installation; the message names what is missing. Exit code 2. */
export class ProviderUnavailableError extends Error {
  /** Detected before any work started, like bad input. */
  readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * Imports the provider package, calls its registration function, and returns the factory registered under `name`
 * from {@link DbProviderFactories} — the composition root's only provider-specific step.
 *
 * The import is dynamic on purpose: a provider that is not installed or not finished fails only when it is
 * chosen, with a message naming what is missing, instead of breaking the demo for every other provider.
 */
export async function loadProvider(
  name: ProviderName,
  packages: Readonly<Record<ProviderName, ProviderPackage>> = PROVIDER_PACKAGES,
): Promise<DbProviderFactory> {
  const { packageName, register } = packages[name];
  let module: Record<string, unknown>;
  try {
    module = (await import(packageName)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ProviderUnavailableError(
      `The '${name}' provider is not available: ${packageName} could not be loaded (${reason}). ` +
        `Its package must exist and export ${register}(); choose another provider with --provider (${otherProviders(name)}).`,
      { cause: error },
    );
  }
  const registerFunction = module[register];
  if (typeof registerFunction !== 'function') {
    throw new ProviderUnavailableError(
      `The '${name}' provider is not available: ${packageName} loads but does not export ${register}(). ` +
        `Choose another provider with --provider (${otherProviders(name)}).`,
    );
  }
  (registerFunction as () => void)();
  return DbProviderFactories.getFactory(name);
}

/** The other providers, as a sentence: `pg, mysql or sqlite`. */
function otherProviders(name: ProviderName): string {
  const others = Object.keys(PROVIDER_PACKAGES).filter((other) => other !== name);
  return others.length < 2 ? others.join('') : `${others.slice(0, -1).join(', ')} or ${others.at(-1)}`;
}
