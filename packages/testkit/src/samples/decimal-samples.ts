import type { ValueSample } from '../conformance-fixture.js';

/**
 * Samples of a decimal column of precision 20 and scale 4 (`numeric(20,4)`, `decimal(20,4)`), read as strings with
 * all four decimals: the extremes, a value a double cannot hold, and one the column pads to its scale.
 */
export const DECIMAL_20_4_SAMPLES: readonly ValueSample[] = [
  { kind: 'min', literal: '-9999999999999999.9999', expected: '-9999999999999999.9999' },
  { kind: 'max', literal: '9999999999999999.9999', expected: '9999999999999999.9999' },
  { kind: 'beyond double precision', literal: '1234567890123456.7891', expected: '1234567890123456.7891' },
  { kind: 'scale padded', literal: '12.5', expected: '12.5000', parameter: '12.5' },
];
