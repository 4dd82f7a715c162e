import type { PgClient, PgNoticeFields, PgSubmittable } from './pg-client.js';
import { sendCancelRequest } from './pg-cancel-request.js';
import { PgProtocolTurn } from './pg-protocol-turn.js';
import { pgReplayStats } from './pg-server-goodbye.js';
import { PgSessionDirt } from './pg-session-dirt.js';

/** What a session reports to its owner (the `PgConnection`). */
export interface PgSessionEvents {
  /** The physical connection died (socket error or close) while the session was in use. */
  readonly onLost: (error: Error) => void;
  /** The server sent a NoticeResponse. */
  readonly onNotice: (notice: PgNoticeFields) => void;
}

/**
 * What the session needs of the query it runs (a {@link PgProtocolTurn}, or a one-shot execution): to be failed when
 * the connection dies, and to say when a CancelRequest could reach one of its statements.
 */
export interface PgSessionTurn {
  /** True while the server may be executing one of its statements. */
  readonly statementRunning: boolean;
  /** Resolves once the server no longer works on anything it sent. */
  whenIdle(): Promise<void>;
  /** The connection died under it. */
  fail(error: Error): void;
}

/** How a session gives its client back: to the pool (reset or not), or destroyed. */
export type PgClientReturn = (destroy: boolean) => Promise<void>;

/** Pause between two CancelRequests while the statement they target keeps running. */
export const CANCEL_RETRY_MS = 500;
/** CancelRequests sent for one statement at most. */
export const CANCEL_ATTEMPTS = 3;

/**
 * One physical PostgreSQL session held by an open `PgConnection`: the `pg` client, its lifecycle listeners, and
 * the cancellation guard.
 *
 * The guard (brianc/node-postgres#1392): a CancelRequest names the backend, not the statement, so one that arrives
 * late would cancel whatever runs next. A cancel is therefore only sent while the server is busy with a group we
 * sent ({@link PgProtocolTurn.serverBusy}), and nothing new is sent on the session until every CancelRequest has
 * been acknowledged by the server closing its socket — after which the signal can only find the backend idle
 * (where PostgreSQL ignores it) or still inside the statement it was meant for.
 * @internal
 */
export class PgSession {
  #client: PgClient;
  #events: PgSessionEvents | undefined;
  readonly #return: PgClientReturn;
  readonly #cancels = new Set<Promise<void>>();
  #turn: PgSessionTurn | undefined;
  #lostError: Error | undefined;
  #unusable = false;
  #disposed = false;
  /** True from a pooled hand-out until the checkout's first command is sent (see {@link PgSession.takeFirstCommand}). */
  #untouched = false;
  /** True while the loss of a session whose server said goodbye before answering is held back for a replay. */
  #holdLoss = false;
  #heldLoss: Error | undefined;
  /**
   * What this checkout did that a reset would undo (read by the reset before reuse). Every path that sends SQL of
   * the user's on this session must tell it (`markExecuted`), or a dirty session could be pooled without a reset.
   */
  readonly dirt = new PgSessionDirt();

  /** @param events the owner's callbacks; undefined while nobody holds the session (idle in core's pool). */
  constructor(client: PgClient, events: PgSessionEvents | undefined, returnClient: PgClientReturn) {
    this.#client = client;
    this.#events = events;
    this.#return = returnClient;
    this.#listen(client);
  }

  /** The `pg` client (replaced only by {@link PgSession.replaceClient}). */
  get client(): PgClient {
    return this.#client;
  }

  /**
   * Moves the session onto a new physical connection, for a replay: the old client's listeners are removed (its loss
   * is not this session's any more) and its socket destroyed; the session's state starts afresh — but for its dirt:
   * what it holds was marked by the command about to be replayed (a checkout's first), which runs again on the new
   * connection and leaves there what it left on the old one.
   */
  protected replaceClient(client: PgClient): void {
    const old = this.#client;
    this.#unlisten(old);
    old.connection.stream.destroy();
    this.#client = client;
    this.#listen(client);
    this.#lostError = undefined;
    this.#heldLoss = undefined;
    this.#holdLoss = false;
    this.#unusable = false;
    this.#turn = undefined;
    this.#cancels.clear();
  }

