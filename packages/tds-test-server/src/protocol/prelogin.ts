import { BufferReader } from './buffer-reader.js';
import { BufferWriter } from './buffer-writer.js';
import { ProtocolError } from './protocol-error.js';

/**
 * PRELOGIN (MS-TDS 2.2.6.5): a table of (token, offset, length) option entries ended by 0xFF, then the
 * option data. Offsets are big-endian and relative to the start of the payload.
 */

/** PRELOGIN option tokens. */
export const PreloginOption = {
  Version: 0x00,
  Encryption: 0x01,
  InstOpt: 0x02,
  ThreadId: 0x03,
  Mars: 0x04,
  TraceId: 0x05,
  FedAuthRequired: 0x06,
  Terminator: 0xff,
} as const;

/** ENCRYPTION option values. */
export const Encryption = {
  Off: 0x00,
  On: 0x01,
  NotSupported: 0x02,
  Required: 0x03,
} as const;

/** What the client said in its PRELOGIN. */
export interface ClientPrelogin {
  readonly version?: { major: number; minor: number; build: number; subBuild: number };
  readonly encryption?: number;
  readonly mars?: boolean;
  readonly instance?: string;
}

/** Decodes a client PRELOGIN payload. Unknown options are skipped, as the specification requires. */
export function decodePrelogin(payload: Buffer): ClientPrelogin {
  const table = new BufferReader(payload);
  const result: { -readonly [K in keyof ClientPrelogin]: ClientPrelogin[K] } = {};
  for (;;) {
    const token = table.u8();
    if (token === PreloginOption.Terminator) break;
    const offset = table.u16be();
    const length = table.u16be();
    if (offset + length > payload.length) {
      throw new ProtocolError(`PRELOGIN option 0x${token.toString(16)} points outside the payload`);
    }
    const data = new BufferReader(payload.subarray(offset, offset + length));
    switch (token) {
      case PreloginOption.Version:
        if (length >= 6) {
          result.version = { major: data.u8(), minor: data.u8(), build: data.u16be(), subBuild: data.u16be() };
        }
        break;
      case PreloginOption.Encryption:
        if (length >= 1) result.encryption = data.u8();
        break;
      case PreloginOption.Mars:
        if (length >= 1) result.mars = data.u8() === 1;
        break;
      case PreloginOption.InstOpt:
        result.instance = payload
          .subarray(offset, offset + length)
          .toString('latin1')
          .replace(/\0+$/, '');
        break;
      default:
        break;
    }
  }
  return result;
}

/** The server's PRELOGIN answer. */
export interface ServerPrelogin {
  readonly version: { major: number; minor: number; build: number; subBuild?: number };
  readonly encryption: number;
}

/** Encodes the server's PRELOGIN response: version, encryption, instance ok, thread id, MARS off. */
export function encodePreloginResponse(response: ServerPrelogin): Buffer {
  const options: Array<{ token: number; data: Buffer }> = [
    {
      token: PreloginOption.Version,
      data: new BufferWriter(6)
        .u8(response.version.major)
        .u8(response.version.minor)
        .u16be(response.version.build)
        .u16be(response.version.subBuild ?? 0)
        .toBuffer(),
    },
    { token: PreloginOption.Encryption, data: Buffer.from([response.encryption]) },
    // 0 = the instance name the client asked for (if any) matches.
    { token: PreloginOption.InstOpt, data: Buffer.from([0]) },
    // SQL Server answers THREADID with no data.
    { token: PreloginOption.ThreadId, data: Buffer.alloc(0) },
    { token: PreloginOption.Mars, data: Buffer.from([0]) },
  ];
  const writer = new BufferWriter(64);
  let dataOffset = options.length * 5 + 1;
  for (const option of options) {
    writer.u8(option.token).u16be(dataOffset).u16be(option.data.length);
    dataOffset += option.data.length;
  }
  writer.u8(PreloginOption.Terminator);
  for (const option of options) writer.bytes(option.data);
  return writer.toBuffer();
}
