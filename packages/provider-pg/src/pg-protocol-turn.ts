import type { PgFieldDescription, PgSubmittable, PgWireConnection } from './pg-client.js';
import { isServerGoodbye } from './pg-server-goodbye.js';

/** Where a turn armed for a replay goes when the server says goodbye before answering it (its `PgSession`). */
export interface PgReplayHost {
  holdLossForReplay(): void;
  /** Moves the session onto a new connection and queues `turn` there (it re-sends its writes), or fails it. */
  replay(turn: PgProtocolTurn, goodbye: Error): void;
}

type RecordedWrite = [PgGroupEnd, (connection: PgWireConnection) => void, PgGroupOptions | undefined];

/** A backend message (or connection event) as the turn hands it to its reader, in arrival order. */
export type PgTurnEvent =
  | { readonly kind: 'rowDescription'; readonly fields: readonly PgFieldDescription[] }
  | { readonly kind: 'noData' }
  | { readonly kind: 'row'; readonly values: ReadonlyArray<string | null> }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'complete'; readonly tag: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'closeComplete' }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'ready' }
  | { readonly kind: 'lost'; readonly error: Error };

/**
 * What ends a group of frontend messages: the server has answered everything sent and waits for the next command.
 * `execute`: PortalSuspended, CommandComplete or EmptyQueryResponse; `describe`: RowDescription or NoData;
 * `close`: CloseComplete; `sync`: ReadyForQuery. An ErrorResponse ends any group.
 */
export type PgGroupEnd = 'execute' | 'describe' | 'close' | 'sync';

const ENDS: Readonly<Record<PgGroupEnd, ReadonlySet<PgTurnEvent['kind']>>> = {
  execute: new Set(['suspended', 'complete', 'empty']),
  describe: new Set(['rowDescription', 'noData']),
  close: new Set(['closeComplete']),
  sync: new Set(['ready']),
};

/** Queued rows at which the turn stops reading the socket (pipelined results are not limited by the server). */
export const ROWS_HIGH_WATER_MARK = 1000;
/** Queued rows at which a paused socket is read again. */
export const ROWS_LOW_WATER_MARK = 250;

/** How a group of messages is written: what ends it, and what the turn must account for inside it. */
export interface PgGroupOptions {
  /** Execute messages in the group (a pipelined batch): the server runs a statement of ours until they all ended. */
  readonly executes?: number;
  /** CommandCompletes at the head of the group that belong to the provider (a deferred reset), not to the owner. */
  readonly hiddenCompletes?: number;
  /** The group is one simple-protocol Query (no Sync: the server ends it with ReadyForQuery by itself). */
  readonly simpleQuery?: boolean;
}

/**
 * One turn of a session on `pg`'s Client: from the moment the client hands us the connection (`submit`) to the
 * ReadyForQuery that answers our final Sync. The turn writes the extended-protocol messages its owner asks for and
 * queues the backend's answers in order; it knows at every moment whether the server is working on something we
 * sent ({@link PgProtocolTurn.serverBusy}) — which is exactly when a CancelRequest is worth sending.
 *
 * Backpressure: rows arrive either in answer to an Execute with a row limit, so the queue never holds more than the
 * owner asked for, or — in a pipelined batch (every statement's Execute and the Sync in one write) — as fast as the
 * server sends them, in which case the turn stops reading the socket above {@link ROWS_HIGH_WATER_MARK} queued rows
 * and reads it again below {@link ROWS_LOW_WATER_MARK}; TCP then holds the server back. When the owner skips a
 * result, rows are dropped as they arrive.
 * @internal
 */
export class PgProtocolTurn implements PgSubmittable {
  readonly #events: PgTurnEvent[] = [];
  #head = 0;
  #waiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #connection: PgWireConnection | undefined;
  #started: Promise<PgWireConnection>;
  #resolveStarted!: (connection: PgWireConnection) => void;
  #rejectStarted!: (error: Error) => void;
  #groupEnd: PgGroupEnd | undefined;
  /** Executes of the pending group that have not ended yet (the server is running one of our statements). */
  #executing = 0;
  #hiddenCompletes = 0;
  #simpleQuery = false;
  #paused = false;
  #syncSent = false;
  #ended = false;
  #lost = false;
  /** Drop DataRow messages instead of queueing them (the owner is skipping the rest of a result). */
  discardRows = false;
  /** Set while the turn may be replayed (a checkout's first command, nothing answered yet). */
  #replayOn: PgReplayHost | undefined;
  /** What the turn wrote while it may be replayed, to write again on the new connection. */
  #recorded: RecordedWrite[] | undefined;

