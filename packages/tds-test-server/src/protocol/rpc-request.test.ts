import { TYPES } from 'tedious';
import { describe, expect, it } from 'vitest';
import { tediousRpc } from '../testing/tedious-payloads.js';
import { BufferWriter } from './buffer-writer.js';
import { ProtocolError } from './protocol-error.js';
import { decodeRpcRequest } from './rpc-request.js';

/** An RPC payload with empty ALL_HEADERS and one hand-built parameter. */
function rpcWith(parameter: (writer: BufferWriter) => void): Buffer {
  const writer = new BufferWriter().u32(22).u32(18).u16(2).bytes(Buffer.alloc(8)).u32(1).u16(3).ucs2('abc').u16(0);
  parameter(writer);
  return writer.toBuffer();
}

describe('RPC_REQUEST decoding', () => {
  it('names special procedures sent by id and reads the descriptor', () => {
    const descriptor = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const rpc = decodeRpcRequest(
      tediousRpc(10, [{ name: 'statement', type: TYPES.NVarChar, value: 'select 1' }], descriptor),
    );
    expect(rpc).toMatchObject({
      procName: 'sp_executesql',
      procId: 10,
      optionFlags: 0,
      headers: { transactionDescriptor: descriptor },
    });
    expect(rpc.parameters).toEqual([
      {
        name: '@statement',
        type: { name: '@statement', type: 'nvarchar', length: 8, nullable: true },
        value: 'select 1',
        output: false,
      },
    ]);
  });

  it('reads a procedure name, positional parameters and OUTPUT flags', () => {
    const rpc = decodeRpcRequest(
      tediousRpc('dbo.my_proc', [
        { name: '', type: TYPES.Int, value: 3 },
        { name: 'out', type: TYPES.NVarChar, value: null, output: true, length: 10 },
      ]),
    );
    expect(rpc.procName).toBe('dbo.my_proc');
    expect(rpc.parameters.map((p) => [p.name, p.value, p.output, p.type.length])).toEqual([
      ['', 3, false, undefined],
      ['@out', null, true, 10],
    ]);
  });

  it('reads NULL and empty values of PLP parameters', () => {
    const rpc = decodeRpcRequest(
      tediousRpc('p', [
        { name: 'a', type: TYPES.VarBinary, value: null, length: Infinity },
        { name: 'b', type: TYPES.VarBinary, value: Buffer.alloc(0), length: Infinity },
        { name: 'c', type: TYPES.VarChar, value: 'ß'.repeat(9000), length: Infinity },
      ]),
    );
    expect(rpc.parameters.map((p) => [p.type.type, p.type.length])).toEqual([
      ['varbinary', -1],
      ['varbinary', -1],
      ['varchar', -1],
    ]);
    expect(rpc.parameters[0]!.value).toBeNull();
    expect(rpc.parameters[1]!.value).toEqual(Buffer.alloc(0));
    expect(rpc.parameters[2]!.value).toBe('ß'.repeat(9000));
  });

  it('reads an xml parameter (PLP UCS-2), with or without a schema collection', () => {
    const xml = '<a>ü</a>';
    const plp = (w: BufferWriter) =>
      w
        .u64(BigInt(xml.length * 2))
        .u32(xml.length * 2)
        .ucs2(xml)
        .u32(0);
    const plain = decodeRpcRequest(rpcWith((w) => plp(w.bVarChar('@x').u8(0).u8(0xf1).u8(0))));
    expect(plain.parameters[0]).toMatchObject({ name: '@x', type: { type: 'xml', length: -1 }, value: xml });
    const withSchema = decodeRpcRequest(
      rpcWith((w) => plp(w.bVarChar('@x').u8(0).u8(0xf1).u8(1).bVarChar('db').bVarChar('dbo').usVarChar('coll'))),
    );
    expect(withSchema.parameters[0]!.value).toBe(xml);
  });

  it('reads a PLP value sent in several chunks of unknown total length', () => {
    const rpc = decodeRpcRequest(
      rpcWith((w) =>
        w
          .bVarChar('@s')
          .u8(0)
          .u8(0xe7)
          .u16(0xffff)
          .bytes(Buffer.alloc(5))
          .u64(0xfffffffffffffffen)
          .u32(2)
          .ucs2('a')
          .u32(4)
          .ucs2('bc')
          .u32(0),
      ),
    );
    expect(rpc.parameters[0]!.value).toBe('abc');
  });

  it('rejects unsupported and malformed parameters, naming the parameter', () => {
    expect(() => decodeRpcRequest(rpcWith((w) => w.bVarChar('@t').u8(0).u8(0xf3)))).toThrow(
      /parameter 1 \("@t"\): data type table-valued parameter/,
    );
    expect(() => decodeRpcRequest(rpcWith((w) => w.bVarChar('@u').u8(0).u8(0x99)))).toThrow(
      /data type 0x99 is unknown/,
    );
    expect(() => decodeRpcRequest(rpcWith((w) => w.bVarChar('@i').u8(0).u8(0x26).u8(3)))).toThrow(ProtocolError);
    expect(() => decodeRpcRequest(rpcWith((w) => w.bVarChar('@i').u8(0).u8(0x26).u8(4).u8(4).u8(1)))).toThrow(
      /truncated/,
    );
    expect(() =>
      decodeRpcRequest(
        rpcWith((w) =>
          w.bVarChar('@p').u8(0).u8(0xe7).u16(0xffff).bytes(Buffer.alloc(5)).u64(4n).u32(2).ucs2('a').u32(0),
        ),
      ),
    ).toThrow(/announced 4 bytes but carried 2/);
    expect(() => decodeRpcRequest(rpcWith((w) => w.bVarChar('@e').u8(0x08).u8(0x26).u8(4).u8(4).i32(1)))).toThrow(
      /Always Encrypted/,
    );
  });
});
