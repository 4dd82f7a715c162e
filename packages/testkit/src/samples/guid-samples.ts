import type { ValueSample } from '../conformance-fixture.js';

/** Samples of a UUID column (`uuid`, `uniqueidentifier`): read as lower-case strings whatever case was written. */
export const GUID_SAMPLES: readonly ValueSample[] = [
  {
    kind: 'upper case in',
    literal: "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
    expected: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  },
  {
    kind: 'nil',
    literal: "'00000000-0000-0000-0000-000000000000'",
    expected: '00000000-0000-0000-0000-000000000000',
  },
];
