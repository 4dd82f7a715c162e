import { ProtocolError } from './protocol-error.js';

/**
 * A bounds-checked cursor over one message's payload. Every read throws a {@link ProtocolError}
 * instead of a RangeError, so a short or lying client never reaches code that assumes valid input.
 */
export class BufferReader {
  private offset: number;

  constructor(
    private readonly buffer: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  /** The current position. */
  get position(): number {
    return this.offset;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  /** Throws unless `count` more bytes are available. */
  need(count: number, what = 'data'): void {
    if (count < 0 || this.offset + count > this.buffer.length) {
      throw new ProtocolError(
        `truncated ${what}: need ${count} byte(s) at offset ${this.offset}, have ${this.remaining}`,
      );
    }
  }

  /** The next unsigned byte, without consuming it. */
  peekU8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset);
  }

  /** Reads an unsigned byte. */
  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  /** Reads an unsigned 16-bit little-endian integer. */
  u16(): number {
    this.need(2);
    const value = this.buffer.readUInt16LE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Reads an unsigned 16-bit big-endian integer (PRELOGIN uses network order). */
  u16be(): number {
    this.need(2);
    const value = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Reads a signed 16-bit little-endian integer. */
  i16(): number {
    this.need(2);
    const value = this.buffer.readInt16LE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads a signed 32-bit little-endian integer. */
  i32(): number {
    this.need(4);
    const value = this.buffer.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads an unsigned little-endian integer of 1–6 bytes (TDS stores times in 3, 4 or 5 bytes). */
  uintLE(bytes: number): number {
    this.need(bytes);
    const value = this.buffer.readUIntLE(this.offset, bytes);
    this.offset += bytes;
    return value;
  }

  /** Reads an unsigned 64-bit little-endian integer. */
  u64(): bigint {
    this.need(8);
    const value = this.buffer.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  /** Reads a signed 64-bit little-endian integer. */
  i64(): bigint {
    this.need(8);
    const value = this.buffer.readBigInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  /** Reads a 32-bit IEEE float. */
  f32(): number {
    this.need(4);
    const value = this.buffer.readFloatLE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads a 64-bit IEEE float. */
  f64(): number {
    this.need(8);
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }

  /** Returns the next `count` bytes (a view, not a copy) and advances. */
  bytes(count: number, what?: string): Buffer {
    this.need(count, what);
    const value = this.buffer.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  /** Reads `chars` UCS-2 characters. */
  ucs2(chars: number, what?: string): string {
    return this.bytes(chars * 2, what).toString('ucs2');
  }

  /** B_VARCHAR: a one-byte character count, then UCS-2. */
  bVarChar(what?: string): string {
    return this.ucs2(this.u8(), what);
  }

  /** US_VARCHAR: a two-byte character count, then UCS-2. */
  usVarChar(what?: string): string {
    return this.ucs2(this.u16(), what);
  }

  /** B_VARBYTE: a one-byte length, then bytes. */
  bVarByte(what?: string): Buffer {
    return this.bytes(this.u8(), what);
  }
}