  /** Marks the start of a checkout (a pooled hand-out): its first command may be replayed (see below). */
  markHandedOut(): void {
    this.#untouched = true;
  }

  /**
   * True once per checkout, for its first command: the session sat idle in the pool until now, so a server that
   * ended it meanwhile (`pg_terminate_backend`, `idle_session_timeout`, a shutdown) answers that command with its
   * goodbye — the command then never ran and may be replayed on a new connection (issue 13 item 10).
   */
  takeFirstCommand(): boolean {
    const first = this.#untouched;
    this.#untouched = false;
    return first;
  }

  /**
   * The server said goodbye before answering the checkout's first command: its coming loss is held back (the holder
   * is not told, the pool does not evict it) until the replay either moved the session onto a new connection or gave
   * up ({@link PgSession.releaseHeldLoss}).
   */
  holdLossForReplay(): void {
    this.#holdLoss = true;
  }

  /**
   * Moves the session onto a new physical connection for a replay. Only a pooled session can (its pool's connection
   * string is known); this one rejects.
   */
  reconnect(): Promise<void> {
    return Promise.reject(new Error('Only a pooled session is reconnected.'));
  }

  /**
   * Replays the checkout's first command — a turn (`PgProtocolTurn`) or a one-shot execution (`PgOneShot`), which
   * detached itself from the old connection when the server said goodbye before answering it — on a new connection:
   * it is queued there and writes itself again. When no new connection can be made it fails with the goodbye, and
   * the loss held back is reported.
   */
  replay(query: PgSessionTurn & PgSubmittable, goodbye: Error): void {
    this.reconnect().then(
      () => {
        pgReplayStats.replayed += 1;
        try {
          this.submit(query);
        } catch (error) {
          query.fail(error as Error);
        }
      },
      () => {
        this.releaseHeldLoss();
        query.fail(goodbye);
      },
    );
  }

  /** Gives up the replay: a loss held back is reported now, one still to come will be reported when it comes. */
  releaseHeldLoss(): void {
    this.#holdLoss = false;
    const held = this.#heldLoss;
    this.#heldLoss = undefined;
    if (held !== undefined) this.#report(held);
  }

  /** Routes the session's loss and notices to a new holder (core's pool hands the session out), or to nobody. */
  attach(events: PgSessionEvents | undefined): void {
    this.#events = events;
  }

  /** True once the client was given back or destroyed. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * True while a CancelRequest is not yet acknowledged: nothing may be sent on the session, and it must not be reused,
   * until it is.
   */
  get cancelling(): boolean {
    return this.#cancels.size > 0;
  }

  /** The error the connection died with, if it did. */
  get lostError(): Error | undefined {
    return this.#lostError;
  }

  /** Backend process id (`pg_backend_pid()`). */
  get processId(): number | undefined {
    return this.client.processID ?? undefined;
  }