  /** @param replayOn the session, when this turn is a checkout's first command (see `PgSession.takeFirstCommand`). */
  constructor(replayOn?: PgReplayHost) {
    if (replayOn !== undefined) {
      this.#replayOn = replayOn;
      this.#recorded = [];
    }
    this.#started = new Promise((resolve, reject) => {
      this.#resolveStarted = resolve;
      this.#rejectStarted = reject;
    });
    // A turn that fails before it starts rejects `started`; nobody may be waiting for it any more.
    this.#started.catch(() => {});
  }

  /**
   * Resolves with the connection once the client has made this turn its active query; rejects when the client
   * refuses it (its socket already failed, or it was ended).
   */
  get started(): Promise<PgWireConnection> {
    return this.#started;
  }

  /** True while the server is processing a group we sent and has not answered its end yet. */
  get serverBusy(): boolean {
    return this.#groupEnd !== undefined && !this.#ended && !this.#lost;
  }

  /** The end the current group waits for, if any. */
  get pendingGroup(): PgGroupEnd | undefined {
    return this.serverBusy ? this.#groupEnd : undefined;
  }

  /**
   * True while the server may be executing a statement we sent — the only time a CancelRequest can reach one of our
   * statements rather than an idle backend or the implicit commit at Sync.
   */
  get statementRunning(): boolean {
    const group = this.pendingGroup;
    return group === 'execute' || group === 'describe' || (group === 'sync' && this.#executing > 0);
  }

  /** True once ReadyForQuery answered our Sync: the session is idle and the client may run its next query. */
  get ended(): boolean {
    return this.#ended;
  }

  /** True once the connection died under the turn. */
  get lost(): boolean {
    return this.#lost;
  }

  /** True when a Sync has been written in this turn. */
  get syncSent(): boolean {
    return this.#syncSent;
  }

  /**
   * Writes a group of messages (corked into one packet) that the server answers with `end`. The caller must not
   * write the next group before this one ended.
   */
  write(end: PgGroupEnd, messages: (connection: PgWireConnection) => void, options?: PgGroupOptions): void {
    const connection = this.#connection;
    if (!connection || this.#ended || this.#lost) throw new Error('The session is not in a state to send commands.');
    if (this.serverBusy) throw new Error('Internal error: a protocol group is still pending.');
    this.#groupEnd = end;
    this.#executing = options?.executes ?? 0;
    this.#hiddenCompletes = options?.hiddenCompletes ?? 0;
    this.#simpleQuery = options?.simpleQuery ?? false;
    if (end === 'sync') this.#syncSent = true;
    this.#recorded?.push([end, messages, options]);
    connection.stream.cork?.();
    try {
      messages(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  /** Resolves once the server is no longer busy with a group of this turn (answered, or the connection is gone). */
  whenIdle(): Promise<void> {
    if (!this.serverBusy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The next queued event without waiting, or undefined. */
  take(): PgTurnEvent | undefined {
    if (this.#head >= this.#events.length) return undefined;
    const event = this.#events[this.#head]!;
    this.#events[this.#head] = undefined as unknown as PgTurnEvent;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#paused && this.#events.length - this.#head <= ROWS_LOW_WATER_MARK) this.#resume();
    return event;
  }

  /** The next event, waiting for it. */
  async next(): Promise<PgTurnEvent> {
    for (;;) {
      const event = this.take();
      if (event) return event;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Number of queued events (rows included) not taken yet. */
  get queued(): number {
    return this.#events.length - this.#head;
  }

  /** Marks the turn lost (socket closed or errored) and wakes the reader. */
  fail(error: Error): void {
    if (this.#ended || this.#lost) return;
    this.#lost = true;
    this.#resume();
    if (!this.#connection) this.#rejectStarted(error);
    this.#push({ kind: 'lost', error });
  }

  submit(connection: PgWireConnection): void {
    this.#connection = connection;
    connection.on('noData', this.#onNoData);
    connection.on('closeComplete', this.#onCloseComplete);
    this.#resolveStarted(connection);
    const recorded = this.#recorded;
    if (recorded !== undefined && recorded.length > 0) {
      // A replay on a new connection: what was written before the goodbye goes out again, once.
      this.#recorded = undefined;
      for (const [end, messages, options] of recorded) this.write(end, messages, options);
    }
  }

  handleRowDescription(message: { fields: PgFieldDescription[] }): void {
    this.#push({ kind: 'rowDescription', fields: message.fields });
  }

  handleDataRow(message: { fields: Array<string | null> }): void {
    if (this.discardRows) return;
    this.#push({ kind: 'row', values: message.fields });
    if (!this.#paused && this.#events.length - this.#head >= ROWS_HIGH_WATER_MARK) {
      this.#paused = true;
      this.#connection?.stream.pause?.();
    }
  }

  handlePortalSuspended(): void {
    this.#push({ kind: 'suspended' });
  }

  handleCommandComplete(message: { text: string }): void {
    if (this.#hiddenCompletes > 0) {
      this.#hiddenCompletes -= 1;
      return;
    }
    if (this.#executing > 0) this.#executing -= 1;
    this.#push({ kind: 'complete', tag: message.text });
  }

  handleEmptyQuery(): void {
    if (this.#executing > 0) this.#executing -= 1;
    this.#push({ kind: 'empty' });
  }

  handleError(error: Error, connection: PgWireConnection): void {
    if (this.#ended || this.#lost) return;
    const host = this.#replayOn;
    if (host !== undefined && this.#events.length === 0 && this.#recorded?.length === 1 && isServerGoodbye(error)) {
      // The server ended the session before it answered anything of this turn: nothing of it completed, so nothing
      // was committed. The session moves onto a new connection and the turn is sent again there, transparently.
      this.#replayOn = undefined;
      host.holdLossForReplay();
      connection.removeListener('noData', this.#onNoData);
      connection.removeListener('closeComplete', this.#onCloseComplete);
      this.#connection = undefined;
      this.#groupEnd = undefined;
      host.replay(this, error);
      return;
    }
    // pg's Client forgets its active query on ErrorResponse; the ReadyForQuery answering our Sync must be caught
    // on the connection itself. A socket failure (no ReadyForQuery will ever come) arrives here too.
    if (isProtocolError(error)) connection.on('readyForQuery', this.#onDetachedReady);
    else {
      this.fail(error);
      return;
    }
    // After an ErrorResponse the server skips every message up to Sync: no statement of the group runs any more.
    this.#executing = 0;
    this.#hiddenCompletes = 0;
    this.#push({ kind: 'error', error });
  }

  handleReadyForQuery(): void {
    this.#finish(this.#connection);
  }

  handleCopyInResponse(connection: PgWireConnection): void {
    // COPY FROM STDIN needs a data source asyncdb does not offer; failing the copy makes the server raise an error.
    connection.sendCopyFail('asyncdb does not support COPY FROM STDIN.');
    // The server ignores a Sync that reaches it in copy-in mode, so when the COPY was the last statement of a
    // pipelined group, the group's Sync is gone: send another. Were a statement to follow it, its Parse would end
    // the copy instead, and the group's own Sync would still be read.
    // A simple Query needs none: after the copy fails the server ends it with ReadyForQuery by itself.
    if (this.#syncSent && this.#groupEnd === 'sync' && this.#executing === 1 && !this.#simpleQuery) connection.sync();
  }

  handleCopyData(): void {
    // COPY TO STDOUT data is discarded; its CommandComplete still reports the row count.
  }

  readonly #onNoData = (): void => {
    this.#push({ kind: 'noData' });
  };

  readonly #onCloseComplete = (): void => {
    this.#push({ kind: 'closeComplete' });
  };

  readonly #onDetachedReady = (): void => {
    this.#connection?.removeListener('readyForQuery', this.#onDetachedReady);
    this.#finish(this.#connection);
  };

  #finish(connection: PgWireConnection | undefined): void {
    if (this.#ended) return;
    connection?.removeListener('noData', this.#onNoData);
    connection?.removeListener('closeComplete', this.#onCloseComplete);
    // Rows still queued are the owner's; the socket must read again for the client's next query.
    this.#resume();
    this.#push({ kind: 'ready' });
    this.#ended = true;
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#connection?.stream.resume?.();
  }

  #push(event: PgTurnEvent): void {
    if (this.#replayOn !== undefined) {
      // Answered: no replay any more.
      this.#replayOn = undefined;
      this.#recorded = undefined;
    }
    const end = this.#groupEnd;
    if (end !== undefined && (event.kind === 'error' || ENDS[end].has(event.kind))) this.#groupEnd = undefined;
    this.#events.push(event);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
    if (!this.serverBusy || event.kind === 'lost' || event.kind === 'ready') {
      const idle = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of idle) resolve();
    }
  }
}

/** ErrorResponse from the server (it has a SQLSTATE and a severity), as opposed to a socket failure. */
function isProtocolError(error: Error): boolean {
  const fields = error as { code?: unknown; severity?: unknown };
  return typeof fields.severity === 'string' && typeof fields.code === 'string';
}
