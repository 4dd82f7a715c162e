import { PacketStatus, type Packet } from './packet.js';
import { ProtocolError } from './protocol-error.js';

/** A complete client message: the payloads of its packets joined, with the status of its first and last packet. */
export interface ClientMessage {
  readonly type: number;
  /** True when the first packet asked for RESETCONNECTION (or RESETCONNECTIONSKIPTRAN). */
  readonly resetConnection: boolean;
  /** True when the message is the RESETCONNECTIONSKIPTRAN variant (keep the transaction). */
  readonly resetSkipTransaction: boolean;
  /** True when the last packet carried the IGNORE bit: the client abandoned the message. */
  readonly ignore: boolean;
  readonly payload: Buffer;
}

/** The largest message the server accepts; a bigger one is treated as hostile and closes the connection. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Joins packets into messages (a message ends with the EOM status bit). A packet of a different
 * type in the middle of a message is a protocol violation: only one request may be in flight.
 */
export class MessageAssembler {
  private type: number | undefined;
  private firstStatus = 0;
  private parts: Buffer[] = [];
  private size = 0;

  /** Adds a packet and returns the message it completes, if any. */
  push(packet: Packet): ClientMessage | undefined {
    if (this.type === undefined) {
      this.type = packet.type;
      this.firstStatus = packet.status;
    } else if (packet.type !== this.type) {
      throw new ProtocolError(
        `packet of type 0x${packet.type.toString(16)} inside a message of type 0x${this.type.toString(16)}`,
      );
    }
    this.parts.push(packet.payload);
    this.size += packet.payload.length;
    if (this.size > MAX_MESSAGE_BYTES) {
      throw new ProtocolError(`message larger than ${MAX_MESSAGE_BYTES} bytes`);
    }
    if ((packet.status & PacketStatus.Eom) === 0) return undefined;
    const message: ClientMessage = {
      type: this.type,
      resetConnection: (this.firstStatus & (PacketStatus.ResetConnection | PacketStatus.ResetConnectionSkipTran)) !== 0,
      resetSkipTransaction: (this.firstStatus & PacketStatus.ResetConnectionSkipTran) !== 0,
      ignore: (packet.status & PacketStatus.Ignore) !== 0,
      payload: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size),
    };
    this.type = undefined;
    this.parts = [];
    this.size = 0;
    return message;
  }

  /** True while a message has started but not ended. */
  get inMessage(): boolean {
    return this.type !== undefined;
  }
}
