/**
 * A growable little-endian writer for building tokens. Tokens are built whole and then handed to
 * the packet writer, so a token is never half-sent when encoding one of its values fails.
 */
export class BufferWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize = 64) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  /**
   * Makes room for `count` bytes and returns where they go. Callers must call this before reading
   * `this.buffer`: growing replaces the buffer, so `this.buffer.write…(v, this.reserve(n))` would
   * write into the old one.
   */
  private reserve(count: number): number {
    const needed = this.length + count;
    if (needed > this.buffer.length) {
      const next = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(next, 0, 0, this.length);
      this.buffer = next;
    }
    const at = this.length;
    this.length = needed;
    return at;
  }

  /** Writes an unsigned byte. */
  u8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeUInt8(value, at);
    return this;
  }

  /** Writes an unsigned 16-bit little-endian integer. */
  u16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16LE(value, at);
    return this;
  }

  /** Writes an unsigned 16-bit big-endian integer. */
  u16be(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16BE(value, at);
    return this;
  }

  /** Writes a signed 16-bit little-endian integer. */
  i16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16LE(value, at);
    return this;
  }

  /** Writes an unsigned 32-bit little-endian integer. */
  u32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32LE(value, at);
    return this;
  }

  /** Writes an unsigned 32-bit big-endian integer. */
  u32be(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32BE(value, at);
    return this;
  }

  /** Writes a signed 32-bit little-endian integer. */
  i32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32LE(value, at);
    return this;
  }

  /** Writes an unsigned little-endian integer of 1–6 bytes. */
  uintLE(value: number, bytes: number): this {
    const at = this.reserve(bytes);
    this.buffer.writeUIntLE(value, at, bytes);
    return this;
  }

  /** Writes an unsigned 64-bit little-endian integer. */
  u64(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigUInt64LE(value, at);
    return this;
  }

  /** Writes a signed 64-bit little-endian integer. */
  i64(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64LE(value, at);
    return this;
  }

  /** Writes a 32-bit IEEE float. */
  f32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeFloatLE(value, at);
    return this;
  }

  /** Writes a 64-bit IEEE float. */
  f64(value: number): this {
    const at = this.reserve(8);
    this.buffer.writeDoubleLE(value, at);
    return this;
  }

  /** Copies raw bytes. */
  bytes(value: Uint8Array): this {
    const at = this.reserve(value.length);
    this.buffer.set(value, at);
    return this;
  }

  /** Writes a string as UCS-2 without a length prefix. */
  ucs2(value: string): this {
    const byteLength = value.length * 2;
    const at = this.reserve(byteLength);
    this.buffer.write(value, at, byteLength, 'ucs2');
    return this;
  }

  /** B_VARCHAR: a one-byte character count, then UCS-2 (truncated to 255 characters). */
  bVarChar(value: string): this {
    const text = value.length > 255 ? value.slice(0, 255) : value;
    return this.u8(text.length).ucs2(text);
  }

  /** US_VARCHAR: a two-byte character count, then UCS-2 (truncated to 65535 characters). */
  usVarChar(value: string): this {
    const text = value.length > 0xffff ? value.slice(0, 0xffff) : value;
    return this.u16(text.length).ucs2(text);
  }

  /** B_VARBYTE: a one-byte length, then bytes. */
  bVarByte(value: Uint8Array): this {
    return this.u8(value.length).bytes(value);
  }

  /** Overwrites an unsigned 16-bit value at `offset` (for length fields known only at the end). */
  patchU16(offset: number, value: number): this {
    this.buffer.writeUInt16LE(value, offset);
    return this;
  }

  /** The bytes written, as a view of the internal buffer. */
  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
