import { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import {
  COMMON_KEYWORDS,
  defineKeywords,
  type KeywordDefinition,
} from '../connection-string/connection-string-keywords.js';
import { DbError, DbErrorCategory } from '../errors/errors.js';
import { POOL_KEYWORDS } from '../pooling/pool-settings.js';
import type { CreateSessionContext, PooledSession } from '../pooling/pooled-session.js';
import type { SessionPool } from '../pooling/session-pool.js';
import { SessionPoolRegistry } from '../pooling/session-pool-registry.js';
import type { SessionInfo } from '../providers/provider-spi.js';
import { MemoryConnection, MemoryProviderFactory } from './memory-provider.js';
import { MemoryServer } from './memory-server.js';

const POOLED_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, POOL_KEYWORDS, [
  { name: 'Database', type: 'string', defaultValue: 'memory' },
  { name: 'Open Delay', type: 'integer', defaultValue: 0, min: 0 },
  { name: 'Fail Open', type: 'boolean', defaultValue: false },
]);

/**
 * A fast fake physical session for core's pool tests: alive until {@link FakeSession.kill}ed, counting resets and
 * destroys; its reset is synchronous unless the test gives it one that takes time.
 * @internal
 */
export class FakeSession implements PooledSession {
  static #nextId = 1;
  readonly id = FakeSession.#nextId++;
  readonly info: SessionInfo;
  alive = true;
  destroyed = false;
  resets = 0;
  /** When set, reset() returns this promise (a reset that talks to the server). */
  asyncReset: (() => Promise<void>) | undefined;
  /** What {@link FakeSession.closeWaitsForReset} answers (true: close() waits for an asynchronous reset). */
  waitsForReset = true;
  /** The connection that holds the session, while one does. */
  holder: MemoryPooledConnection | undefined;
  readonly #lost: (session: FakeSession) => void;

  constructor(database: string, lost: (session: FakeSession) => void) {
    this.info = { serverVersion: 'Memory 1.0', database, dataSource: 'memory', sessionId: this.id };
    this.#lost = lost;
  }

  isAlive(): boolean {
    return this.alive && !this.destroyed;
  }

  reset(): void | Promise<void> {
    this.resets += 1;
    return this.asyncReset?.();
  }

  closeWaitsForReset(): boolean {
    return this.waitsForReset;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** The socket closes: the session's life-long listener tells its holder or its pool. */
  kill({ notify = true } = {}): void {
    this.alive = false;
    if (!notify) return;
    if (this.holder) this.holder.loseSession();
    else this.#lost(this);
  }
}

/**
 * The memory provider on core's pool (the SPI a third-party provider without a driver pool uses): sessions are
 * {@link FakeSession}s created after `Open Delay` ms.
 * @internal
 */
export class MemoryPooledProviderFactory extends MemoryProviderFactory {
  readonly sessions: FakeSession[] = [];
  readonly pools = new SessionPoolRegistry<FakeSession>({
    providerName: 'memory',
    createSession: (context) => this.#createSession(context),
  });

  constructor(server = new MemoryServer()) {
    super(server);
  }

  override createConnection(connectionString?: string): MemoryPooledConnection {
    return new MemoryPooledConnection(this, connectionString);
  }

  override createConnectionStringBuilder(connectionString?: string): DbConnectionStringBuilder {
    return new DbConnectionStringBuilder(connectionString, POOLED_KEYWORDS);
  }

  /** The pool of a connection string. */
  poolOf(connectionString: string): SessionPool<FakeSession> {
    const builder = this.createConnectionStringBuilder(connectionString);
    return this.pools.poolOf(builder);
  }

  override clearPool(connectionString: string): Promise<void> {
    return this.pools.clearPoolOf(this.createConnectionStringBuilder(connectionString));
  }

  override clearAllPools(): Promise<void> {
    this.pools.clearAll();
    return Promise.resolve();
  }

  async #createSession(context: CreateSessionContext<FakeSession>): Promise<FakeSession> {
    const delayMs = context.builder.getInteger('Open Delay') ?? 0;
    if (delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delayMs);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('The connect was aborted.'));
        });
      });
    }
    if (context.builder.getBoolean('Fail Open')) {
      throw new DbError('password authentication failed', {
        category: DbErrorCategory.PermissionDenied,
        providerName: 'memory',
      });
    }
    const session = new FakeSession(context.builder.getString('Database') ?? 'memory', context.lost);
    this.sessions.push(session);
    return session;
  }
}

/** @internal */
export class MemoryPooledConnection extends MemoryConnection {
  readonly #pools: MemoryPooledProviderFactory;
  #session: FakeSession | undefined;

  constructor(factory: MemoryPooledProviderFactory, connectionString?: string) {
    super(factory, connectionString);
    this.#pools = factory;
  }

  /** The session this connection holds. */
  get fakeSession(): FakeSession | undefined {
    return this.#session;
  }

  protected override sessionPool(builder: DbConnectionStringBuilder): SessionPool | undefined {
    if (!(builder.getBoolean('Pooling') ?? true)) return undefined;
    return this.#pools.pools.poolOf(builder);
  }

  protected override attachSession(session: PooledSession): void {
    this.#session = session as FakeSession;
    this.#session.holder = this;
  }

  protected override detachSession(session: PooledSession): void {
    (session as FakeSession).holder = undefined;
    this.#session = undefined;
  }
}
