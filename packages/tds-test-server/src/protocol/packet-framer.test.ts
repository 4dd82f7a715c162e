import { describe, expect, it } from 'vitest';
import { PacketFramer } from './packet-framer.js';
import { PacketStatus, PacketType, writePacketHeader } from './packet.js';
import { ProtocolError } from './protocol-error.js';

function packet(type: number, status: number, payload: string, packetId = 1): Buffer {
  const body = Buffer.from(payload, 'latin1');
  const bytes = Buffer.alloc(8 + body.length);
  writePacketHeader(bytes, { type, status, length: bytes.length, spid: 7, packetId });
  body.copy(bytes, 8);
  return bytes;
}

describe('PacketFramer', () => {
  it('returns every complete packet in a chunk and keeps the partial tail', () => {
    const framer = new PacketFramer();
    const stream = Buffer.concat([
      packet(PacketType.SqlBatch, 0, 'abc'),
      packet(PacketType.SqlBatch, PacketStatus.Eom, 'defg', 2),
    ]);
    const first = framer.push(stream.subarray(0, 14));
    expect(first.map((p) => p.payload.toString('latin1'))).toEqual(['abc']);
    expect(first[0]).toMatchObject({ type: PacketType.SqlBatch, status: 0, spid: 7, packetId: 1 });
    expect(framer.push(stream.subarray(14, 15))).toEqual([]);
    const rest = framer.push(stream.subarray(15));
    expect(rest.map((p) => [p.payload.toString('latin1'), p.status, p.packetId])).toEqual([
      ['defg', PacketStatus.Eom, 2],
    ]);
  });

  it('handles a header split across chunks byte by byte', () => {
    const framer = new PacketFramer();
    const bytes = packet(PacketType.Attention, PacketStatus.Eom, '');
    const out = [...bytes].flatMap((b) => framer.push(Buffer.from([b])));
    expect(out).toHaveLength(1);
    expect(out[0]!.payload.length).toBe(0);
  });

  it('rejects a length shorter than the header', () => {
    const framer = new PacketFramer();
    expect(() => framer.push(Buffer.from([1, 1, 0, 7, 0, 0, 0, 0]))).toThrow(ProtocolError);
  });
});
