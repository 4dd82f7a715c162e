import { createRequire } from 'node:module';
import { connect as netConnect, type Socket } from 'node:net';
import { PACKET_HEADER_LENGTH, PacketStatus, PacketType, writePacketHeader } from '../protocol/packet.js';

/**
 * A byte-level TDS client for tests that need to send what tedious never would (malformed packets,
 * bare ATTENTION) and to look at the raw response packets.
 */
export class RawClient {
  private received = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    void this.closed.then(() => this.wake());
  }

  /** Opens a TCP connection. */
  static async open(port: number): Promise<RawClient> {
    const socket = netConnect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Sends raw bytes. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a message as one packet (EOM set unless `status` says otherwise). */
  send(type: number, payload: Buffer, status: number = PacketStatus.Eom): void {
    const packet = Buffer.alloc(PACKET_HEADER_LENGTH + payload.length);
    writePacketHeader(packet, { type, status, length: packet.length, spid: 0, packetId: 1 });
    payload.copy(packet, PACKET_HEADER_LENGTH);
    this.write(packet);
  }

  /** Reads one whole response message (packets up to EOM) and returns the packets' statuses and the joined payload. */
  async readMessage(timeoutMs = 2000): Promise<{ statuses: number[]; types: number[]; payload: Buffer }> {
    const statuses: number[] = [];
    const types: number[] = [];
    const parts: Buffer[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.received.length < PACKET_HEADER_LENGTH || this.received.length < this.received.readUInt16BE(2)) {
        if (Date.now() > deadline) throw new Error('timed out waiting for a response packet');
        await new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      const length = this.received.readUInt16BE(2);
      types.push(this.received[0]!);
      statuses.push(this.received[1]!);
      parts.push(this.received.subarray(PACKET_HEADER_LENGTH, length));
      this.received = this.received.subarray(length);
      if ((statuses.at(-1)! & PacketStatus.Eom) !== 0) return { statuses, types, payload: Buffer.concat(parts) };
    }
  }

  /** Waits until at least `count` unread bytes have arrived. */
  async waitForBytes(count: number, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} bytes`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends PRELOGIN and LOGIN7 (built by tedious' own payload classes) and reads both responses. */
  async login(password = 'secret', extra: Record<string, unknown> = {}): Promise<Buffer> {
    const require = createRequire(import.meta.url);
    const PreloginPayload = require('tedious/lib/prelogin-payload.js') as new (options: object) => { data: Buffer };
    const Login7Payload = require('tedious/lib/login7-payload.js') as new (
      options: object,
    ) => Record<string, unknown> & { toBuffer(): Buffer };
    this.send(
      PacketType.Prelogin,
      new PreloginPayload({ encrypt: false, version: { major: 1, minor: 0, build: 0, subbuild: 0 } }).data,
    );
    await this.readMessage();
    const login = new Login7Payload({
      tdsVersion: 0x74000004,
      packetSize: 4096,
      clientProgVer: 0,
      clientPid: 1,
      connectionId: 0,
      clientTimeZone: 0,
      clientLcid: 0x409,
    });
    Object.assign(login, {
      userName: 'raw',
      password,
      hostname: 'host',
      appName: 'raw-client',
      serverName: 'server',
      libraryName: 'raw',
      database: 'rawdb',
      ...extra,
    });
    this.send(PacketType.Login7, login.toBuffer());
    return (await this.readMessage()).payload;
  }

  /** Closes the connection from the client side. */
  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
