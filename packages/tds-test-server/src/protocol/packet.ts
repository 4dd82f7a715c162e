/**
 * TDS packet framing (MS-TDS 2.2.3): every message travels as packets of an 8-byte header
 * (type, status, big-endian total length, SPID, packet id, window) and a payload.
 */

/** Length of a packet header. */
export const PACKET_HEADER_LENGTH = 8;

/** The packet size used until LOGIN7 negotiates another (tedious and SQL Server default). */
export const DEFAULT_PACKET_SIZE = 4096;

/** The smallest and largest packet sizes SQL Server accepts in LOGIN7. */
export const MIN_PACKET_SIZE = 512;
/** See {@link MIN_PACKET_SIZE}. */
export const MAX_PACKET_SIZE = 32767;

/** Packet (message) types (MS-TDS 2.2.3.1.1). */
export const PacketType = {
  SqlBatch: 0x01,
  RpcRequest: 0x03,
  TabularResult: 0x04,
  Attention: 0x06,
  BulkLoad: 0x07,
  FedAuthToken: 0x08,
  TransactionManager: 0x0e,
  Login7: 0x10,
  Sspi: 0x11,
  Prelogin: 0x12,
} as const;

/** Status bits of a packet header (MS-TDS 2.2.3.1.2). */
export const PacketStatus = {
  /** End of message: the last packet of a message. */
  Eom: 0x01,
  /** The client abandoned the message (sent with EOM); the server discards it. */
  Ignore: 0x02,
  /** Reset the session before running this request. */
  ResetConnection: 0x08,
  /** Reset the session but keep the transaction. */
  ResetConnectionSkipTran: 0x10,
} as const;

/** A decoded packet header plus its payload. */
export interface Packet {
  readonly type: number;
  readonly status: number;
  readonly spid: number;
  readonly packetId: number;
  readonly payload: Buffer;
}

/** Writes a packet header into the first 8 bytes of `target`. */
export function writePacketHeader(
  target: Buffer,
  header: { type: number; status: number; length: number; spid: number; packetId: number },
): void {
  target.writeUInt8(header.type, 0);
  target.writeUInt8(header.status, 1);
  target.writeUInt16BE(header.length, 2);
  target.writeUInt16BE(header.spid & 0xffff, 4);
  target.writeUInt8(header.packetId & 0xff, 6);
  target.writeUInt8(0, 7);
}

/** A name for a packet type, for log messages. */
export function packetTypeName(type: number): string {
  const entry = Object.entries(PacketType).find(([, value]) => value === type);
  return entry ? entry[0] : `0x${type.toString(16).padStart(2, '0')}`;
}
