import type { EngineEvent, TdsMessage } from '../engine/engine-types.js';
import { DoneStatus, encodeDone } from '../protocol/tokens/done-token.js';
import { encodeDatabaseChange, encodeTransactionChange } from '../protocol/tokens/env-change-token.js';
import { encodeMessage, ERROR_SEVERITY } from '../protocol/tokens/message-token.js';
import { encodeColMetadata, encodeRow, planColumns } from '../protocol/tokens/result-tokens.js';
import { encodeReturnStatus, encodeReturnValue } from '../protocol/tokens/return-tokens.js';
import type { WirePlan } from '../protocol/type-info-encoder.js';
import { ValueEncodeError } from '../protocol/value-error.js';

/** What kind of request the response answers: it decides which DONE variants are written. */
export type ResponseMode = 'batch' | 'rpc' | 'transaction';

/**
 * Turns one request's engine events into tokens.
 *
 * Batch (and transaction-manager) responses end every statement with DONE, and only the last DONE of
 * the response may lack the MORE bit. Since events stream, the encoder holds the latest DONE until
 * it knows whether anything follows. RPC responses end each statement with DONEINPROC (always MORE)
 * and the wire layer closes the call itself with DONEPROC, as SQL Server does; an engine `done` event
 * inside an RPC never becomes the DONEPROC.
 */
export class ResponseEncoder {
  private plans: WirePlan[] | undefined;
  private pendingDone: { status: number; rowCount: number } | undefined;
  private errorSinceDone = false;
  private anyError = false;

  constructor(
    private readonly mode: ResponseMode,
    private readonly serverName: string,
    /** The database the session is in, updated by `database` events (ENVCHANGE needs the old name). */
    private database: string,
  ) {}

  /** The current database after the events seen so far. */
  get currentDatabase(): string {
    return this.database;
  }

  /** Tokens for one event. Throws {@link ValueEncodeError} when the event cannot be encoded. */
  encode(event: EngineEvent): Buffer[] {
    // The held DONE gains the MORE bit now that something follows; it is kept if encoding fails, so
    // the failure's own tokens still follow it.
    const held = this.pendingDone;
    this.pendingDone = undefined;
    let body: Buffer[];
    try {
      body = this.encodeBody(event);
    } catch (error) {
      this.pendingDone ??= held;
      throw error;
    }
    return held ? [encodeDone('done', held.status | DoneStatus.More, held.rowCount), ...body] : body;
  }

  private encodeBody(event: EngineEvent): Buffer[] {
    switch (event.kind) {
      case 'columns': {
        const plans = planColumns(event.columns);
        const token = encodeColMetadata(plans);
        this.plans = plans;
        return [token];
      }
      case 'row':
        if (!this.plans) throw new ValueEncodeError('row event before any columns event');
        return [encodeRow(this.plans, event.values)];
      case 'done':
        return this.done(event.rowCount, event.error === true);
      case 'message':
        if (event.message.severity >= ERROR_SEVERITY) this.errorSinceDone = this.anyError = true;
        return [encodeMessage(event.message, this.serverName)];
      case 'returnValue':
        return [encodeReturnValue(event.ordinal, event.name, event.type, event.value)];
      case 'returnStatus':
        return [encodeReturnStatus(event.value)];
      case 'transaction':
        return [encodeTransactionChange(event.change, event.descriptor)];
      case 'database': {
        const token = encodeDatabaseChange(event.name, this.database);
        this.database = event.name;
        return [token];
      }
      default:
        throw new ValueEncodeError(`unknown engine event '${String((event as { kind: unknown }).kind)}'`);
    }
  }

  /** Tokens announcing a database the session moved to outside any event (a reset); none when unchanged. */
  databaseChangedTo(name: string): Buffer[] {
    if (name === this.database) return [];
    const token = encodeDatabaseChange(name, this.database);
    this.database = name;
    return [token];
  }

  /**
   * Tokens that end the response normally. `more`: an RPC of a batched RPC with further RPCs after it — its DONEPROC
   * carries the MORE bit, as only the response's last DONE may lack it.
   */
  finish(more = false): Buffer[] {
    if (this.mode === 'rpc') {
      return [
        encodeDone('doneProc', (this.anyError ? DoneStatus.Error : DoneStatus.Final) | (more ? DoneStatus.More : 0)),
      ];
    }
    const pending = this.releasePending(false);
    if (pending.length > 0) return pending;
    return [encodeDone('done', this.errorSinceDone ? DoneStatus.Error : DoneStatus.Final)];
  }

  /**
   * Tokens that end the response after the engine failed: the error, then a final DONE with the ERROR bit (with MORE
   * for an RPC that further RPCs of the same message follow).
   */
  fail(message: TdsMessage, more = false): Buffer[] {
    const out = this.releasePending(true);
    out.push(encodeMessage(message, this.serverName));
    this.anyError = this.errorSinceDone = true;
    out.push(encodeDone(this.mode === 'rpc' ? 'doneProc' : 'done', DoneStatus.Error | (more ? DoneStatus.More : 0)));
    return out;
  }

  private done(rowCount: number | null, error: boolean): Buffer[] {
    const failed = error || this.errorSinceDone;
    this.errorSinceDone = false;
    this.plans = undefined;
    if (failed) this.anyError = true;
    const count = rowCount === null || !Number.isFinite(rowCount) ? null : Math.max(0, Math.trunc(rowCount));
    const status = (count === null ? 0 : DoneStatus.Count) | (failed ? DoneStatus.Error : 0);
    if (this.mode === 'rpc') {
      return [encodeDone('doneInProc', status | DoneStatus.More, count ?? 0)];
    }
    this.pendingDone = { status, rowCount: count ?? 0 };
    return [];
  }

  private releasePending(more: boolean): Buffer[] {
    const pending = this.pendingDone;
    if (!pending) return [];
    this.pendingDone = undefined;
    return [encodeDone('done', pending.status | (more ? DoneStatus.More : 0), pending.rowCount)];
  }
}
