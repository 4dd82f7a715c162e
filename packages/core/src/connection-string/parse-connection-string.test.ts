import { describe, expect, it } from 'vitest';
import { ArgumentError, ConnectionStringError } from '../errors/errors.js';
import { isWhiteSpace, parseConnectionString } from './parse-connection-string.js';

/** The pairs as [key, value], positions dropped. */
function kv(text: string): Array<[string, string | null]> {
  return parseConnectionString(text).map((pair) => [pair.key, pair.value]);
}

/** The ConnectionStringError thrown by parsing `text`. */
function failure(text: string): ConnectionStringError {
  try {
    parseConnectionString(text);
  } catch (error) {
    if (error instanceof ConnectionStringError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

const PREFIX = 'Format of the initialization string does not conform to specification starting at index';

describe('parseConnectionString: empty input', () => {
  it('returns no pairs for the empty string', () => expect(kv('')).toEqual([]));
  it('returns no pairs for white space only', () => expect(kv('   ')).toEqual([]));
  it('returns no pairs for "\\r "', () => expect(kv('\r ')).toEqual([]));
  it('returns no pairs for semicolons only', () => expect(kv(';;;')).toEqual([]));
  it('returns no pairs for a lone NUL terminator', () => expect(kv('\0')).toEqual([]));
});

describe('parseConnectionString: keys', () => {
  it('reads one pair', () => expect(kv('a=b')).toEqual([['a', 'b']]));
  it('keeps the key casing (the builder canonicalises)', () =>
    expect(kv('Data Source=x')).toEqual([['Data Source', 'x']]));
  it('ignores white space around the key and the =', () => expect(kv('  a  =  b  ')).toEqual([['a', 'b']]));
  it('keeps white space inside the key', () => expect(kv('User  ID=x')).toEqual([['User  ID', 'x']]));
  it('keeps a tab inside the key', () => expect(kv('a\tb=1')).toEqual([['a\tb', '1']]));
  it('reads == in a key as one =', () => expect(kv('a==b=c')).toEqual([['a=b', 'c']]));
  it('reads a key that starts with ==', () => expect(kv('==a=b')).toEqual([['=a', 'b']]));
  it('reads a key that ends with == (a===b)', () => expect(kv('a===b')).toEqual([['a=', 'b']]));
  it('reads a key made of == only', () => expect(kv('===b')).toEqual([['=', 'b']]));
  it('keeps white space before == in a key', () => expect(kv('a ==b=c')).toEqual([['a =b', 'c']]));
  it('reads a ; inside a key as part of the key, as ADO.NET does', () => expect(kv('a;b=c')).toEqual([['a;b', 'c']]));
  it('accepts quotes inside a key', () => expect(kv(`"a'=1`)).toEqual([[`"a'`, '1']]));
  it('returns duplicates in order (the builder applies last-wins)', () =>
    expect(kv('a=1;A=2;a=3')).toEqual([
      ['a', '1'],
      ['A', '2'],
      ['a', '3'],
    ]));
});

describe('parseConnectionString: unquoted values', () => {
  it('trims the value', () => expect(kv('a=  b  ')).toEqual([['a', 'b']]));
  it('keeps interior spaces', () => expect(kv('a= b  c ;')).toEqual([['a', 'b  c']]));
  it('keeps a tab inside the value', () => expect(kv('a=b\tc')).toEqual([['a', 'b\tc']]));
  it('keeps = inside the value', () => expect(kv('a=b=c')).toEqual([['a', 'b=c']]));
  it('keeps a quote inside the value', () => expect(kv("a=b'c")).toEqual([['a', "b'c"]]));
  it('trims Unicode white space (NBSP, ideographic space)', () => expect(kv('a=\u00a0b\u3000')).toEqual([['a', 'b']]));
  it('does not treat U+FEFF as white space (.NET does not)', () => expect(kv('a=\ufeffb')).toEqual([['a', '\ufeffb']]));
  it('allows a trailing ;', () => expect(kv('a=b;')).toEqual([['a', 'b']]));
  it('skips extra ; and leading white space', () =>
    expect(kv(' ;; a=1;;; b=2 ;;')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]));
  it('reads two pairs', () =>
    expect(kv('Server=db;Database=shop')).toEqual([
      ['Server', 'db'],
      ['Database', 'shop'],
    ]));
});

describe('parseConnectionString: quoted values', () => {
  it('reads a single-quoted value with ;', () => expect(kv("a='b;c'")).toEqual([['a', 'b;c']]));
  it('reads a double-quoted value with ;', () => expect(kv('a="b;c"')).toEqual([['a', 'b;c']]));
  it("reads '' inside single quotes as one '", () => expect(kv("a='it''s'")).toEqual([['a', "it's"]]));
  it('reads "" inside double quotes as one "', () => expect(kv('a="say ""hi"""')).toEqual([['a', 'say "hi"']]));
  it('keeps double quotes inside single quotes', () => expect(kv(`a='say "hi"'`)).toEqual([['a', 'say "hi"']]));
  it('keeps single quotes inside double quotes', () => expect(kv(`a="it's"`)).toEqual([['a', "it's"]]));
  it('keeps leading and trailing spaces inside quotes', () => expect(kv('a=" padded "')).toEqual([['a', ' padded ']]));
  it('keeps = inside quotes', () => expect(kv('a="x=y"')).toEqual([['a', 'x=y']]));
  it('keeps control characters (not NUL) inside quotes', () => expect(kv('a="b\rc\x01"')).toEqual([['a', 'b\rc\x01']]));
  it('reads an empty quoted value as the empty string', () => expect(kv('a=""')).toEqual([['a', '']]));
  it("reads '' as the empty string", () => expect(kv("a=''")).toEqual([['a', '']]));
  it('allows white space after the closing quote', () =>
    expect(kv('a="x"  ;b=1')).toEqual([
      ['a', 'x'],
      ['b', '1'],
    ]));
  it('allows white space before the opening quote', () => expect(kv('a=   "x"')).toEqual([['a', 'x']]));
  it('reads a quoted value at the end of the string', () =>
    expect(kv('a=1;b="x"')).toEqual([
      ['a', '1'],
      ['b', 'x'],
    ]));
});

describe('parseConnectionString: key= with nothing', () => {
  it('reads key= as null', () => expect(kv('a=')).toEqual([['a', null]]));
  it('reads key=; as null', () =>
    expect(kv('a=;b=1')).toEqual([
      ['a', null],
      ['b', '1'],
    ]));
  it('reads key= followed by spaces as null', () => expect(kv('a=   ;')).toEqual([['a', null]]));
  it('reads a key= at the end after spaces as null', () => expect(kv('a=   ')).toEqual([['a', null]]));
});

describe('parseConnectionString: NUL terminators', () => {
  it('accepts a NUL after an unquoted value', () => expect(kv('a=b\0')).toEqual([['a', 'b']]));
  it('accepts NULs and white space after a quoted value', () => expect(kv('a="b"\0\0 ')).toEqual([['a', 'b']]));
  it('accepts a NUL right after =', () => expect(kv('a=\0')).toEqual([['a', null]]));
  it('accepts a NUL after a ;', () => expect(kv('a=b;\0')).toEqual([['a', 'b']]));
  it('rejects text after a NUL, at that index', () => expect(failure('a=b\0c').position).toBe(4));
  it('rejects a ; after a NUL', () => expect(failure('a=b\0;').position).toBe(4));
  it('rejects a pair after a leading NUL', () => expect(failure('\0a=b').position).toBe(1));
  it('rejects text after a NUL that follows a quoted value', () => expect(failure('a="b"\0x').position).toBe(6));
  it('rejects text after a NUL that follows =', () => expect(failure('a=\0x').position).toBe(3));
  it('rejects a NUL inside a quoted value', () => {
    const error = failure('a="b\0c"');
    expect(error.position).toBe(0);
    expect(error.message).toContain('index 4');
  });
});

describe('parseConnectionString: positions', () => {
  it('gives the zero-based start of each pair', () =>
    expect(parseConnectionString('a=1; b=2;;c=3').map((pair) => pair.position)).toEqual([0, 5, 10]));
  it('gives the position of a key that starts with ==', () =>
    expect(parseConnectionString('x=1;==a=b')[1]?.position).toBe(4));
});

describe('parseConnectionString: syntax errors', () => {
  it('throws a ConnectionStringError, which is an ArgumentError', () => {
    const error = failure('a');
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect(error).toBeInstanceOf(ArgumentError);
  });
  it('uses the ADO.NET message naming the index', () =>
    expect(failure('Data Source=abc; x="y').message).toMatch(
      /^Format of the initialization string does not conform to specification starting at index 17\./,
    ));
  it('names the opening quote of an unterminated single-quoted value', () => {
    const error = failure("a='b");
    expect(error.position).toBe(0);
    expect(error.message).toBe(`${PREFIX} 0. Unterminated quoted value starting at index 2.`);
  });
  it('names the opening quote of an unterminated double-quoted value', () =>
    expect(failure('x=1;pwd="secret').message).toContain('Unterminated quoted value starting at index 8'));
  it('reports the pair of an unterminated quote', () => expect(failure('x=1;pwd="secret').position).toBe(4));
  it("treats a trailing doubled quote as unterminated ('b'')", () =>
    expect(failure("a='b''").message).toContain('Unterminated'));
  it('rejects text after a closing double quote (unbalanced quote)', () => {
    const error = failure('a="b"c');
    expect(error.position).toBe(0);
    expect(error.message).toContain('index 5');
  });
  it('rejects text after a closing single quote and spaces', () => expect(failure("a='b'  x").position).toBe(0));
  it('rejects an unquoted value that ends with "', () => expect(failure('a=b"').position).toBe(0));
  it("rejects an unquoted value that ends with ' before white space", () =>
    expect(failure("x=1; a=b'  ;c=2").position).toBe(5));
  it('rejects an empty key', () => expect(failure('=x').position).toBe(0));
  it('rejects an empty key after white space, at the =', () => expect(failure(' =x').position).toBe(1));
  it('rejects an empty key in a later pair', () => expect(failure('a=1;=x').position).toBe(4));
  it('rejects a lone =', () => expect(failure('=').message).toContain('Empty keyword'));
  it('rejects " = "', () => expect(failure(' = ').position).toBe(1));
  it('rejects a key without =', () => expect(failure('abc').position).toBe(0));
  it('rejects a trailing key without =', () => {
    const error = failure('a=b;c');
    expect(error.position).toBe(4);
    expect(error.message).toContain("not followed by '='");
  });
  it('rejects a control character in a key', () => expect(failure('a\x01=b').position).toBe(0));
  it('rejects a control character that starts a pair', () => expect(failure('\x01a=b').position).toBe(0));
  it('reports a control character after separators at the start of the scan, as ADO.NET does', () => {
    const error = failure('a=b; \x01');
    expect(error.position).toBe(4);
    expect(error.message).toContain('U+0001 at index 5');
  });
  it('rejects a control character that starts a value', () => expect(failure('a=\x01').message).toContain('U+0001'));
  it('rejects a control character that ends an unquoted value, at that character', () => {
    const error = failure('a=b\x01c=d');
    expect(error.position).toBe(3);
    expect(error.message).toContain('quote values that contain control characters');
  });
  it('rejects DEL (U+007F) in a key', () => expect(failure('a\x7f=b').message).toContain('U+007F'));
});

describe('parseConnectionString: errors never quote the text', () => {
  it('does not show an unterminated password', () =>
    expect(failure("Password='s3cret").message).not.toContain('s3cret'));
  it('does not show the password when a later key lacks =', () =>
    expect(failure('Password=s3cret;oops').message).not.toContain('s3cret'));
  it('does not show a password split by an unquoted ;', () =>
    expect(failure('Password=s3c;r3t').message).not.toContain('r3t'));
  it('does not show a value followed by junk after its quote', () =>
    expect(failure('Password="s3cret"junk').message).not.toMatch(/s3cret|junk/));
});

describe('isWhiteSpace', () => {
  it('follows .NET: NEL and NBSP are white space', () =>
    expect(isWhiteSpace('\x85') && isWhiteSpace('\u00a0')).toBe(true));
  it('follows .NET: U+FEFF and letters are not', () => expect(isWhiteSpace('\ufeff') || isWhiteSpace('a')).toBe(false));
});
