import { describe, expect, it } from 'vitest';
import { XML_TYPE } from './mssql-xml-type.js';

describe('XML_TYPE', () => {
  it('writes TYPE_INFO without a schema and the text as a UTF-16 PLP stream', () => {
    const parameter = { value: '<a>é</a>' };
    const bytes = Buffer.concat([
      XML_TYPE.generateTypeInfo(parameter, {} as never),
      XML_TYPE.generateParameterLength(parameter, {} as never),
      ...XML_TYPE.generateParameterData(parameter, {} as never),
    ]);
    const text = Buffer.from('<a>é</a>', 'utf16le');
    expect([...bytes.subarray(0, 2)]).toEqual([0xf1, 0x00]);
    expect([...bytes.subarray(2, 10)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(bytes.readUInt32LE(10)).toBe(text.length);
    expect(bytes.subarray(14, 14 + text.length).toString('utf16le')).toBe('<a>é</a>');
    expect([...bytes.subarray(14 + text.length)]).toEqual([0, 0, 0, 0]);
    expect(XML_TYPE.declaration({ name: 'x', type: XML_TYPE, value: null, output: false })).toBe('xml');
  });

  it('writes NULL as a PLP NULL with no data', () => {
    const parameter = { value: null };
    expect([...XML_TYPE.generateParameterLength(parameter, {} as never)]).toEqual(Array(8).fill(0xff));
    expect([...XML_TYPE.generateParameterData(parameter, {} as never)]).toEqual([]);
  });
});
