import type { ValueSample } from '../conformance-fixture.js';
import type { HexLiteral } from './sql-literals.js';

/** Samples of a variable-length binary column (`bytea`, `varbinary(100)`), written with `literal`, read as bytes. */
export function binarySamples(literal: HexLiteral): readonly ValueSample[] {
  return [
    { kind: 'typical', literal: literal('01020304'), expected: new Uint8Array([1, 2, 3, 4]) },
    { kind: 'empty', literal: literal(''), expected: new Uint8Array([]) },
    { kind: 'extremes', literal: literal('00ff'), expected: new Uint8Array([0, 255]) },
  ];
}
