import type { Socket } from 'node:net';
import { PACKET_HEADER_LENGTH, PacketStatus, PacketType, writePacketHeader } from '../protocol/packet.js';

/** How long buffered tokens may wait for the packet to fill before they are sent anyway (ms). */
export const IDLE_FLUSH_MS = 10;

/**
 * Packs a response's tokens into TABULAR_RESULT packets of the negotiated size and writes them to
 * the socket. Full packets leave as soon as they fill, so memory holds at most one partial packet
 * plus what the socket itself buffers; callers check {@link needsDrain} before producing more.
 *
 * SQL Server keeps a partial packet until it fills (hence RAISERROR … WITH NOWAIT). This server
 * sends a partial packet (without EOM) once the engine has been quiet for {@link IDLE_FLUSH_MS}, so
 * rows of a slow query reach the client while it runs: a test can cancel it after the first rows.
 */
export class PacketWriter {
  private packet: Buffer;
  private used = PACKET_HEADER_LENGTH;
  private packetId = 1;
  private packetsInMessage = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private packetSizeValue: number,
    /** The SPID written in every header (SQL Server reports the session id there). */
    public spid = 0,
  ) {
    this.packet = Buffer.allocUnsafe(packetSizeValue);
  }

  /** The packet size in use. */
  get packetSize(): number {
    return this.packetSizeValue;
  }

  /** Changes the packet size for the next message (LOGIN7 negotiation). */
  set packetSize(size: number) {
    if (this.used > PACKET_HEADER_LENGTH) throw new Error('packet size changed in the middle of a message');
    this.packetSizeValue = size;
    this.packet = Buffer.allocUnsafe(size);
  }

  /** True when the socket's buffer is full: wait for {@link drained} before writing much more. */
  get needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** True when nothing more can be written (the client went away). */
  get closed(): boolean {
    return this.socket.destroyed || !this.socket.writable;
  }

  /** Resolves when the socket has drained, or at once if it need not, or when it closes. */
  drained(): Promise<void> {
    if (!this.needsDrain || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Appends token bytes to the current message, sending every packet that fills up. */
  write(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) {
      const room = this.packet.length - this.used;
      const take = Math.min(room, bytes.length - offset);
      bytes.copy(this.packet, this.used, offset, offset + take);
      this.used += take;
      offset += take;
      // A full packet is only sent once more data is known to follow, so the last packet of a message
      // can always carry EOM even when the data ends exactly on a packet boundary.
      if (this.used === this.packet.length && offset < bytes.length) this.flush(0);
    }
    // One timer per quiet period, not one per token: cheap even for a million rows.
    if (this.idleTimer === undefined && this.used > PACKET_HEADER_LENGTH) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        if (this.used > PACKET_HEADER_LENGTH) this.flush(0);
      }, IDLE_FLUSH_MS);
    }
  }

  /** Ends the current message: sends what is buffered (possibly just a header) with EOM. */
  endMessage(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.flush(PacketStatus.Eom);
    this.packetId = 1;
    this.packetsInMessage = 0;
  }

  /** Packets sent for the current message so far. */
  get messagePackets(): number {
    return this.packetsInMessage;
  }

  private flush(status: number): void {
    const packet = this.packet;
    const length = this.used;
    writePacketHeader(packet, {
      type: PacketType.TabularResult,
      status,
      length,
      spid: this.spid,
      packetId: this.packetId,
    });
    this.packetId = (this.packetId + 1) & 0xff;
    this.packetsInMessage++;
    this.packet = Buffer.allocUnsafe(this.packetSizeValue);
    this.used = PACKET_HEADER_LENGTH;
    if (!this.closed) this.socket.write(length === packet.length ? packet : packet.subarray(0, length));
  }
}
