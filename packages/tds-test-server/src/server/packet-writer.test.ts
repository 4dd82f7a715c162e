import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { PacketStatus, PacketType } from '../protocol/packet.js';
import { IDLE_FLUSH_MS, PacketWriter } from './packet-writer.js';

/** A socket stand-in that records what is written. */
function fakeSocket(): Socket & { packets: Buffer[] } {
  const socket = Object.assign(new EventEmitter(), {
    packets: [] as Buffer[],
    destroyed: false,
    writable: true,
    writableNeedDrain: false,
    write(chunk: Buffer) {
      socket.packets.push(Buffer.from(chunk));
      return true;
    },
  });
  return socket as unknown as Socket & { packets: Buffer[] };
}

const header = (packet: Buffer) => ({
  type: packet[0],
  status: packet[1],
  length: packet.readUInt16BE(2),
  spid: packet.readUInt16BE(4),
  id: packet[6],
});

describe('PacketWriter', () => {
  it('splits a message into full packets and ends it with EOM', () => {
    const socket = fakeSocket();
    const writer = new PacketWriter(socket, 512, 55);
    writer.write(Buffer.alloc(504 * 2, 1)); // exactly two packets' worth
    expect(socket.packets).toHaveLength(1); // the second waits: more data may follow
    writer.write(Buffer.alloc(10, 2));
    writer.endMessage();
    expect(socket.packets.map(header)).toEqual([
      { type: PacketType.TabularResult, status: 0, length: 512, spid: 55, id: 1 },
      { type: PacketType.TabularResult, status: 0, length: 512, spid: 55, id: 2 },
      { type: PacketType.TabularResult, status: PacketStatus.Eom, length: 18, spid: 55, id: 3 },
    ]);
    expect(Buffer.concat(socket.packets.map((p) => p.subarray(8)))).toEqual(
      Buffer.concat([Buffer.alloc(1008, 1), Buffer.alloc(10, 2)]),
    );
  });

  it('sends a message that ends exactly on a packet boundary with EOM on its last full packet', () => {
    const socket = fakeSocket();
    const writer = new PacketWriter(socket, 512);
    writer.write(Buffer.alloc(504));
    writer.endMessage();
    writer.endMessage(); // an empty message is a header alone
    expect(socket.packets.map((p) => [p[1], p.length, p[6]])).toEqual([
      [PacketStatus.Eom, 512, 1],
      [PacketStatus.Eom, 8, 1],
    ]);
  });

  it('sends a partial packet without EOM once the producer has been quiet', () => {
    vi.useFakeTimers();
    try {
      const socket = fakeSocket();
      const writer = new PacketWriter(socket, 4096);
      writer.write(Buffer.from('abc'));
      expect(socket.packets).toHaveLength(0);
      vi.advanceTimersByTime(IDLE_FLUSH_MS);
      expect(socket.packets.map((p) => [p[1], p.length])).toEqual([[0, 11]]);
      writer.write(Buffer.from('d'));
      writer.endMessage();
      vi.advanceTimersByTime(IDLE_FLUSH_MS * 2);
      expect(socket.packets.map((p) => [p[1], p.length, p[6]])).toEqual([
        [0, 11, 1],
        [PacketStatus.Eom, 9, 2],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('applies a new packet size from the next message on, and never mid-message', () => {
    const socket = fakeSocket();
    const writer = new PacketWriter(socket, 512);
    writer.packetSize = 1024;
    writer.write(Buffer.alloc(1500));
    expect(() => (writer.packetSize = 512)).toThrow(/middle of a message/);
    writer.endMessage();
    expect(socket.packets.map((p) => p.length)).toEqual([1024, 8 + 1500 - 1016]);
  });
});
