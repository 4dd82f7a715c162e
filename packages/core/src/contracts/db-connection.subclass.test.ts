import { describe, expect, it } from 'vitest';
import { DbCommand } from './db-command.js';
import { DbConnection } from './db-connection.js';
import { ConnectionStringError, InvalidOperationError } from '../errors/errors.js';
import type {
  CloseContext,
  CommandRequest,
  OpenContext,
  ResultCursor,
  SessionInfo,
  TransactionRequest,
} from '../providers/provider-spi.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { rejectionOf, thrownBy } from '../testing/test-support.js';

/** Hooks that open a session and run nothing: these tests are about construction only. */
abstract class HooksOnly extends DbConnection {
  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    return { serverVersion: '1', database: context.builder.getString('Database') ?? '', dataSource: 'here' };
  }
  protected override async closeCore(_context: CloseContext): Promise<void> {}
  protected override executeCore(_request: CommandRequest): Promise<ResultCursor> {
    return Promise.reject(new Error('not used'));
  }
  protected override async transactionCore(_request: TransactionRequest): Promise<void> {}
}

/** The natural subclass: the factory in a private field, the connection string handed to super(). */
class FieldFactoryConnection extends HooksOnly {
  readonly #factory: MemoryProviderFactory;
  constructor(connectionString?: string, factory = new MemoryProviderFactory()) {
    super(connectionString);
    this.#factory = factory;
  }
  override get providerFactory(): MemoryProviderFactory {
    return this.#factory;
  }
}

/** The recommended subclass: the factory handed to super(). */
class SuperFactoryConnection extends HooksOnly {
  constructor(connectionString?: string, factory = new MemoryProviderFactory()) {
    super(connectionString, factory);
  }
}

/** A subclass that forgot the factory altogether. */
class NoFactoryConnection extends HooksOnly {}

describe('subclassing DbConnection (issue 15: the constructor no longer reads providerFactory too early)', () => {
  it('accepts a connection string in super() from a subclass that keeps its factory in a private field', async () => {
    const connection = new FieldFactoryConnection('Database=shop;async=true');
    expect(connection.connectionString).toBe('Database=shop;async=true');
    expect(connection.asynchronousProcessing).toBe(true);
    await connection.open();
    expect(connection.database).toBe('shop');
    await connection.close();
  });

  it('checks such a connection string at its first use, locating the unknown keyword', async () => {
    const connection = new FieldFactoryConnection('Database=shop;Colour=blue');
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect((error as ConnectionStringError).position).toBe(14);
    expect(thrownBy(() => connection.asynchronousProcessing)).toBeInstanceOf(ConnectionStringError);
  });

  it('checks the connection string in the constructor when the factory is handed to super()', () => {
    expect(thrownBy(() => new SuperFactoryConnection('Database=shop;Colour=blue'))).toBeInstanceOf(
      ConnectionStringError,
    );
    const connection = new SuperFactoryConnection('Database=shop');
    expect(connection.providerFactory).toBeInstanceOf(MemoryProviderFactory);
  });

  it('lets a later connectionString assignment replace a string not yet checked', async () => {
    const connection = new FieldFactoryConnection('Database=shop;Colour=blue');
    connection.connectionString = 'Database=other';
    await connection.open();
    expect(connection.database).toBe('other');
    await connection.close();
  });

  it('throws InvalidOperationError naming the fix when a subclass has no factory', async () => {
    const connection = new NoFactoryConnection('Database=shop');
    const error = thrownBy(() => connection.providerFactory);
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toContain('super(connectionString, factory)');
    expect(await rejectionOf(connection.open())).toBeInstanceOf(InvalidOperationError);
  });
});

describe('DbCommand is concrete (issue 15)', () => {
  it('can be what a factory creates, without a provider subclass', () => {
    const command = new MemoryProviderFactory().createConnection('Database=x').createCommand('SELECT 1');
    expect(command.constructor).toBe(DbCommand);
    expect(command.commandText).toBe('SELECT 1');
    expect(command.connection).not.toBeNull();
  });
});
