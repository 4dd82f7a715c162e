import type { ValueSample } from '../conformance-fixture.js';

/** The smallest and largest value of an unsigned 8-bit integer column (`tinyint`, `TINYINT UNSIGNED`). */
export const BYTE_EXTREMES: readonly ValueSample[] = [
  { kind: 'min', literal: '0', expected: 0 },
  { kind: 'max', literal: '255', expected: 255 },
];

/** {@link BYTE_EXTREMES} and a typical value. */
export const BYTE_SAMPLES: readonly ValueSample[] = [
  ...BYTE_EXTREMES,
  { kind: 'typical', literal: '42', expected: 42 },
];

/** The smallest and largest value of a 16-bit integer column (`smallint`). */
export const INT16_EXTREMES: readonly ValueSample[] = [
  { kind: 'min', literal: '-32768', expected: -32768 },
  { kind: 'max', literal: '32767', expected: 32767 },
];

/** {@link INT16_EXTREMES} and a typical value. */
export const INT16_SAMPLES: readonly ValueSample[] = [
  ...INT16_EXTREMES,
  { kind: 'typical', literal: '42', expected: 42 },
];

/** The smallest and largest value of a 32-bit integer column (`integer`, `int`) and zero. */
export const INT32_SAMPLES: readonly ValueSample[] = [
  { kind: 'min', literal: '-2147483648', expected: -2147483648 },
  { kind: 'max', literal: '2147483647', expected: 2147483647 },
  { kind: 'zero', literal: '0', expected: 0 },
];

/** The smallest and largest value of a 64-bit integer column (`bigint`), read as `bigint`s. */
export const INT64_EXTREMES: readonly ValueSample[] = [
  { kind: 'min', literal: '-9223372036854775808', expected: -9223372036854775808n },
  { kind: 'max', literal: '9223372036854775807', expected: 9223372036854775807n },
];

/** {@link INT64_EXTREMES} and a typical value. */
export const INT64_SAMPLES: readonly ValueSample[] = [
  ...INT64_EXTREMES,
  { kind: 'typical', literal: '42', expected: 42n },
];
