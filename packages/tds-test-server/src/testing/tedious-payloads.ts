import { createRequire } from 'node:module';
import { TYPES } from 'tedious';
import { SERVER_COLLATION } from '../protocol/collation.js';

/**
 * tedious' own request builders (not part of its public API), loaded so protocol tests decode the
 * exact bytes the client sends.
 */

const require = createRequire(import.meta.url);

type Payload = Iterable<Buffer>;

const Login7Payload = require('tedious/lib/login7-payload.js') as new (
  options: object,
) => Record<string, unknown> & { toBuffer(): Buffer };
const PreloginPayload = require('tedious/lib/prelogin-payload.js') as new (optionsOrBuffer: object | Buffer) => {
  data: Buffer;
  encryptionString?: string;
  version: { major: number; minor: number; build: number; subbuild: number };
  mars?: number;
  instance?: number;
};
const SqlBatchPayload = require('tedious/lib/sqlbatch-payload.js') as new (
  sql: string,
  descriptor: Buffer,
  options: object,
) => Payload;
const RpcRequestPayload = require('tedious/lib/rpcrequest-payload.js') as new (
  procedure: string | number,
  parameters: object[],
  descriptor: Buffer,
  options: object,
  collation: unknown,
) => Payload;
const { Transaction } = require('tedious/lib/transaction.js') as {
  Transaction: new (
    name: string,
    isolationLevel?: number,
  ) => Record<'beginPayload' | 'commitPayload' | 'rollbackPayload' | 'savePayload', (descriptor: Buffer) => Payload>;
};
const { Collation } = require('tedious/lib/collation.js') as { Collation: { fromBuffer(buffer: Buffer): unknown } };

const OPTIONS = { tdsVersion: '7_4', useUTC: true };
const ZERO_DESCRIPTOR = Buffer.alloc(8);

function join(payload: Payload): Buffer {
  return Buffer.concat([...payload]);
}

/** The LOGIN7 tedious sends for these fields (plus its UTF-8 FeatureExt). */
export function tediousLogin7(fields: Record<string, unknown>, packetSize = 4096): Buffer {
  const login = new Login7Payload({
    tdsVersion: 0x74000004,
    packetSize,
    clientProgVer: 0,
    clientPid: 4321,
    connectionId: 0,
    clientTimeZone: -60,
    clientLcid: 0x409,
  });
  Object.assign(login, fields);
  return login.toBuffer();
}

/** The PRELOGIN tedious sends. */
export function tediousPrelogin(encrypt: boolean): Buffer {
  return new PreloginPayload({ encrypt, version: { major: 19, minor: 2, build: 2, subbuild: 0 } }).data;
}

/** Parses a PRELOGIN response the way tedious does. */
export function parsePreloginResponse(payload: Buffer): InstanceType<typeof PreloginPayload> {
  return new PreloginPayload(payload);
}

/** The SQL_BATCH payload tedious sends. */
export function tediousSqlBatch(sql: string, descriptor = ZERO_DESCRIPTOR): Buffer {
  return join(new SqlBatchPayload(sql, descriptor, OPTIONS));
}

/** A parameter as tedious' RPC builder takes it; `value` is validated the way tedious validates it. */
export interface TediousParameter {
  readonly name: string;
  readonly type: (typeof TYPES)[keyof typeof TYPES];
  readonly value: unknown;
  readonly output?: boolean;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** The RPC payload tedious sends (procedure by name or special-procedure id). */
export function tediousRpc(
  procedure: string | number,
  parameters: readonly TediousParameter[],
  descriptor = ZERO_DESCRIPTOR,
): Buffer {
  const collation = Collation.fromBuffer(SERVER_COLLATION);
  const validated = parameters.map((p) => ({
    output: false,
    ...p,
    value: (p.type as unknown as { validate(value: unknown, collation: unknown, options: object): unknown }).validate(
      p.value,
      collation,
      OPTIONS,
    ),
  }));
  return join(new RpcRequestPayload(procedure, validated, descriptor, OPTIONS, collation));
}

/** A TRANSACTION_MANAGER payload as tedious builds it. */
export function tediousTransaction(
  kind: 'begin' | 'commit' | 'rollback' | 'save',
  name: string,
  isolationLevel?: number,
  descriptor = ZERO_DESCRIPTOR,
): Buffer {
  const transaction = new Transaction(name, isolationLevel);
  return join(transaction[`${kind}Payload`](descriptor));
}

/**
 * A batched RPC as SqlClient sends one (MS-TDS 2.2.6.6): the calls' RPC payloads one after the other, every one after
 * the first without ALL_HEADERS and behind the 0xFF BatchFlag.
 */
export function tediousBatchedRpc(
  calls: readonly { readonly procedure: string | number; readonly parameters: readonly TediousParameter[] }[],
  descriptor = ZERO_DESCRIPTOR,
): Buffer {
  return Buffer.concat(
    calls.map((call, index) => {
      const payload = tediousRpc(call.procedure, call.parameters, descriptor);
      return index === 0 ? payload : Buffer.concat([Buffer.from([0xff]), payload.subarray(payload.readUInt32LE(0))]);
    }),
  );
}
