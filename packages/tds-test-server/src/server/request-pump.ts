import type { EngineEvent } from '../engine/engine-types.js';
import { STOPPED, type ActiveRequest } from './active-request.js';
import type { PacketWriter } from './packet-writer.js';
import type { ResponseEncoder } from './response-encoder.js';

/** How pumping an engine's events ended. */
export type PumpOutcome =
  { readonly kind: 'finished' } | { readonly kind: 'stopped' } | { readonly kind: 'failed'; readonly error: unknown };

/** The result of {@link pumpEvents}: the outcome, and a promise that settles once the engine's iterator is done. */
export interface PumpResult {
  readonly outcome: PumpOutcome;
  /** Settles when the engine has let go of the request (iterator finished or returned). Never rejects. */
  readonly settled: Promise<void>;
}

/**
 * Pulls events from the engine one at a time and writes their tokens, pulling the next event only once
 * the socket has drained: that is the backpressure that keeps a million-row result out of memory.
 * Every wait is raced against the request's abort signal, so ATTENTION takes effect between two rows
 * even when the engine ignores the abort; the engine's iterator is then closed in the background.
 */
export async function pumpEvents(
  events: AsyncIterable<EngineEvent>,
  encoder: ResponseEncoder,
  writer: PacketWriter,
  request: ActiveRequest,
): Promise<PumpResult> {
  let iterator: AsyncIterator<EngineEvent>;
  try {
    iterator = events[Symbol.asyncIterator]();
  } catch (error) {
    return { outcome: { kind: 'failed', error }, settled: Promise.resolve() };
  }
  let pending: Promise<IteratorResult<EngineEvent>> | undefined;
  try {
    for (;;) {
      if (request.aborted) return { outcome: { kind: 'stopped' }, settled: release(iterator, pending, request) };
      pending = iterator.next();
      const step = await request.race(pending);
      if (step === STOPPED) return { outcome: { kind: 'stopped' }, settled: release(iterator, pending, request) };
      pending = undefined;
      if (step.done) return { outcome: { kind: 'finished' }, settled: Promise.resolve() };
      for (const token of encoder.encode(step.value)) writer.write(token);
      if (writer.closed) request.abort('connection closed');
      else if (writer.needsDrain) await request.race(writer.drained());
    }
  } catch (error) {
    // The engine threw (its iterator is finished) or an event could not be encoded (it is still live).
    const engineFailed = pending !== undefined;
    if (!engineFailed) request.abort('response failed');
    return {
      outcome: { kind: 'failed', error },
      settled: engineFailed ? Promise.resolve() : release(iterator, undefined, request),
    };
  }
}

/** Lets the engine's iterator finish: waits for an in-flight `next()`, then calls `return()`. */
async function release(
  iterator: AsyncIterator<EngineEvent>,
  pending: Promise<IteratorResult<EngineEvent>> | undefined,
  request: ActiveRequest,
): Promise<void> {
  request.abort('request stopped');
  try {
    if (pending) {
      const step = await pending;
      if (step.done) return;
    }
  } catch {
    return; // the iterator threw, so it is already finished
  }
  try {
    await iterator.return?.();
  } catch {
    // An engine that throws while being closed has nothing more to say to this request.
  }
}
