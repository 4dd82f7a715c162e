import { Connection, ISOLATION_LEVEL, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import type { DataType } from 'tedious/lib/data-type.js';
import RpcRequestPayloadModule from 'tedious/lib/rpcrequest-payload.js';

/**
 * The slice of tedious this provider uses, as narrow structural interfaces (kysely's `mssql-dialect-config.ts` idea):
 * the rest of the provider is written against these, so unit tests drive it with small fakes and a tedious upgrade
 * shows up here, in one file. We use tedious directly rather than node-mssql: tedious gives `pause()`/`resume()` and
 * `cancel()` (TDS ATTENTION) on the request we hold, which node-mssql's streaming layer does not pass through reliably.
 */

/** One column as tedious describes it in a COLMETADATA token (`colName`, `type.name`, lengths, flags). */
export interface TediousColumnMetadata {
  readonly colName: string;
  readonly type: { readonly name: string; readonly id?: number };
  readonly flags: number;
  /** Bytes for (n)var/char and var/binary (0xFFFF = MAX, absent for fixed types). */
  readonly dataLength?: number | undefined;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
  readonly tableName?: string | readonly string[] | undefined;
  readonly udtInfo?: { readonly typeName?: string } | undefined;
}

/** One value of a ROW token (tedious' default `useColumnNames: false` shape). */
export interface TediousColumnValue {
  readonly value: unknown;
  readonly metadata: TediousColumnMetadata;
}

/** An ERROR or INFO token. */
export interface TediousMessageToken {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  readonly message: string;
  readonly serverName?: string;
  readonly procName?: string;
  readonly lineNumber?: number;
}

/** The request events the provider listens to. */
export interface TediousRequestEvents {
  columnMetadata: [columns: readonly TediousColumnMetadata[]];
  row: [columns: readonly TediousColumnValue[]];
  done: [rowCount: number | undefined, more: boolean];
  doneInProc: [rowCount: number | undefined, more: boolean];
  doneProc: [rowCount: number | undefined, more: boolean, returnStatus?: number];
  returnValue: [parameterName: string, value: unknown, metadata: TediousColumnMetadata];
}

/** A tedious `Request`: parameters, events, and flow control. */
export interface TediousRequest {
  on<E extends keyof TediousRequestEvents>(event: E, listener: (...args: TediousRequestEvents[E]) => void): unknown;
  addParameter(name: string, type: DataType, value?: unknown, options?: TediousParameterOptions): void;
  addOutputParameter(name: string, type: DataType, value?: unknown, options?: TediousParameterOptions): void;
  /** Stops parsing tokens (and so reading the socket) until `resume()`. */
  pause(): void;
  resume(): void;
}

/** Length, precision and scale of a parameter. */
export interface TediousParameterOptions {
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** Called once per request: with tedious' error (ECANCEL after an acknowledged ATTENTION) or without. */
export type TediousCompletion = (error: Error | null | undefined) => void;

/** The connection events the provider listens to. */
export interface TediousConnectionEvents {
  infoMessage: [token: TediousMessageToken];
  errorMessage: [token: TediousMessageToken];
  databaseChange: [database: string];
  end: [];
  error: [error: Error];
}

/** A tedious `Connection`: one physical TDS session. */
export interface TediousConnection {
  connect(callback: (error?: Error) => void): void;
  close(): void;
  /** RPC `sp_executesql` with the request's parameters. */
  execSql(request: TediousRequest): void;
  /** A SQL_BATCH (no parameters). */
  execSqlBatch(request: TediousRequest): void;
  /** RPC of a stored procedure by name. */
  callProcedure(request: TediousRequest): void;
  /** Sends ATTENTION for the running request; its completion then reports ECANCEL once the server acknowledged. */
  cancel(): boolean;
  /** Runs tedious' initial SQL with the RESETCONNECTION flag (sp_reset_connection semantics). */
  reset(callback: (error?: Error | null) => void): void;
  beginTransaction(callback: (error?: Error | null) => void, name?: string, isolationLevel?: number): void;
  commitTransaction(callback: (error?: Error | null) => void, name?: string): void;
  rollbackTransaction(callback: (error?: Error | null) => void, name?: string): void;
  saveTransaction(callback: (error?: Error | null) => void, name: string): void;
  on<E extends keyof TediousConnectionEvents>(
    event: E,
    listener: (...args: TediousConnectionEvents[E]) => void,
  ): unknown;
  off<E extends keyof TediousConnectionEvents>(
    event: E,
    listener: (...args: TediousConnectionEvents[E]) => void,
  ): unknown;
  /** True once the connection ended. */
  readonly closed: boolean;
  /** True while the server reports an open transaction (ENVCHANGE begin/commit/rollback). */
  readonly inTransaction: boolean;
  /** tedious' resolved options; the object its token parser hands to the value parser. */
  readonly config: { readonly options: object };
}

/** tedious' isolation level codes. */
export const TEDIOUS_ISOLATION_LEVEL = ISOLATION_LEVEL;

/** tedious' data types (parameter types). */
export const TEDIOUS_TYPES = TYPES;

export type { ConnectionConfiguration as TediousConnectionConfiguration, DataType as TediousDataType };

/** Creates a tedious connection (not yet connected). */
export function createTediousConnection(config: ConnectionConfiguration): TediousConnection {
  return new Connection(config) as unknown as TediousConnection;
}

/** Creates a tedious request for SQL text or a procedure name. */
export function createTediousRequest(sqlOrProcedure: string, completion: TediousCompletion): TediousRequest {
  return new Request(sqlOrProcedure, (error) => completion(error)) as unknown as TediousRequest;
}

/** Receives the result events of a request made by {@link createSinkRequest}, as direct calls. */
export interface TediousRequestSink {
  /** `columnMetadata`: a result set starts. */
  onColumnMetadata(columns: readonly TediousColumnMetadata[]): void;
  /** `row`: the request's own array (no row collection), which the sink may keep or reuse. */
  onRow(columns: readonly TediousColumnValue[]): void;
  /** `done` and `doneInProc`: a statement ended, with its count when it has one. */
  onDone(rowCount: number | undefined): void;
  /** `doneProc`: a procedure (or `sp_executesql`) ended; carries the RETURN status. */
  onDoneProc(returnStatus: number | undefined): void;
  /** `returnValue`: an output parameter's value. */
  onReturnValue(parameterName: string, value: unknown, metadata: TediousColumnMetadata): void;
}

/**
 * A tedious `Request` that hands its result events to one sink instead of emitting them to listeners. tedious' token
 * handler reports results through `request.emit(name, …)`; dispatching there directly spares every command the
 * registration of four to six listeners and the EventEmitter lookups of each token. The events tedious itself
 * listens to on a request (`pause`, `resume`, `cancel`, …) still go through `EventEmitter.emit`.
 */
class SinkRequest extends (Request as unknown as new (
  sql: string,
  callback: (error: Error | null | undefined) => void,
) => EventEmitterLike) {
  sink: TediousRequestSink | undefined;

  // Fixed parameters, not `...args`: a rest array per call would be one more allocation for every row streamed.
  // tedious passes at most four arguments, and the fourth (row collections) only with events handled here.
  override emit(event: string | symbol, a?: unknown, b?: unknown, c?: unknown): boolean {
    const sink = this.sink;
    if (sink !== undefined) {
      switch (event) {
        case 'row':
          sink.onRow(a as readonly TediousColumnValue[]);
          return true;
        case 'columnMetadata':
          sink.onColumnMetadata(a as readonly TediousColumnMetadata[]);
          return true;
        case 'done':
        case 'doneInProc':
          sink.onDone(a as number | undefined);
          return true;
        case 'doneProc':
          sink.onDoneProc(c as number | undefined);
          return true;
        case 'returnValue':
          sink.onReturnValue(a as string, b, c as TediousColumnMetadata);
          return true;
      }
    }
    return super.emit(event, a, b, c);
  }
}

/** The part of Node's EventEmitter that {@link SinkRequest} overrides. */
interface EventEmitterLike {
  emit(event: string | symbol, a?: unknown, b?: unknown, c?: unknown): boolean;
}

/** A request made by {@link createSinkRequest}: set `sink` before sending it. */
export type TediousSinkRequest = TediousRequest & { sink: TediousRequestSink | undefined };

/**
 * Creates a tedious request whose result events go to its `sink` (see {@link TediousRequestSink}) once set; until then
 * they are emitted as usual.
 */
export function createSinkRequest(sqlOrProcedure: string, completion: TediousCompletion): TediousSinkRequest {
  return new SinkRequest(sqlOrProcedure, completion) as unknown as TediousSinkRequest;
}

/** One call of a batched RPC: a procedure (by name, or sp_executesql) and the request holding its parameters. */
export interface TediousRpcCall {
  /** `sp_executesql` (called by id, as tedious' `execSql` does) or a stored procedure's name. */
  readonly procedure: 'sp_executesql' | string;
  /** For sp_executesql: the statement text. */
  readonly statement?: string | undefined;
  /** The request whose parameters the call sends (tedious validates and encodes them). */
  readonly parameters: TediousRequest;
}

/** The byte that separates two RPCs of one RPC_REQUEST message (MS-TDS 2.2.6.6 BatchFlag, TDS 7.2 and later). */
const RPC_BATCH_FLAG = Buffer.from([0xff]);
/** TDS packet type of an RPC request. */
const RPC_REQUEST_PACKET = 0x03;
/** sp_executesql's ProcID (MS-TDS 2.2.6.6). */
const SP_EXECUTESQL_ID = 10;

/** tedious' RPC payload encoder: CommonJS `module.exports = class`, which Node and bundlers hand out differently. */
type RpcPayloadConstructor = new (
  procedure: string | number,
  parameters: unknown[],
  descriptor: Buffer,
  options: object,
  collation: unknown,
) => Iterable<Buffer>;
const RpcRequestPayload = ((RpcRequestPayloadModule as unknown as { default?: unknown }).default ??
  RpcRequestPayloadModule) as unknown as RpcPayloadConstructor;

/** The tedious internals a batched RPC needs: present in tedious 19, not in its typed API. */
interface TediousConnectionInternals {
  makeRequest(request: unknown, packetType: number, payload: Iterable<Buffer>): void;
  currentTransactionDescriptor(): Buffer;
  readonly databaseCollation: unknown;
  readonly config: { readonly options: { readonly tdsVersion: string } };
}

interface TediousParameterInternals {
  readonly parameters: unknown[];
  validateParameters(collation: unknown): void;
  makeParamsParameter(parameters: unknown[]): string;
}

/**
 * Sends several RPCs in one RPC_REQUEST message (a batched RPC, MS-TDS 2.2.6.6: `RPCReqBatch *(BatchFlag
 * RPCReqBatch)`), so a `DbBatch` costs one round trip. tedious sends one RPC per request and has no API for this;
 * each call is encoded by tedious' own `RpcRequestPayload` (exactly what `execSql`/`callProcedure` send), the calls
 * after the first without their ALL_HEADERS and behind the 0xFF BatchFlag, and the whole message goes through
 * tedious' `makeRequest`, so its state machine, cancel (ATTENTION) and token parsing work as for any request. The
 * server answers every RPC in one response, each ending with DONEPROC; `sink` receives all of them.
 * Validates every parameter value at once (throwing tedious' EPARAM error before anything is sent) and returns the
 * function that sends the message with `sink` as its request.
 */
export function prepareBatchedRpc(
  connection: TediousConnection,
  calls: readonly TediousRpcCall[],
): (sink: TediousSinkRequest) => void {
  const internals = connection as unknown as TediousConnectionInternals;
  const options = internals.config.options;
  const collation = internals.databaseCollation;
  const descriptor = internals.currentTransactionDescriptor();
  const payloads = calls.map((call) => {
    const request = call.parameters as unknown as TediousParameterInternals;
    request.validateParameters(collation);
    if (call.procedure !== 'sp_executesql') {
      return new RpcRequestPayload(call.procedure, request.parameters, descriptor, options, collation);
    }
    const parameters: unknown[] = [executeSqlParameter('statement', call.statement ?? '')];
    if (request.parameters.length > 0) {
      parameters.push(
        executeSqlParameter('params', request.makeParamsParameter(request.parameters)),
        ...request.parameters,
      );
    }
    return new RpcRequestPayload(SP_EXECUTESQL_ID, parameters, descriptor, options, collation);
  });
  const withHeaders = options.tdsVersion >= '7_2';
  return (sink) => internals.makeRequest(sink, RPC_REQUEST_PACKET, batchedPayload(payloads, withHeaders));
}

/** sp_executesql's own `@statement` / `@params` argument, as tedious' `execSql` builds it. */
function executeSqlParameter(name: string, value: string): object {
  return {
    type: TYPES.NVarChar,
    name,
    value,
    output: false,
    length: undefined,
    precision: undefined,
    scale: undefined,
  };
}

/** The calls' bytes one after the other: every call after the first loses its ALL_HEADERS and gains the BatchFlag. */
function batchedPayload(payloads: readonly Iterable<Buffer>[], withHeaders: boolean): Iterable<Buffer> {
  return {
    *[Symbol.iterator]() {
      for (let index = 0; index < payloads.length; index += 1) {
        let first = true;
        for (const chunk of payloads[index]!) {
          if (first && index > 0) {
            first = false;
            yield RPC_BATCH_FLAG;
            // ALL_HEADERS starts with its own total length (a DWORD); only the message's first RPC carries it.
            yield withHeaders ? chunk.subarray(chunk.readUInt32LE(0)) : chunk;
            continue;
          }
          first = false;
          yield chunk;
        }
      }
    },
  };
}
