import type { SessionInfo } from '@asyncdb/core';
import type { PgClient } from '../pg-client.js';
import { connectPgClient } from '../pg-connect-client.js';
import type { PgConnectionStringBuilder } from '../pg-connection-string-builder.js';
import type { PgPipelineEntry } from './pg-pipeline-entry.js';
import { PgPipelineSession } from './pg-pipeline-session.js';
import { multiplexerRoute, type PgMuxRoute } from './pg-mux-route.js';

/**
 * Entries one session takes before the multiplexer queues the rest (a bound on what a slow reader at the head can hold
 * up, and on what a cancel can only skip rather than withdraw).
 */
export const MAX_PIPELINE_DEPTH = 32;

/** How a multiplexer gets a connected `pg` client. */
export type PgClientConnector = (signal?: AbortSignal) => Promise<PgClient>;

/** What holds a session for its transaction (a `PgMultiplexedLink`): told when that session dies. */
export interface PgBoundOwner {
  onBoundSessionLost(error: Error): void;
}

/** A transaction's wait for a session of its own. */
interface BindWaiter {
  readonly owner: object;
  readonly resolve: (session: PgPipelineSession) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * `Multiplexing=true` for one connection string (Npgsql's `MultiplexingDataSource`): up to `Max Pool Size` physical
 * sessions shared by every open connection of that string. A command is not run on a session of its own: it goes to
 * the least busy session (or waits in the queue when each has {@link MAX_PIPELINE_DEPTH} commands in flight), is
 * written there with every other command queued in the same tick, and gets its answers in order.
 *
 * A transaction takes a session for itself (`bind`) until commit or rollback: it waits for a session whose pipeline
 * is empty — reserving one, so that no new command is put behind it — or opens a new one.
 * @internal
 */
export class PgMultiplexer {
  readonly #builder: PgConnectionStringBuilder;
  readonly #connector: PgClientConnector;
  readonly #max: number;
  readonly #secrets: readonly string[];
  readonly #sessions: PgPipelineSession[] = [];
  #connecting = 0;
  #queue: PgPipelineEntry[] = [];
  #binders: BindWaiter[] = [];
  #info: SessionInfo | undefined;
  #bootstrap: Promise<SessionInfo> | undefined;
  #closed = false;
  /** Where commands outside a transaction go (made once: every link shares it). */
  readonly route: PgMuxRoute = multiplexerRoute(this);

  constructor(builder: PgConnectionStringBuilder, secrets: readonly string[], connector?: PgClientConnector) {
    this.#builder = builder;
    this.#secrets = secrets;
    this.#max = builder.getInteger('Max Pool Size') ?? 100;
    this.#connector = connector ?? ((signal) => connectPgClient(builder, secrets, signal));
  }

  /** True once cleared: a later open of the same string makes a new multiplexer. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * What an open reports once the first open has connected (see {@link PgMultiplexer.open}); undefined before, or once
   * cleared. A later open then costs nothing.
   */
  get info(): SessionInfo | undefined {
    return this.#closed ? undefined : this.#info;
  }

  /** Physical sessions open (for tests and diagnostics). */
  get sessionCount(): number {
    return this.#sessions.length;
  }

  /** Commands waiting for a session. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * What an open reports (without a `sessionId`). The first open connects one session (to learn the server's version
   * and to fail early on a bad password); every later open costs nothing.
   */
  open(signal: AbortSignal, describe: (client: PgClient) => SessionInfo): Promise<SessionInfo> {
    if (this.#info) return Promise.resolve(this.#info);
    this.#bootstrap ??= (async () => {
      try {
        const session = await this.#connect(signal);
        // No connection has a session of its own: the pid of whichever session served the first open would mislead.
        const { sessionId: _shared, ...shared } = describe(session.client);
        this.#info = shared;
        return this.#info;
      } finally {
        this.#bootstrap = undefined;
      }
    })();
    return this.#bootstrap;
  }

  /** Sends `entry` on the least busy session, or queues it. */
  submit(entry: PgPipelineEntry): void {
    if (this.#closed) {
      entry.onLost(new Error('The multiplexing data source was cleared.'));
      return;
    }
    if (this.#queue.length > 0) {
      this.#queue.push(entry);
      this.#grow();
      return;
    }
    const session = this.#pick();
    if (session && (session.depth === 0 || !this.#canGrow)) {
      session.enqueue(entry);
      return;
    }
    // Every session is busy and the pool has room: wait for a session of its own rather than queue behind a command
    // that may run long (Npgsql opens a connector in this case too); the pipelines fill once the pool is full.
    this.#queue.push(entry);
    this.#grow();
  }

  get #canGrow(): boolean {
    return this.#sessions.length + this.#connecting < this.#max;
  }

  /** Takes back an entry that has not been written yet (queued here or waiting for its session's flush). */
  withdraw(entry: PgPipelineEntry): boolean {
    const index = this.#queue.indexOf(entry);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      return true;
    }
    for (const session of this.#sessions) if (session.withdraw(entry)) return true;
    return false;
  }

  /** A session for `owner`'s transaction alone; every command of the transaction goes to it. */
  bind(owner: object, signal: AbortSignal): Promise<PgPipelineSession> {
    const idle = this.#sessions.find((session) => session.available && session.depth === 0);
    if (idle) {
      idle.boundTo = owner;
      return Promise.resolve(idle);
    }
    return new Promise<PgPipelineSession>((resolve, reject) => {
      const waiter: BindWaiter = { owner, resolve, reject };
      this.#binders.push(waiter);
      signal.addEventListener(
        'abort',
        () => {
          const index = this.#binders.indexOf(waiter);
          if (index < 0) return;
          this.#binders.splice(index, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      if (this.#sessions.length + this.#connecting < this.#max) this.#grow(true);
      else {
        // Reserve the least busy session: nothing new goes behind it, so its pipeline drains.
        const candidates = this.#sessions.filter((session) => session.available);
        const least = candidates.sort((a, b) => a.depth - b.depth)[0];
        if (least) least.reserved = true;
      }
    });
  }

  /** Gives a transaction's session back to everyone (after its COMMIT or ROLLBACK). */
  unbind(session: PgPipelineSession, broken: boolean): void {
    session.boundTo = undefined;
    if (broken || session.transactionStatus !== 'I') {
      // A session whose transaction could not be ended must not carry it into another caller's command.
      this.#remove(session);
      void session.close();
    }
    this.#serve(session);
  }

  /** Closes every session (commands in flight fail). */
  async close(): Promise<void> {
    this.#closed = true;
    const error = new Error('The multiplexing data source was cleared.');
    for (const entry of this.#queue.splice(0)) entry.onLost(error);
    for (const waiter of this.#binders.splice(0)) waiter.reject(error);
    await Promise.all(this.#sessions.splice(0).map((session) => session.close()));
  }

  #pick(): PgPipelineSession | undefined {
    let best: PgPipelineSession | undefined;
    for (const session of this.#sessions) {
      if (!session.available || session.depth >= MAX_PIPELINE_DEPTH) continue;
      // A session held by a slow reader is the last choice: whatever goes behind it waits for that reader.
      if (!best || rank(session) < rank(best)) best = session;
      if (session.depth === 0 && !session.paused) break;
    }
    return best;
  }

  /** Opens sessions while the pool has room, one per command waiting (or for a transaction that waits). */
  #grow(force = false): void {
    if (this.#closed || !this.#canGrow) return;
    if (!force && this.#connecting >= this.#queue.length) return;
    this.#connect().catch((error: unknown) => {
      // Nobody waits on a background connect: what waited for it goes to the sessions there are (the server may
      // be out of connection slots), and fails only when there are none.
      if (this.#sessions.length > 0 || this.#connecting > 0) {
        for (const session of [...this.#sessions]) this.#serve(session);
        return;
      }
      for (const entry of this.#queue.splice(0)) entry.onLost(error as Error);
      for (const waiter of this.#binders.splice(0)) waiter.reject(error);
    });
  }

  async #connect(signal?: AbortSignal): Promise<PgPipelineSession> {
    this.#connecting += 1;
    let client: PgClient;
    try {
      client = await this.#connector(signal);
    } finally {
      this.#connecting -= 1;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      throw new Error('The multiplexing data source was cleared.');
    }
    const session = new PgPipelineSession(client, {
      onDrained: (drained) => this.#serve(drained),
      onLost: (lost, error) => {
        this.#remove(lost);
        // A transaction's session that dies breaks the connection holding it (its work is gone with the session).
        (lost.boundTo as Partial<PgBoundOwner> | undefined)?.onBoundSessionLost?.(error);
      },
    });
    this.#sessions.push(session);
    this.#serve(session);
    return session;
  }

  /** A session has room: a transaction waiting for one comes first, then the queue. */
  #serve(session: PgPipelineSession): void {
    if (session.retiring && session.depth === 0 && session.boundTo === undefined) {
      this.#remove(session);
      void session.close();
      return;
    }
    if (session.boundTo !== undefined || session.lostError) return;
    if (session.depth === 0 && this.#binders.length > 0) {
      const waiter = this.#binders.shift()!;
      session.reserved = false;
      session.boundTo = waiter.owner;
      waiter.resolve(session);
      return;
    }
    if (session.reserved) return;
    while (this.#queue.length > 0 && session.depth < MAX_PIPELINE_DEPTH && !session.retiring) {
      // While sessions are still being connected for the queue, a session takes one command at a time.
      if (session.depth > 0 && this.#connecting > 0) break;
      session.enqueue(this.#queue.shift()!);
    }
  }

  #remove(session: PgPipelineSession): void {
    const index = this.#sessions.indexOf(session);
    if (index >= 0) this.#sessions.splice(index, 1);
    if (this.#queue.length > 0 || this.#binders.length > 0) this.#grow(true);
  }

  /** Secrets to blank out of errors (for the link). */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** The connection string (for the link). */
  get builder(): PgConnectionStringBuilder {
    return this.#builder;
  }
}

function rank(session: PgPipelineSession): number {
  return session.depth + (session.paused ? MAX_PIPELINE_DEPTH : 0);
}
