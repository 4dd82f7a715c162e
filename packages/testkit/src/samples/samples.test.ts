import { describe, expect, it } from 'vitest';
import type { ValueSample } from '../conformance-fixture.js';
import * as samples from './index.js';

const { binarySamples, nationalSqlString, paddedFixedStringSamples, plainStringSamples, stringSamples, xmlSamples } =
  samples;

/** Every exported sample list, the builders called with their default literal (or a hex one). */
const LISTS: Readonly<Record<string, readonly ValueSample[]>> = {
  ...Object.fromEntries(Object.entries(samples).filter(([, value]) => Array.isArray(value))),
  plainStringSamples: plainStringSamples(),
  stringSamples: stringSamples(),
  paddedFixedStringSamples: paddedFixedStringSamples(),
  binarySamples: binarySamples((hex) => `X'${hex}'`),
  xmlSamples: xmlSamples(),
};

describe('shared value samples', () => {
  it.each(Object.entries(LISTS))('%s names each sample once', (_name, list) => {
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((sample) => sample.kind)).size).toBe(list.length);
  });

  it('the text builders write every literal with the literal function given', () => {
    expect(stringSamples(nationalSqlString).map((sample) => sample.literal)).toEqual([
      "N'hello'",
      "N''",
      "N'Ä Ḁ 😀'",
      "N'O''Brien'",
    ]);
    expect(paddedFixedStringSamples().map((sample) => sample.literal)).toEqual(["'ab'", "'abcde'"]);
    expect(xmlSamples(nationalSqlString)[0]?.literal).toBe("N'<a>1</a>'");
  });

  it('the padded fixed-length sample is sent unpadded and read padded to five characters', () => {
    const [padded] = paddedFixedStringSamples();
    expect(padded).toMatchObject({ expected: 'ab   ', parameter: 'ab' });
  });

  it('binarySamples passes lower-case hex digits to the literal function and expects those bytes', () => {
    const list = binarySamples((hex) => `0x${hex}`);
    expect(list.map((sample) => sample.literal)).toEqual(['0x01020304', '0x', '0x00ff']);
    expect(list.map((sample) => [...(sample.expected as Uint8Array)])).toEqual([[1, 2, 3, 4], [], [0, 255]]);
  });
});
