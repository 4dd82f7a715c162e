import { BufferWriter } from '../buffer-writer.js';
import { TokenType } from './token-type.js';

/** TDS 7.4, as LOGINACK spells it (big-endian on the wire). */
export const TDS_VERSION_7_4 = 0x74000004;

/** The interface LOGINACK reports: 1 = SQL_TSQL. */
const INTERFACE_TSQL = 1;

/** Encodes LOGINACK (MS-TDS 2.2.7.14): interface, TDS version, program name, program version. */
export function encodeLoginAck(progName: string, version: { major: number; minor: number; build: number }): Buffer {
  const writer = new BufferWriter(64)
    .u8(TokenType.LoginAck)
    .u16(0)
    .u8(INTERFACE_TSQL)
    .u32be(TDS_VERSION_7_4)
    .bVarChar(progName)
    .u8(version.major & 0xff)
    .u8(version.minor & 0xff)
    .u8((version.build >> 8) & 0xff)
    .u8(version.build & 0xff);
  return writer.patchU16(1, writer.size - 3).toBuffer();
}

/** Encodes FEATUREEXTACK (MS-TDS 2.2.7.11): (id, 4-byte length, data)… then 0xFF. */
export function encodeFeatureExtAck(features: ReadonlyArray<{ id: number; data: Buffer }>): Buffer {
  const writer = new BufferWriter(16).u8(TokenType.FeatureExtAck);
  for (const feature of features) writer.u8(feature.id).u32(feature.data.length).bytes(feature.data);
  return writer.u8(0xff).toBuffer();
}
