import type { ValueSample } from '../conformance-fixture.js';

/** Samples of a 4-byte floating-point column (`real`): values exact in binary, positive and negative, and ±3.4e38. */
export const SINGLE_SAMPLES: readonly ValueSample[] = [
  { kind: 'typical', literal: '1.5', expected: 1.5 },
  { kind: 'negative', literal: '-2.25', expected: -2.25 },
  { kind: 'max', literal: '3.4e38', expected: 3.4e38 },
  { kind: 'min', literal: '-3.4e38', expected: -3.4e38 },
];

/** Samples of an 8-byte floating-point column (`double precision`, `float`): π, the extremes, the smallest normal. */
export const DOUBLE_SAMPLES: readonly ValueSample[] = [
  { kind: 'typical', literal: '3.141592653589793', expected: 3.141592653589793 },
  { kind: 'max', literal: '1.7976931348623157e308', expected: 1.7976931348623157e308 },
  { kind: 'min', literal: '-1.7976931348623157e308', expected: -1.7976931348623157e308 },
  { kind: 'smallest normal', literal: '2.2250738585072014e-308', expected: 2.2250738585072014e-308 },
];
