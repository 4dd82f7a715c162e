import { DbBatch } from '../contracts/db-batch.js';
import { DbBatchCommand } from '../contracts/db-batch-command.js';
import type { TargetSessionAttributes } from '../multi-host/target-session-attributes.js';
import type { DbCommand } from '../contracts/db-command.js';
import type { DbConnection } from '../contracts/db-connection.js';
import { DbParameter } from '../contracts/db-parameter.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import type { ProviderCapabilities } from './provider-capabilities.js';

/**
 * Creates a provider's objects, so application code can stay provider-neutral. Mirrors
 * `System.Data.Common.DbProviderFactory`, plus {@link DbProviderFactory.capabilities} and pool management.
 */
export abstract class DbProviderFactory {
  /** The name the provider registers under by convention (`pg`, `mysql`, `mssql`). */
  abstract readonly invariantName: string;
  /** The OpenTelemetry `db.system` value (`postgresql`, `mysql`, `mariadb`, `microsoft.sql_server`). */
  abstract readonly dbSystem: string;
  /** What the provider supports. */
  abstract readonly capabilities: ProviderCapabilities;

  /**
   * Creates a connection, optionally with its connection string and options: `{ targetSessionAttributes: 'standby' }`
   * routes it to a standby of a multi-host data source (see `DbConnection.targetSessionAttributes`).
   */
  abstract createConnection(connectionString?: string, options?: ConnectionOptions): DbConnection;

  /**
   * Creates a command, optionally with its text: `new DbCommand(commandText)`, or the provider's subclass when it
   * has one.
   */
  abstract createCommand(commandText?: string): DbCommand;

  /** Creates a connection-string builder with the provider's keywords and synonyms. */
  abstract createConnectionStringBuilder(connectionString?: string): DbConnectionStringBuilder;

  /** Creates a parameter. */
  createParameter(parameterName?: string, value?: unknown): DbParameter {
    const parameter = new DbParameter();
    if (parameterName !== undefined) parameter.parameterName = parameterName;
    if (value !== undefined) parameter.value = value;
    return parameter;
  }

  /** True: every provider can run a {@link DbBatch} (core runs it command by command when the provider cannot send it at once). */
  get canCreateBatch(): boolean {
    return true;
  }

  /** Creates a batch. Mirrors `DbProviderFactory.CreateBatch`. */
  createBatch(): DbBatch {
    return new DbBatch();
  }

  /** Creates a batch command whose parameters are the provider's. Mirrors `DbProviderFactory.CreateBatchCommand`. */
  createBatchCommand(commandText?: string): DbBatchCommand {
    return new DbBatchCommand(commandText, () => this.createParameter());
  }

  /** Closes the idle connections of the pool for this connection string; in-use ones are destroyed when returned. */
  clearPool(connectionString: string): Promise<void> {
    void connectionString;
    return Promise.resolve();
  }

  /** Clears every pool of this provider. */
  clearAllPools(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Whether connections of this provider honour `targetSessionAttributes` (servers with roles: primary, standby).
   * False by default: setting anything but `any` then throws `NotSupportedError` instead of being ignored.
   */
  get supportsTargetSessionAttributes(): boolean {
    return false;
  }
}

/** Per-connection settings {@link DbProviderFactory.createConnection} applies on top of the connection string. */
export interface ConnectionOptions {
  /** Sets `DbConnection.targetSessionAttributes`: which server of a multi-host data source to use. */
  readonly targetSessionAttributes?: TargetSessionAttributes;
}

/** Applies {@link ConnectionOptions} to a connection a factory just created; factories call it from `createConnection`. */
export function applyConnectionOptions<C extends DbConnection>(
  connection: C,
  options: ConnectionOptions | undefined,
): C {
  if (options?.targetSessionAttributes !== undefined)
    connection.targetSessionAttributes = options.targetSessionAttributes;
  return connection;
}
