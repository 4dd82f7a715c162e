import type { TediousDataType } from './mssql-tedious.js';

/**
 * An `xml` parameter type for tedious, whose own Xml type throws "not implemented" for parameters. It implements
 * tedious' public `DataType` contract and writes what SqlClient sends for `SqlDbType.Xml`: TYPE_INFO 0xF1 without a
 * schema collection, then the text as UTF-16LE in a PLP stream of unknown length (MS-TDS 2.2.5.5.3).
 */

const XML_ID = 0xf1;
const NO_SCHEMA = 0x00;
const PLP_NULL = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const UNKNOWN_PLP_LENGTH = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const PLP_TERMINATOR = Buffer.from([0x00, 0x00, 0x00, 0x00]);

/** The xml parameter type (value: the XML text, or null). */
export const XML_TYPE: TediousDataType = {
  id: XML_ID,
  type: 'XML',
  name: 'Xml',
  declaration: () => 'xml',
  generateTypeInfo: () => Buffer.from([XML_ID, NO_SCHEMA]),
  generateParameterLength: (parameter) =>
    parameter.value === null || parameter.value === undefined ? PLP_NULL : UNKNOWN_PLP_LENGTH,
  *generateParameterData(parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const data = Buffer.from(String(parameter.value), 'utf16le');
    if (data.length > 0) {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(data.length, 0);
      yield length;
      yield data;
    }
    yield PLP_TERMINATOR;
  },
  validate: (value: unknown) => (value === null || value === undefined ? null : String(value)),
};
