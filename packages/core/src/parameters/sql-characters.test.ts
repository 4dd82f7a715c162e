import { describe, expect, it } from 'vitest';
import { asciiNameTable, endOfNameParts, followsNamePart, isWhiteSpace, nameStartLength } from './sql-characters.js';

describe('isWhiteSpace', () => {
  it('agrees with String.prototype.trim on every UTF-16 code unit', () => {
    const disagreements: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (isWhiteSpace(c) !== (String.fromCharCode(c).trim() === '')) disagreements.push(c);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('name characters', () => {
  const plain = asciiNameTable('');
  const tsql = asciiNameTable('#@');

  it('starts a name with a letter or underscore only', () => {
    expect(['a', 'Z', '_'].map((s) => nameStartLength(s, 0, plain))).toEqual([1, 1, 1]);
    expect(['1', '$', '#', '@', ' ', "'", ''].map((s) => nameStartLength(s, 0, plain))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
  it('treats non-ASCII letters as letters, including those outside the BMP', () => {
    expect(nameStartLength('é', 0, plain)).toBe(1);
    expect(nameStartLength('𝑥', 0, plain)).toBe(2);
    expect(nameStartLength('\u00a0', 0, plain)).toBe(0);
    expect(endOfNameParts('a𝑥é1 ', 0, plain)).toBe(5);
  });
  it('continues a name with digits and $, and with # and @ only where the dialect allows', () => {
    expect(endOfNameParts('a1$b#c', 0, plain)).toBe(4);
    expect(endOfNameParts('a1$b#c@d;', 0, tsql)).toBe(8);
  });
  it('sees a name character before an index, across surrogate pairs', () => {
    expect(followsNamePart('user@host', 4, plain)).toBe(true);
    expect(followsNamePart('(@x', 1, plain)).toBe(false);
    expect(followsNamePart('@x', 0, plain)).toBe(false);
    expect(followsNamePart('𝑥@y', 2, plain)).toBe(true);
    expect(followsNamePart('\u00a0@y', 1, plain)).toBe(false);
  });
});
