import {
  DbProviderFactories,
  DbProviderFactory,
  HostSetRegistry,
  type ProviderCapabilities,
  applyConnectionOptions,
  poolKeyOf,
  type ConnectionOptions,
} from '@asyncdb/core';
import { MYSQL_CAPABILITIES } from './mysql-capabilities.js';
import { MysqlCommand } from './mysql-command.js';
import { MysqlConnection } from './mysql-connection.js';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { mysqlDriver } from './mysql-driver.js';
import { mysqlBuilderForHost } from './mysql-host-list.js';
import { MysqlKillSwitch } from './mysql-kill-switch.js';
import { MysqlParameter } from './mysql-parameter.js';
import { MysqlPoolRegistry } from './mysql-pool-registry.js';
import { MysqlSettingsCache } from './mysql-settings-cache.js';

/**
 * Creates the MySQL/MariaDB provider's objects. Mirrors MySqlConnector's `MySqlConnectorFactory`.
 * `dbSystem` is `mysql` for MariaDB too: one factory serves both servers over the same protocol, and the
 * OpenTelemetry value cannot depend on which server a connection string points at.
 *
 * ```ts
 * registerMysqlProvider();
 * const factory = DbProviderFactories.getFactory('mysql');
 * ```
 */
export class MysqlProviderFactory extends DbProviderFactory {
  /** The shared instance, as ADO.NET factories have one. */
  static readonly instance = new MysqlProviderFactory();

  readonly invariantName = 'mysql';
  readonly dbSystem = 'mysql';
  readonly capabilities: ProviderCapabilities = MYSQL_CAPABILITIES;
  /** @internal This factory's pools, one per connection string. */
  readonly pools = new MysqlPoolRegistry(mysqlDriver, new MysqlKillSwitch(mysqlDriver));
  /** @internal Settings and pool key per connection string, so a pooled open does not derive them again. */
  readonly settingsCache = new MysqlSettingsCache();
  /** @internal What this factory's opens learnt about the hosts of `Server` lists (which are down, until when). */
  readonly hostSets = new HostSetRegistry();

  override createConnection(connectionString?: string, options?: ConnectionOptions): MysqlConnection {
    return applyConnectionOptions(new MysqlConnection(this, connectionString), options);
  }

  override createCommand(commandText?: string): MysqlCommand {
    return new MysqlCommand(commandText);
  }

  override createConnectionStringBuilder(connectionString?: string): MysqlConnectionStringBuilder {
    return new MysqlConnectionStringBuilder(connectionString);
  }

  override createParameter(parameterName?: string, value?: unknown): MysqlParameter {
    const parameter = new MysqlParameter();
    if (parameterName !== undefined) parameter.parameterName = parameterName;
    if (value !== undefined) parameter.value = value;
    return parameter;
  }

  /**
   * Closes the idle connections of this connection string's pool now, and its in-use ones when they are closed. For a
   * `Server` list, the pool of every host in it.
   */
  override async clearPool(connectionString: string): Promise<void> {
    const builder = new MysqlConnectionStringBuilder(connectionString);
    const endpoints = builder.hostEndpoints;
    if (endpoints.length <= 1) return this.pools.clear(poolKeyOf(builder));
    await Promise.all(endpoints.map((endpoint) => this.pools.clear(poolKeyOf(mysqlBuilderForHost(builder, endpoint)))));
  }

  /** Clears every pool of this factory, closes its KILL QUERY side connections and forgets what it knew of hosts. */
  override clearAllPools(): Promise<void> {
    this.hostSets.clear();
    return this.pools.clearAll();
  }
}

/**
 * Registers {@link MysqlProviderFactory.instance} with `DbProviderFactories` under `name` (default `mysql`).
 * Explicit on purpose: importing the package registers nothing.
 */
export function registerMysqlProvider(name = 'mysql'): MysqlProviderFactory {
  DbProviderFactories.registerFactory(name, MysqlProviderFactory.instance);
  return MysqlProviderFactory.instance;
}