  /**
   * Starts a protocol turn: waits until every earlier CancelRequest has been acknowledged (the late-cancel guard),
   * queues the turn on the client, and resolves once the client has handed it the connection.
   */
  async beginTurn(replayable = false): Promise<PgProtocolTurn> {
    await this.settleCancels();
    if (this.#lostError) throw this.#lostError;
    if (this.#disposed) throw new Error('The session has been closed.');
    const turn = new PgProtocolTurn(replayable ? this : undefined);
    this.#turn = turn;
    this.client.query(turn);
    await turn.started;
    return turn;
  }

  /**
   * Hands `query` to the client at once — for a caller that checked {@link PgSession.cancelling} itself and
   * needs no `started` promise (the one-shot execution writes its messages in `submit`).
   * @throws when the session is lost or closed.
   */
  submit(query: PgSessionTurn & PgSubmittable): void {
    if (this.#lostError) throw this.#lostError;
    if (this.#disposed) throw new Error('The session has been closed.');
    this.#turn = query;
    this.client.query(query);
  }

  /**
   * Asks the server to cancel what `turn` is running, if — and only if — the server is busy executing a group of
   * that turn. Repeats (up to {@link CANCEL_ATTEMPTS}) while the statement keeps running, for a cancel that reached
   * the backend just before it started the statement. Never throws.
   */
  cancel(turn: PgSessionTurn): void {
    if (!this.#cancellable(turn)) return;
    const attempts = (async () => {
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS && this.#cancellable(turn); attempt += 1) {
        const { processID, secretKey, host, port } = this.client;
        if (processID === null || secretKey === null) return;
        await sendCancelRequest({ host, port, processId: processID, secretKey });
        await Promise.race([turn.whenIdle(), delay(CANCEL_RETRY_MS)]);
      }
    })();
    const tracked = attempts.finally(() => this.#cancels.delete(tracked));
    this.#cancels.add(tracked);
  }

  /** Marks the session as not fit for reuse (protocol confusion): it is destroyed instead of pooled. */
  markUnusable(): void {
    this.#unusable = true;
  }

  /** True when the session must be destroyed rather than pooled. */
  get unusable(): boolean {
    return this.#unusable || this.#lostError !== undefined;
  }

  /** Resolves once every CancelRequest sent so far has been acknowledged (or has failed). */
  async settleCancels(): Promise<void> {
    while (this.#cancels.size > 0) await Promise.all([...this.#cancels]);
  }

  /**
   * Gives the client back. When `destroy` is false the caller has already reset the session; `pg` itself refuses to
   * pool a client whose socket failed.
   */
  async dispose(destroy: boolean): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    // The late-cancel guard protects the next turn on this backend; a destroyed session has none, and on a silent
    // network its CancelRequests would take their full timeout (issue 13, item 8).
    const destroyed = destroy || this.unusable;
    if (!destroyed) await this.settleCancels();
    try {
      await this.#return(destroyed);
    } finally {
      // Removed only after the pool has put its own 'error' listener back, so the client is never without one.
      this.#unlisten(this.#client);
    }
  }

  #listen(client: PgClient): void {
    client.on('error', this.#onError);
    client.on('end', this.#onEnd);
    client.on('notice', this.#onNotice);
    client.connection.on('parameterStatus', this.#onParameterStatus);
  }

  #unlisten(client: PgClient): void {
    client.removeListener('error', this.#onError);
    client.removeListener('end', this.#onEnd);
    client.removeListener('notice', this.#onNotice);
    client.connection.removeListener('parameterStatus', this.#onParameterStatus);
  }

  #cancellable(turn: PgSessionTurn): boolean {
    return this.#lostError === undefined && turn.statementRunning;
  }

  #lose(error: Error): void {
    if (this.#lostError) return;
    this.#lostError = error;
    if (this.#holdLoss) {
      // The turn is being replayed on a new connection (or fails itself when that cannot be made).
      this.#heldLoss = error;
      return;
    }
    this.#turn?.fail(error);
    this.#report(error);
  }

  #report(error: Error): void {
    if (!this.#disposed) this.#events?.onLost(error);
    this.onLost(error);
  }

  /** Called when the connection dies, whoever holds the session (core's pool evicts it through this). */
  protected onLost(error: Error): void {
    void error;
  }

  readonly #onError = (error: Error): void => this.#lose(error);
  readonly #onEnd = (): void => this.#lose(new Error('Connection terminated unexpectedly'));
  // A setting the server reports (TimeZone, search_path…) changed: whatever changed it, the session is not clean.
  readonly #onParameterStatus = (): void => this.dirt.markParameterStatusChanged();
  readonly #onNotice = (notice: PgNoticeFields): void => {
    if (!this.#disposed) this.#events?.onNotice(notice);
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
