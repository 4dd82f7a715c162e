import type { ValueSample } from '../conformance-fixture.js';
import { sqlString, type TextLiteral } from './sql-literals.js';

/** A sample of an `xml` column, written with `literal`, read as its text. */
export function xmlSamples(literal: TextLiteral = sqlString): readonly ValueSample[] {
  return [{ kind: 'element', literal: literal('<a>1</a>'), expected: '<a>1</a>' }];
}
