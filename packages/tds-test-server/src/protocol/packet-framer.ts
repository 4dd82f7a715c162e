import { PACKET_HEADER_LENGTH, type Packet } from './packet.js';
import { ProtocolError } from './protocol-error.js';

/**
 * Cuts the socket's byte stream into packets. TCP delivers arbitrary chunks, so a header or a
 * payload may arrive split across reads; the framer keeps the unfinished tail until it completes.
 */
export class PacketFramer {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  /** Adds bytes from the socket and returns every packet now complete. Throws on an impossible length. */
  push(chunk: Buffer): Packet[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const packets: Packet[] = [];
    while (this.pendingLength >= PACKET_HEADER_LENGTH) {
      const head = this.peek(PACKET_HEADER_LENGTH);
      const length = head.readUInt16BE(2);
      if (length < PACKET_HEADER_LENGTH) {
        throw new ProtocolError(`packet length ${length} is shorter than its header`);
      }
      if (this.pendingLength < length) break;
      const bytes = this.take(length);
      packets.push({
        type: bytes.readUInt8(0),
        status: bytes.readUInt8(1),
        spid: bytes.readUInt16BE(4),
        packetId: bytes.readUInt8(6),
        payload: bytes.subarray(PACKET_HEADER_LENGTH),
      });
    }
    return packets;
  }

  private peek(count: number): Buffer {
    const first = this.pending[0];
    if (first !== undefined && first.length >= count) return first.subarray(0, count);
    const joined = Buffer.concat(this.pending);
    this.pending = [joined];
    return joined.subarray(0, count);
  }

  private take(count: number): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const taken = joined.subarray(0, count);
    const rest = joined.subarray(count);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength -= count;
    return taken;
  }
}
