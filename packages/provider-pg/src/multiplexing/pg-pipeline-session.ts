import type { PgClient, PgFieldDescription, PgNoticeFields, PgWireConnection } from '../pg-client.js';
import { sendCancelRequest } from '../pg-cancel-request.js';
import { CANCEL_ATTEMPTS, CANCEL_RETRY_MS } from '../pg-session.js';
import type { PgEntryPlacement, PgPipelineEntry } from './pg-pipeline-entry.js';
import { PgPreparedStatements } from './pg-mux-prepared.js';

/**
 * How long a statement at the head with other commands behind it may run before its CancelRequest goes out: a
 * statement that ends within it needs none, and a cancel that would arrive just after it ended would hit the next.
 */
export const CANCEL_BEHIND_DELAY_MS = 20;

/** What a pipelined session tells its multiplexer. */
export interface PgPipelineSessionEvents {
  /** An entry ended: the session has room for another. */
  readonly onDrained: (session: PgPipelineSession) => void;
  /** The session died (socket error, close, protocol confusion); its entries have been failed. */
  readonly onLost: (session: PgPipelineSession, error: Error) => void;
}

/**
 * An entry written to the session, with what the session tracks of it. A class, not an object literal: slots live
 * across a round trip, about a hundred at a time, and a literal's allocation site would then be pretenured by V8
 * (every slot, and what it references, allocated straight into old space).
 */
class Slot {
  readonly entry: PgPipelineEntry;
  /** Statements of the entry the server has not finished: while above 0 at the head, one of them may be running. */
  remaining: number;
  /** A CancelRequest meant for another entry was in flight while this one was in the pipeline. */
  atRisk: boolean;
  /** Its caller asked for a cancel: sent when (and only when) the entry runs at the head. */
  cancelRequested = false;
  /** CancelRequests for it are being sent. */
  cancelling = false;

  constructor(entry: PgPipelineEntry, atRisk: boolean) {
    this.entry = entry;
    this.remaining = entry.executes;
    this.atRisk = atRisk;
  }
}

/** The backend messages `pg`'s Client would dispatch to its active query; the session takes them over. */
const TAKEN_OVER = [
  'errorMessage',
  'readyForQuery',
  'rowDescription',
  'dataRow',
  'portalSuspended',
  'emptyQuery',
  'commandComplete',
  'parseComplete',
  'copyInResponse',
  'copyData',
] as const;

/**
 * One physical PostgreSQL session of a multiplexer. Entries (one per caller's command) are written back to back
 * without waiting for answers — each ends with its own Sync, so the server runs each as a unit of its own and an error
 * skips only to that entry's Sync — and the answers are routed to the entries in the order they were written.
 *
 * The session takes the backend messages over from `pg`'s Client (which dispatches to one active query at a time):
 * `pg` still does the startup, authentication, TLS and parsing; the pipeline does the routing.
 *
 * Cancellation: a CancelRequest names the backend, not the statement, and the entries behind the head are already on
 * their way to it. A cancel is therefore sent only while the entry it is meant for runs at the head; the entries in
 * the pipeline while it is in flight are marked at risk (`onRisk`), and one of them that then fails with 57014 can
 * tell it was hit by a signal meant for another (and, having run in its own implicit transaction that the error
 * rolled back, be sent again).
 * @internal
 */
export class PgPipelineSession {
  readonly client: PgClient;
  readonly #events: PgPipelineSessionEvents;
  readonly #wire: PgWireConnection;
  /** Written entries in order; `#head` indexes the one the server answers now. */
  #slots: Slot[] = [];
  #head = 0;
  /** Entries waiting for the next flush (still removable: nothing of them has been written). */
  #pending: PgPipelineEntry[] = [];
  /** The array `#pending` is swapped with at each flush (kept empty in between): no new array per write. */
  #spare: PgPipelineEntry[] = [];
  /** The statements this session has prepared by name (used only while it is not a transaction's). */
  readonly #prepared = new PgPreparedStatements();
  /** What every entry written here points at (one object per session, not one per entry). */
  readonly #placement: PgEntryPlacement = { session: this };
  #flushScheduled = false;
  /** CancelRequests sent and not yet acknowledged by the server. */
  #cancelsInFlight = 0;
  #pausedBy: PgPipelineEntry | undefined;
  #lost: Error | undefined;
  #closed = false;
  /** Bound to one logical connection's transaction: the multiplexer sends it nothing else. */
  boundTo: object | undefined;
  /** Reserved for a transaction: gets no new entries, and is bound once its pipeline is empty. */
  reserved = false;
  /** A setting changed under the session (ParameterStatus): it takes no new entries and closes once drained. */
  retiring = false;
  /** The transaction status of the last ReadyForQuery. */
  transactionStatus = 'I';

