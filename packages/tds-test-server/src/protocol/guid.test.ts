import { describe, expect, it } from 'vitest';
import { bytesToGuid, guidToBytes } from './guid.js';
import { ValueEncodeError } from './value-error.js';

describe('uniqueidentifier layout', () => {
  it('stores the first three groups little-endian', () => {
    const bytes = guidToBytes('00112233-4455-6677-8899-aabbccddeeff');
    expect(bytes.toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(bytesToGuid(bytes)).toBe('00112233-4455-6677-8899-AABBCCDDEEFF');
    expect(guidToBytes('{00112233-4455-6677-8899-AABBCCDDEEFF}')).toEqual(bytes);
  });

  it('rejects text that is not a GUID', () => {
    expect(() => guidToBytes('not-a-guid')).toThrow(ValueEncodeError);
  });
});
