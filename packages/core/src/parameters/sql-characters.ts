/**
 * Character classes shared by {@link scanSql} and {@link translatePlaceholders}. Everything works on UTF-16 code
 * units read with `charCodeAt`, so classifying a character never allocates a string.
 * @internal
 */

/** Bit set in an ASCII table for a character that may start a parameter name (a letter or `_`). */
export const NAME_START = 1;
/** Bit set in an ASCII table for a character that may continue a parameter name. */
export const NAME_PART = 2;

// Unicode letters and digits count as name characters, like they do in the engines' identifiers. Sticky so that
// a test reads one character of the original text in place instead of a copy of it.
const UNICODE_NAME_START = /\p{ID_Start}/uy;
const UNICODE_NAME_PART = /\p{ID_Continue}/uy;

/**
 * Builds the ASCII classification table for one dialect: letters and `_` start a name; letters, digits, `_`, `$`
 * and the dialect's `extraNameParts` continue one.
 */
export function asciiNameTable(extraNameParts: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    const digit = c >= 0x30 && c <= 0x39;
    table[c] = (letter ? NAME_START | NAME_PART : 0) | (digit || c === 0x24 ? NAME_PART : 0);
  }
  for (let k = 0; k < extraNameParts.length; k++) table[extraNameParts.charCodeAt(k)] = NAME_PART;
  return table;
}

/** The number of code units (1 or 2) of the character at `index` when it starts a name, else 0. */
export function nameStartLength(text: string, index: number, table: Uint8Array): number {
  if (index >= text.length) return 0;
  const c = text.charCodeAt(index);
  if (c < 128) return (table[c]! & NAME_START) !== 0 ? 1 : 0;
  UNICODE_NAME_START.lastIndex = index;
  return UNICODE_NAME_START.test(text) ? (isHighSurrogate(c) ? 2 : 1) : 0;
}

/** The index just past the name characters that begin at `index`. */
export function endOfNameParts(text: string, index: number, table: Uint8Array): number {
  const n = text.length;
  let j = index;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c < 128) {
      if ((table[c]! & NAME_PART) === 0) return j;
      j++;
    } else {
      UNICODE_NAME_PART.lastIndex = j;
      if (!UNICODE_NAME_PART.test(text)) return j;
      j += isHighSurrogate(c) ? 2 : 1;
    }
  }
  return j;
}

/** Whether the character just before `index` is a name character (so `index` is inside a word, as in `user@host`). */
export function followsNamePart(text: string, index: number, table: Uint8Array): boolean {
  if (index === 0) return false;
  const c = text.charCodeAt(index - 1);
  if (c < 128) return (table[c]! & NAME_PART) !== 0;
  const start = isLowSurrogate(c) && index >= 2 && isHighSurrogate(text.charCodeAt(index - 2)) ? index - 2 : index - 1;
  UNICODE_NAME_PART.lastIndex = start;
  return UNICODE_NAME_PART.test(text);
}

/**
 * Whether `c` is white space as `String.prototype.trim` sees it (WhiteSpace and LineTerminator), so that a
 * statement "with only white space" means the same thing here as in `trim()`.
 */
export function isWhiteSpace(c: number): boolean {
  if (c < 128) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
