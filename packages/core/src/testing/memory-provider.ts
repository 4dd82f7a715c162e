import { DbCommand } from '../contracts/db-command.js';
import { DbConnection } from '../contracts/db-connection.js';
import { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import {
  COMMON_KEYWORDS,
  defineKeywords,
  type KeywordDefinition,
} from '../connection-string/connection-string-keywords.js';
import { DbProviderFactory, applyConnectionOptions, type ConnectionOptions } from '../providers/db-provider-factory.js';
import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '../providers/provider-capabilities.js';
import type {
  CloseContext,
  CommandRequest,
  OpenContext,
  ResultCursor,
  SessionInfo,
  TransactionRequest,
} from '../providers/provider-spi.js';
import { DbError, DbErrorCategory } from '../errors/errors.js';
import { delay, MemoryServer } from './memory-server.js';

const MEMORY_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, [
  { name: 'Database', type: 'string', defaultValue: 'memory' },
  { name: 'Open Delay', type: 'integer', defaultValue: 0, min: 0 },
  { name: 'Fail Open', type: 'boolean', defaultValue: false },
]);

/**
 * A provider over {@link MemoryServer}, for core's own unit tests: it implements the four hooks the way a real
 * provider does, with delays, failures and cancellation under the test's control.
 * @internal
 */
export class MemoryProviderFactory extends DbProviderFactory {
  readonly invariantName = 'memory';
  readonly dbSystem = 'other_sql';
  readonly capabilities: ProviderCapabilities;
  readonly server: MemoryServer;

  constructor(server = new MemoryServer(), capabilities: Partial<ProviderCapabilities> = {}) {
    super();
    this.server = server;
    this.capabilities = {
      ...DEFAULT_PROVIDER_CAPABILITIES,
      placeholderStyle: 'dollar-numbered',
      sqlDialect: 'postgresql',
      splitStatements: true,
      unknownParameters: 'error',
      supportsSavepoints: true,
      supportsMultipleResultSets: true,
      supportsOutputParameters: true,
      cancellation: 'protocol-cancel',
      isolationLevels: ['ReadCommitted', 'Serializable'],
      ...capabilities,
    };
  }

  createConnection(connectionString?: string, options?: ConnectionOptions): MemoryConnection {
    return applyConnectionOptions(new MemoryConnection(this, connectionString), options);
  }

  createCommand(commandText?: string): DbCommand {
    return new DbCommand(commandText);
  }

  createConnectionStringBuilder(connectionString?: string): DbConnectionStringBuilder {
    return new DbConnectionStringBuilder(connectionString, MEMORY_KEYWORDS);
  }
}

/** @internal */
export class MemoryConnection extends DbConnection {
  readonly #factory: MemoryProviderFactory;

  constructor(factory: MemoryProviderFactory, connectionString?: string) {
    super(connectionString, factory);
    this.#factory = factory;
  }

  override get providerFactory(): MemoryProviderFactory {
    return this.#factory;
  }

  /** Lets tests raise an infoMessage. */
  notice(message: string): void {
    this.onInfoMessage({ message, severity: 'NOTICE' });
  }

  /** Lets tests simulate a session killed from outside. */
  loseSession(): void {
    this.onSessionLost(new Error('terminating connection due to administrator command'));
  }

  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const server = this.#factory.server;
    await delay(context.builder.getInteger('Open Delay') ?? 0, context.signal, server);
    if (context.builder.getBoolean('Fail Open')) {
      throw new DbError('password authentication failed', {
        category: DbErrorCategory.PermissionDenied,
        providerName: 'memory',
      });
    }
    server.openSessions += 1;
    return {
      serverVersion: 'Memory 1.0',
      database: context.builder.getString('Database') ?? 'memory',
      dataSource: 'memory',
      sessionId: 1,
    };
  }

  protected override async closeCore(context: CloseContext): Promise<void> {
    const server = this.#factory.server;
    server.openSessions -= 1;
    if (context.broken) server.destroyedSessions += 1;
  }

  protected override executeCore(request: CommandRequest): Promise<ResultCursor> {
    return this.#factory.server.execute(request);
  }

  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    await delay(1, signal, this.#factory.server);
    this.#factory.server.transactions.push(request);
  }

  protected override async changeDatabaseCore(database: string): Promise<string> {
    return database;
  }
}
