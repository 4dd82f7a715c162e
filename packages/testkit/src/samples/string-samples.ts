import type { ValueSample } from '../conformance-fixture.js';
import { sqlString, type TextLiteral } from './sql-literals.js';

/** A typical and an empty string, written with `literal`: what any text column stores, Unicode or not. */
export function plainStringSamples(literal: TextLiteral = sqlString): readonly ValueSample[] {
  return [
    { kind: 'typical', literal: literal('hello'), expected: 'hello' },
    { kind: 'empty', literal: literal(''), expected: '' },
  ];
}

/**
 * Samples of a Unicode variable-length text column (`varchar(100)` in UTF-8, `nvarchar(100)`):
 * {@link plainStringSamples}, characters beyond Latin-1 and the Basic Multilingual Plane, and a quote.
 */
export function stringSamples(literal: TextLiteral = sqlString): readonly ValueSample[] {
  return [
    ...plainStringSamples(literal),
    { kind: 'unicode', literal: literal('Ä Ḁ 😀'), expected: 'Ä Ḁ 😀' },
    { kind: 'quote', literal: literal("O'Brien"), expected: "O'Brien" },
  ];
}

/**
 * Samples of a fixed-length text column of five characters that reads padded with spaces (`char(5)`, `nchar(5)`):
 * a short value (sent unpadded, read padded) and a full one. MySQL strips the padding when reading, so its fixture
 * gives its own.
 */
export function paddedFixedStringSamples(literal: TextLiteral = sqlString): readonly ValueSample[] {
  return [
    { kind: 'padded', literal: literal('ab'), expected: 'ab   ', parameter: 'ab' },
    { kind: 'full', literal: literal('abcde'), expected: 'abcde' },
  ];
}
