import { describe, expect, it } from 'vitest';
import { MessageAssembler } from './message-assembler.js';
import { PacketStatus, PacketType, type Packet } from './packet.js';
import { ProtocolError } from './protocol-error.js';

const packet = (type: number, status: number, payload: string): Packet => ({
  type,
  status,
  spid: 0,
  packetId: 1,
  payload: Buffer.from(payload),
});

describe('MessageAssembler', () => {
  it('joins packets up to EOM and reports the reset and ignore bits', () => {
    const assembler = new MessageAssembler();
    expect(assembler.push(packet(PacketType.SqlBatch, PacketStatus.ResetConnection, 'ab'))).toBeUndefined();
    expect(assembler.inMessage).toBe(true);
    const message = assembler.push(packet(PacketType.SqlBatch, PacketStatus.Eom | PacketStatus.Ignore, 'cd'));
    expect(message).toMatchObject({
      type: PacketType.SqlBatch,
      resetConnection: true,
      resetSkipTransaction: false,
      ignore: true,
    });
    expect(message!.payload.toString()).toBe('abcd');
    expect(assembler.inMessage).toBe(false);
  });

  it('recognises RESETCONNECTIONSKIPTRAN', () => {
    const message = new MessageAssembler().push(
      packet(PacketType.RpcRequest, PacketStatus.Eom | PacketStatus.ResetConnectionSkipTran, ''),
    );
    expect(message).toMatchObject({ resetConnection: true, resetSkipTransaction: true, ignore: false });
  });

  it('rejects a packet of another type inside a message', () => {
    const assembler = new MessageAssembler();
    assembler.push(packet(PacketType.SqlBatch, 0, 'a'));
    expect(() => assembler.push(packet(PacketType.Attention, PacketStatus.Eom, ''))).toThrow(ProtocolError);
  });
});