  constructor(client: PgClient, events: PgPipelineSessionEvents) {
    this.client = client;
    this.#events = events;
    const wire = client.connection;
    this.#wire = wire;
    const raw = wire as unknown as {
      removeAllListeners(event: string): void;
      on(event: string, listener: (message: never) => void): void;
    };
    for (const event of TAKEN_OVER) raw.removeAllListeners(event);
    raw.on('rowDescription', (message: { fields: PgFieldDescription[] }) =>
      this.#at()?.entry.onRowDescription(message.fields),
    );
    raw.on('dataRow', (message: { fields: Array<string | null> }) => this.#at()?.entry.onDataRow(message.fields));
    raw.on('noData', () => this.#at()?.entry.onNoData());
    raw.on('commandComplete', (message: { text: string }) => this.#onStatementEnd(message.text));
    raw.on('emptyQuery', () => this.#onStatementEnd(undefined));
    raw.on('portalSuspended', () => this.#onStatementEnd(''));
    raw.on('errorMessage', (error: Error) => this.#onError(error));
    raw.on('readyForQuery', (message: { status: string }) => this.#onReady(message.status));
    raw.on('parseComplete', () => this.#at()?.entry.onParseComplete?.());
    raw.on('copyData', () => {});
    raw.on('copyInResponse', () =>
      // Refused before it is sent (pg-session-scope.ts): in a pipeline, the next entry's messages would end the copy
      // and the server would then skip that entry up to its Sync. Should one get through, nothing here is reliable.
      this.#lose(new Error('COPY FROM STDIN reached a multiplexed session; the session is closed.')),
    );
    raw.on('parameterStatus', () => {
      // Something changed a reported setting for the whole session: no other caller may inherit it.
      this.retiring = true;
    });
    client.on('error', (error) => this.#lose(error));
    client.on('end', () => this.#lose(new Error('Connection terminated unexpectedly')));
    client.on('notice', (notice: PgNoticeFields) => this.#at()?.entry.onNotice?.(notice));
  }

  /** Entries written or waiting to be written, not yet ended. */
  get depth(): number {
    return this.#slots.length - this.#head + this.#pending.length;
  }

  /** The error the session died with, if it did. */
  get lostError(): Error | undefined {
    return this.#lost;
  }

  /** True while the session can take entries from the multiplexer. */
  get available(): boolean {
    return !this.#lost && !this.#closed && !this.retiring && !this.reserved && this.boundTo === undefined;
  }

  /** True while a reader at the head holds the socket (head-of-line: everything behind it waits). */
  get paused(): boolean {
    return this.#pausedBy !== undefined;
  }

  /** Queues an entry; it is written with every other entry queued in the same tick, in one write. */
  enqueue(entry: PgPipelineEntry): void {
    if (this.#lost) {
      entry.onLost(this.#lost);
      return;
    }
    this.#pending.push(entry);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      // After the current microtasks: every caller resumed by the same socket read queues before the write.
      process.nextTick(this.#flush);
    }
  }

  /** Takes back an entry not yet written. False once it has been: the server will run it. */
  withdraw(entry: PgPipelineEntry): boolean {
    const index = this.#pending.indexOf(entry);
    if (index < 0) return false;
    this.#pending.splice(index, 1);
    return true;
  }

  /** True while the server may be executing a statement of `entry` (it is at the head, statements remaining). */
  isRunning(entry: PgPipelineEntry): boolean {
    const slot = this.#at();
    return slot !== undefined && slot.entry === entry && slot.remaining > 0;
  }

  /**
   * Asks the server to stop `entry`: at once when it runs at the head, else as soon as it reaches the head still
   * running. Nothing is sent for an entry that has ended or was never written here.
   */
  cancel(entry: PgPipelineEntry): void {
    for (let i = this.#head; i < this.#slots.length; i += 1) {
      const slot = this.#slots[i]!;
      if (slot.entry !== entry) continue;
      slot.cancelRequested = true;
      if (i === this.#head && slot.remaining > 0) this.#sendCancel(slot);
      return;
    }
  }

  /** Stops reading the socket for the head entry (its reader is behind); every entry after it waits too. */
  pause(entry: PgPipelineEntry): void {
    if (this.#pausedBy || this.#at()?.entry !== entry) return;
    this.#pausedBy = entry;
    this.#wire.stream.pause?.();
  }

  /** Reads the socket again after {@link PgPipelineSession.pause}. */
  resume(entry: PgPipelineEntry): void {
    if (this.#pausedBy !== entry) return;
    this.#pausedBy = undefined;
    this.#wire.stream.resume?.();
  }

  /** Closes the session: ends it politely when idle, destroys the socket otherwise. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#lost || this.depth > 0 || this.#cancelsInFlight > 0) {
      this.#lose(new Error('The multiplexed session was closed.'));
      this.#wire.stream.destroy();
      return;
    }
    this.#lost = new Error('The multiplexed session was closed.');
    await this.client.end().catch(() => {});
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const entries = this.#pending;
    if (entries.length === 0 || this.#lost) return;
    this.#pending = this.#spare;
    const risky = this.#cancelsInFlight > 0;
    const wire = this.#wire;
    wire.stream.cork?.();
    try {
      for (let i = 0; i < entries.length; i += 1) {
        const entry = entries[i]!;
        this.#slots.push(new Slot(entry, risky));
        entry.placement = this.#placement;
        if (risky) entry.onRisk?.();
        // A transaction's statements are parsed as before: a stale prepared statement would abort the transaction.
        entry.write(wire, this.boundTo === undefined ? this.#prepared : undefined);
      }
    } finally {
      entries.length = 0;
      this.#spare = entries;
      wire.stream.uncork?.();
    }
  };

  #at(): Slot | undefined {
    return this.#slots[this.#head];
  }

  #onStatementEnd(tag: string | undefined): void {
    const slot = this.#at();
    if (!slot) return this.#unexpected('commandComplete');
    if (slot.remaining > 0) slot.remaining -= 1;
    if (tag === undefined) slot.entry.onEmptyQuery();
    else slot.entry.onCommandComplete(tag);
  }

  #onError(error: Error): void {
    const slot = this.#at();
    if (!slot) {
      this.#lose(error);
      return;
    }
    // The server skips to this entry's Sync: none of its statements runs any more.
    slot.remaining = 0;
    slot.entry.onError(error);
  }

  #onReady(status: string): void {
    const slot = this.#at();
    if (!slot) return this.#unexpected('readyForQuery');
    this.transactionStatus = status;
    this.#slots[this.#head] = undefined as unknown as Slot;
    this.#head += 1;
    if (this.#head === this.#slots.length) {
      this.#slots.length = 0;
      this.#head = 0;
    } else if (this.#head > 256 && this.#head * 2 > this.#slots.length) {
      this.#slots.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#pausedBy === slot.entry) this.resume(slot.entry);
    slot.entry.placement = undefined;
    slot.entry.onReady(slot.atRisk, status);
    const next = this.#at();
    // A cancel asked for while the entry waited behind others is sent now that it runs.
    if (next?.cancelRequested && next.remaining > 0) this.#sendCancel(next);
    this.#events.onDrained(this);
  }

  #sendCancel(target: Slot): void {
    if (target.cancelling) return;
    target.cancelling = true;
    void (async () => {
      // With other callers' commands behind it, a statement that is about to end would pass the signal on to the
      // next one (which is then sent again, see onRisk): give a short statement the chance to end by itself first.
      if (this.#slots.length - this.#head > 1) await delay(CANCEL_BEHIND_DELAY_MS);
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS; attempt += 1) {
        const { processID, secretKey, host, port } = this.client;
        if (processID === null || secretKey === null || this.#lost) return;
        if (this.#at() !== target || target.remaining === 0) return;
        // Every other entry in the pipeline may be what the signal finds when it arrives; entries written before
        // the server acknowledges it are marked too (in #flush). After the acknowledgement the signal is either
        // spent on the target or dropped by the backend's next command read, so later entries are safe.
        for (let i = this.#head; i < this.#slots.length; i += 1) {
          const slot = this.#slots[i]!;
          if (slot === target || slot.atRisk) continue;
          slot.atRisk = true;
          slot.entry.onRisk?.();
        }
        this.#cancelsInFlight += 1;
        try {
          await sendCancelRequest({ host, port, processId: processID, secretKey });
        } finally {
          this.#cancelsInFlight -= 1;
        }
        await delay(CANCEL_RETRY_MS);
      }
    })();
  }

  #unexpected(message: string): void {
    this.#lose(new Error(`Unexpected '${message}' message from the server on a multiplexed session.`));
    this.#wire.stream.destroy();
  }

  #lose(error: Error): void {
    if (this.#lost && this.depth === 0) return;
    this.#lost ??= error;
    const slots = this.#slots.slice(this.#head);
    const pending = this.#pending;
    this.#slots = [];
    this.#head = 0;
    this.#pending = [];
    for (const slot of slots) {
      slot.entry.placement = undefined;
      slot.entry.onLost(this.#lost);
    }
    for (const entry of pending) entry.onLost(this.#lost);
    this.#events.onLost(this, this.#lost);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
