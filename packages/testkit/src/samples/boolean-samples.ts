import type { ValueSample } from '../conformance-fixture.js';

/** `TRUE` and `FALSE` for an engine with a boolean literal (PostgreSQL, MySQL); SQL Server's `bit` writes 1 and 0. */
export const BOOLEAN_SAMPLES: readonly ValueSample[] = [
  { kind: 'true', literal: 'TRUE', expected: true },
  { kind: 'false', literal: 'FALSE', expected: false },
];
