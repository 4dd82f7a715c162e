import type { EngineEvent, TdsSession } from '../engine/engine-types.js';
import type { ClientMessage } from '../protocol/message-assembler.js';
import { PacketType } from '../protocol/packet.js';
import { decodeRpcBatch } from '../protocol/rpc-request.js';
import { decodeSqlBatch } from '../protocol/sql-batch.js';
import { DoneStatus, encodeDone } from '../protocol/tokens/done-token.js';
import { encodeResetConnectionAck } from '../protocol/tokens/env-change-token.js';
import { decodeTransactionManager } from '../protocol/transaction-manager.js';
import type { ActiveRequest } from './active-request.js';
import { isExpectedError, toTdsMessage } from './engine-errors.js';
import type { PacketWriter } from './packet-writer.js';
import { pumpEvents, type PumpOutcome, type PumpResult } from './request-pump.js';
import { ResponseEncoder, type ResponseMode } from './response-encoder.js';

/** What a request needs from its connection. */
export interface RequestContext {
  readonly session: TdsSession;
  readonly writer: PacketWriter;
  readonly request: ActiveRequest;
  readonly serverName: string;
  /** The session's database before the request. */
  readonly database: string;
  readonly log: (message: string) => void;
}

/** What a finished request leaves behind. */
export interface RequestResult {
  /** The database after the request (a `database` event may have changed it). */
  readonly database: string;
  /** Settles once the engine has let go of the request. */
  readonly settled: Promise<void>;
}

/**
 * Answers one SQL_BATCH, RPC or TRANSACTION_MANAGER message: resets the session when the client asked
 * for RESETCONNECTION, decodes the request, streams the engine's events as tokens, and ends the
 * response. After ATTENTION the response is cut short with a DONE and a second message carrying
 * DONE with the ATTN bit, which is the message tedious waits for before it reports the cancellation.
 */
export async function runRequest(message: ClientMessage, context: RequestContext): Promise<RequestResult> {
  const { writer, request } = context;
  const mode: ResponseMode =
    message.type === PacketType.SqlBatch ? 'batch' : message.type === PacketType.RpcRequest ? 'rpc' : 'transaction';
  const encoder = new ResponseEncoder(mode, context.serverName, context.database);
  let outcome: PumpOutcome = { kind: 'finished' };
  let settled: Promise<void> = Promise.resolve();

  if (message.ignore) {
    // The client abandoned the message before sending all of it; nothing runs, but it still reads a response.
    outcome = { kind: 'finished' };
  } else {
    try {
      if (message.resetConnection) {
        // Raced like every other wait, so ATTENTION or a closed socket never waits on a slow reset.
        await request.race(context.session.reset());
        if (!request.aborted) {
          writer.write(encodeResetConnectionAck());
          // A reset returns the session to its login database; the client must hear about it.
          for (const token of encoder.databaseChangedTo(context.session.database)) writer.write(token);
        }
      }
      if (request.aborted) {
        // ATTENTION came, or the socket closed, before the request started: nothing runs.
      } else if (mode === 'rpc') {
        // One message may carry several RPCs (a batched RPC): each runs as SQL Server runs them, one after the
        // other whatever happened to the ones before, and ends with its own DONEPROC.
        const calls = decodeRpcBatch(message.payload);
        for (let index = 0; index < calls.length - 1 && !request.aborted; index += 1) {
          const call = calls[index]!;
          const callEncoder = new ResponseEncoder(mode, context.serverName, encoder.currentDatabase);
          let pumped: PumpResult;
          try {
            const events = context.session.executeRpc(call.procName, call.parameters, request.signal);
            pumped = await pumpEvents(events, callEncoder, writer, request);
          } catch (error) {
            // An engine that refuses the call outright fails that call alone.
            pumped = { outcome: { kind: 'failed', error }, settled: Promise.resolve() };
          }
          settled = pumped.settled;
          if (pumped.outcome.kind === 'stopped') {
            outcome = pumped.outcome;
            break;
          }
          await settled;
          const tokens =
            pumped.outcome.kind === 'failed'
              ? failedCall(pumped.outcome.error, callEncoder, context)
              : [...callEncoder.databaseChangedTo(context.session.database), ...callEncoder.finish(true)];
          for (const token of tokens) writer.write(token);
          encoder.databaseChangedTo(callEncoder.currentDatabase);
        }
        if (outcome.kind !== 'stopped' && !request.aborted) {
          const last = calls[calls.length - 1]!;
          const events = context.session.executeRpc(last.procName, last.parameters, request.signal);
          ({ outcome, settled } = await pumpEvents(events, encoder, writer, request));
        }
      } else {
        const events = start(message, context.session, request.signal, mode);
        ({ outcome, settled } = await pumpEvents(events, encoder, writer, request));
      }
    } catch (error) {
      outcome = { kind: 'failed', error };
    }
  }

  if (request.attention || outcome.kind === 'stopped') {
    if (!writer.closed) {
      writer.write(encodeDone('done', DoneStatus.Final));
      writer.endMessage();
      if (request.attention) {
        writer.write(encodeDone('done', DoneStatus.Attention));
        writer.endMessage();
      }
    }
    return { database: encoder.currentDatabase, settled };
  }
  if (outcome.kind === 'failed') {
    if (!isExpectedError(outcome.error)) context.log(`request failed: ${describe(outcome.error)}`);
    for (const token of encoder.fail(toTdsMessage(outcome.error))) writer.write(token);
  } else {
    // An engine that switched databases without a `database` event still gets its ENVCHANGE.
    for (const token of [...encoder.databaseChangedTo(context.session.database), ...encoder.finish()])
      writer.write(token);
  }
  writer.endMessage();
  return { database: encoder.currentDatabase, settled };
}

/** The engine's events for a SQL_BATCH or TRANSACTION_MANAGER message (an RPC message runs call by call above). */
function start(
  message: ClientMessage,
  session: TdsSession,
  signal: AbortSignal,
  mode: Exclude<ResponseMode, 'rpc'>,
): AsyncIterable<EngineEvent> {
  switch (mode) {
    case 'batch':
      return session.executeBatch(decodeSqlBatch(message.payload).sql, signal);
    case 'transaction':
      return session.executeTransaction(decodeTransactionManager(message.payload).request, signal);
  }
}

/** The tokens ending an RPC of a batched RPC that failed, when more RPCs follow it. */
function failedCall(error: unknown, encoder: ResponseEncoder, context: RequestContext): Buffer[] {
  if (!isExpectedError(error)) context.log(`request failed: ${describe(error)}`);
  return encoder.fail(toTdsMessage(error), true);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
