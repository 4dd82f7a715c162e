import {
  DbProviderFactories,
  DbProviderFactory,
  type ProviderCapabilities,
  applyConnectionOptions,
  HostSetRegistry,
  type ConnectionOptions,
} from '@asyncdb/core';
import { PG_CAPABILITIES } from './pg-capabilities.js';
import { PgCommand } from './pg-command.js';
import { PgConnection } from './pg-connection.js';
import { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { pgBuilderForHost, usesHostList } from './pg-host-builder.js';
import { PgPoolRegistry } from './pg-pool-registry.js';
import { PgMultiplexerRegistry } from './multiplexing/pg-multiplexer-registry.js';

/**
 * Creates the PostgreSQL provider's objects. Mirrors `NpgsqlFactory`: use {@link PgProviderFactory.instance} and
 * register it explicitly (importing this package registers nothing):
 *
 * ```ts
 * registerPgProvider(); // DbProviderFactories.registerFactory('pg', PgProviderFactory.instance)
 * const factory = DbProviderFactories.getFactory('pg');
 * ```
 */
export class PgProviderFactory extends DbProviderFactory {
  /** The shared instance, as ADO.NET factories have one. Its pools serve every connection it creates. */
  static readonly instance: PgProviderFactory = new PgProviderFactory();

  readonly invariantName = 'pg';
  readonly dbSystem = 'postgresql';
  readonly capabilities: ProviderCapabilities = PG_CAPABILITIES;
  /** The pools of this factory, one per connection string. @internal */
  readonly pools = new PgPoolRegistry();
  /** What this factory's opens learnt about the hosts of multi-host data sources (down, role). @internal */
  readonly hostSets = new HostSetRegistry();
  /** The multiplexers of this factory (`Multiplexing=true`), one per connection string. @internal */
  readonly multiplexers = new PgMultiplexerRegistry();

  createConnection(connectionString?: string, options?: ConnectionOptions): PgConnection {
    return applyConnectionOptions(new PgConnection(connectionString, this), options);
  }

  createCommand(commandText?: string): PgCommand {
    return new PgCommand(commandText);
  }

  createConnectionStringBuilder(connectionString?: string): PgConnectionStringBuilder {
    return new PgConnectionStringBuilder(connectionString);
  }

  /** Closes the idle connections of this connection string's pool; those in use are closed when returned. */
  override async clearPool(connectionString: string): Promise<void> {
    const builder = new PgConnectionStringBuilder(connectionString);
    const endpoints = builder.hostEndpoints;
    // A multi-host data source is one pool per host: clear them all.
    const builders = usesHostList(builder, endpoints, builder.targetSessionAttributes)
      ? endpoints.map((endpoint) => pgBuilderForHost(builder, endpoint))
      : [builder];
    await Promise.all([...builders.map((perHost) => this.pools.clear(perHost)), this.multiplexers.clear(builder)]);
  }

  /** True: `Host` lists with `Target Session Attributes`, and per-connection routing. */
  override get supportsTargetSessionAttributes(): boolean {
    return true;
  }

  /** Clears every pool of this factory. */
  override clearAllPools(): Promise<void> {
    this.hostSets.clear();
    return Promise.all([this.pools.clearAll(), this.multiplexers.clearAll()]).then(() => {});
  }
}

/**
 * Registers the PostgreSQL provider with {@link DbProviderFactories} under `name` (default `'pg'`) and returns the
 * factory. Registration is always this explicit call, never a side effect of importing the package.
 */
export function registerPgProvider(
  name = 'pg',
  factory: PgProviderFactory = PgProviderFactory.instance,
): PgProviderFactory {
  DbProviderFactories.registerFactory(name, factory);
  return factory;
}
