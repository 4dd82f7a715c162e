import {
  TdsEngineError,
  type EngineEvent,
  type LoginInfo,
  type RpcParameter,
  type TdsEngine,
  type TdsSession,
  type TransactionRequest,
} from '../engine/engine-types.js';

/** Events a handler may return: a list, or a (possibly slow, possibly endless) stream. */
export type FakeEvents = Iterable<EngineEvent> | AsyncIterable<EngineEvent>;

/** Scripted behaviour of a {@link FakeEngine}; each handler may be replaced between requests. */
export interface FakeScript {
  batch?: (sql: string, signal: AbortSignal, session: FakeSession) => FakeEvents;
  rpc?: (
    procName: string,
    parameters: readonly RpcParameter[],
    signal: AbortSignal,
    session: FakeSession,
  ) => FakeEvents;
  transaction?: (request: TransactionRequest, signal: AbortSignal, session: FakeSession) => FakeEvents;
}

/** A call the wire layer made on a session. */
export type FakeCall =
  | { readonly kind: 'batch'; readonly sql: string }
  | { readonly kind: 'rpc'; readonly procName: string; readonly parameters: readonly RpcParameter[] }
  | { readonly kind: 'transaction'; readonly request: TransactionRequest };

/**
 * A test double for the engine: checks one password, records every call, answers with scripted events
 * and counts how many events the wire layer pulled (to prove backpressure). Without a script, a batch
 * answers with a single DONE, `sp_executesql` runs its statement through the batch handler, and
 * transaction requests produce the ENVCHANGE events a real engine would.
 */
export class FakeEngine implements TdsEngine {
  readonly serverVersion = 'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) fake engine';
  readonly sessions: FakeSession[] = [];
  /** Events handed to the wire layer so far, over all sessions. */
  pulled = 0;
  script: FakeScript;
  private nextSpid = 51;

  constructor(
    readonly options: { readonly password?: string; readonly database?: string; readonly script?: FakeScript } = {},
  ) {
    this.script = options.script ?? {};
  }

  /** Rejects a wrong password with 18456, as SQL Server would. */
  async openSession(login: LoginInfo & { readonly password: string }): Promise<TdsSession> {
    if (login.password !== (this.options.password ?? 'secret')) {
      throw new TdsEngineError({
        number: 18456,
        state: 1,
        severity: 14,
        message: `Login failed for user '${login.userName}'.`,
      });
    }
    const session = new FakeSession(
      this,
      this.nextSpid++,
      login,
      login.database || (this.options.database ?? 'fakedb'),
    );
    this.sessions.push(session);
    return session;
  }

  /** Wraps handler output so every event handed out is counted, and `database` events move the session as a real engine would. */
  async *count(events: FakeEvents, session?: FakeSession): AsyncGenerator<EngineEvent> {
    for await (const event of events) {
      this.pulled++;
      if (event.kind === 'database' && session) session.database = event.name;
      yield event;
    }
  }
}

/** One fake session. */
export class FakeSession implements TdsSession {
  readonly calls: FakeCall[] = [];
  resets = 0;
  closed = false;
  private transactionCounter = 0;
  private transactionDepth = 0;

  constructor(
    private readonly engine: FakeEngine,
    readonly spid: number,
    readonly login: LoginInfo,
    public database: string,
  ) {}

  executeBatch(sql: string, signal: AbortSignal): AsyncIterable<EngineEvent> {
    this.calls.push({ kind: 'batch', sql });
    const handler = this.engine.script.batch;
    return this.engine.count(handler ? handler(sql, signal, this) : [{ kind: 'done', rowCount: null }], this);
  }

  executeRpc(procName: string, parameters: readonly RpcParameter[], signal: AbortSignal): AsyncIterable<EngineEvent> {
    this.calls.push({ kind: 'rpc', procName, parameters });
    const handler = this.engine.script.rpc;
    if (handler) return this.engine.count(handler(procName, parameters, signal, this), this);
    const statement = parameters[0]?.value;
    const batch = this.engine.script.batch;
    const events: FakeEvents =
      procName === 'sp_executesql' && typeof statement === 'string' && batch
        ? batch(statement, signal, this)
        : [{ kind: 'done', rowCount: null }];
    return this.engine.count(events, this);
  }

  executeTransaction(request: TransactionRequest, signal: AbortSignal): AsyncIterable<EngineEvent> {
    this.calls.push({ kind: 'transaction', request });
    const handler = this.engine.script.transaction;
    return this.engine.count(handler ? handler(request, signal, this) : this.defaultTransaction(request), this);
  }

  async reset(): Promise<void> {
    this.resets++;
    this.transactionDepth = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A fresh 8-byte transaction descriptor. */
  descriptor(): Buffer {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(this.spid) * 1000n + BigInt(++this.transactionCounter));
    return buffer;
  }

  private defaultTransaction(request: TransactionRequest): EngineEvent[] {
    switch (request.kind) {
      case 'begin':
        this.transactionDepth++;
        return [
          { kind: 'transaction', change: 'begin', descriptor: this.descriptor() },
          { kind: 'done', rowCount: null },
        ];
      case 'commit':
      case 'rollback': {
        this.transactionDepth = 0;
        const descriptor = Buffer.alloc(8);
        descriptor.writeBigUInt64LE(BigInt(this.spid) * 1000n + BigInt(this.transactionCounter));
        return [
          { kind: 'transaction', change: request.kind, descriptor },
          { kind: 'done', rowCount: null },
        ];
      }
      case 'save':
        return [{ kind: 'done', rowCount: null }];
    }
  }
}
