import {
  BOOLEAN_SAMPLES,
  BYTE_SAMPLES,
  DATE_SAMPLES,
  DATETIME_OFFSET_SAMPLES,
  DATETIME_SAMPLES,
  DECIMAL_20_4_SAMPLES,
  DOUBLE_SAMPLES,
  GUID_SAMPLES,
  INT16_SAMPLES,
  INT32_SAMPLES,
  INT64_SAMPLES,
  SINGLE_SAMPLES,
  TIME_SAMPLES,
  binarySamples,
  notAvailable,
  sqlString,
  stringSamples,
  xmlSamples,
  type ConformanceFixture,
  type ValueSample,
  type ValueTypeCase,
} from '@asyncdb/testkit';

/** An in-process engine has none of a network server's sessions, so every such part says why. */
const IN_PROCESS = 'SQLite runs inside the application process';

/** Exact decimals are stored as text: a numeric literal would be read by SQLite's parser as a double first. */
const quoted = (samples: readonly ValueSample[]): readonly ValueSample[] =>
  samples.map((sample) => ({ ...sample, literal: sqlString(sample.literal) }));

/**
 * One value case per declared type the provider maps (the value table of the provider README). SQLite keeps any value in any column; the
 * declared type tells the provider how to read it. Decimals and money live in columns whose declared type has TEXT
 * affinity (`TEXT DECIMAL(20,4)`), so SQLite stores them exactly; fixed-length text is not padded by SQLite.
 */
const SQLITE_VALUES: readonly ValueTypeCase[] = [
  { dbType: 'Boolean', columnType: 'boolean', samples: BOOLEAN_SAMPLES },
  { dbType: 'Byte', columnType: 'tinyint', samples: BYTE_SAMPLES },
  { dbType: 'Int16', columnType: 'smallint', samples: INT16_SAMPLES },
  { dbType: 'Int32', columnType: 'int', samples: INT32_SAMPLES },
  { dbType: 'Int64', columnType: 'bigint', samples: INT64_SAMPLES },
  { dbType: 'Decimal', columnType: 'TEXT DECIMAL(20,4)', samples: quoted(DECIMAL_20_4_SAMPLES) },
  {
    dbType: 'Currency',
    columnType: 'TEXT MONEY',
    samples: [
      { kind: 'typical', literal: "'1234.56'", expected: '1234.5600', parameter: '1234.56' },
      { kind: 'negative', literal: "'-0.01'", expected: '-0.0100', parameter: '-0.01' },
    ],
  },
  { dbType: 'Single', columnType: 'float4', samples: SINGLE_SAMPLES },
  { dbType: 'Double', columnType: 'double precision', samples: DOUBLE_SAMPLES },
  { dbType: 'String', columnType: 'varchar(100)', samples: stringSamples() },
  {
    dbType: 'StringFixedLength',
    columnType: 'char(5)',
    samples: [
      { kind: 'short', literal: "'ab'", expected: 'ab' },
      { kind: 'full', literal: "'abcde'", expected: 'abcde' },
    ],
  },
  { dbType: 'Date', columnType: 'date', samples: DATE_SAMPLES },
  { dbType: 'Time', columnType: 'time', samples: TIME_SAMPLES },
  { dbType: 'DateTime', columnType: 'datetime', samples: DATETIME_SAMPLES },
  { dbType: 'DateTime2', columnType: 'datetime2', samples: DATETIME_SAMPLES },
  { dbType: 'DateTimeOffset', columnType: 'datetimeoffset', samples: DATETIME_OFFSET_SAMPLES },
  { dbType: 'Guid', columnType: 'uuid', samples: GUID_SAMPLES },
  { dbType: 'Binary', columnType: 'blob', samples: binarySamples((hex) => `X'${hex}'`) },
  {
    dbType: 'Json',
    columnType: 'json',
    samples: [
      { kind: 'object', literal: `'{"a": 1, "b": [true, null, "x"]}'`, expected: { a: 1, b: [true, null, 'x'] } },
      { kind: 'array', literal: `'[1, 2.5, "three"]'`, expected: [1, 2.5, 'three'] },
    ],
  },
];
void xmlSamples;

/** `count` rows numbered 1…count with a 200-character payload, from a recursive CTE. */
function generateRows(count: number): string {
  return (
    `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${count}) ` +
    `SELECT n, replace(hex(zeroblob(100)), '0', 'x') AS payload FROM g`
  );
}

/**
 * What the conformance suite needs to know about SQLite: portable DDL, a recursive CTE for generated rows and for a
 * CPU-bound statement, and — being an engine inside the process, not a server — no login, no sessions another
 * connection sees or ends, no notices, no sleep function and no row locks, each declared with its reason.
 */
export const sqliteFixture: ConformanceFixture = {
  engine: 'SQLite',
  keywords: notAvailable(`${IN_PROCESS}: there is no host, port, user or login to get wrong`),
  ddl: {
    integer: 'int',
    text: 'varchar(100)',
    createTable: (name, body) => `CREATE TABLE ${name} (${body})`,
    dropTable: (name) => `DROP TABLE IF EXISTS ${name}`,
  },
  sql: {
    sleep: notAvailable('SQLite has no sleep function, so no statement of a known duration'),
    busy: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) SELECT count(*) FROM c',
    generateRows,
    infoMessage: notAvailable('SQLite sends no notices or warnings'),
  },
  session: notAvailable(`${IN_PROCESS}: no other connection can see or end a connection's statement`),
  sessionState: { change: 'PRAGMA cache_size = -4321', read: 'PRAGMA cache_size' },
  isolation: { read: 'PRAGMA read_uncommitted', names: { Serializable: '0' } },
  values: SQLITE_VALUES,
  errorCodes: {
    foreignKeyViolation: { providerCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
    notNullViolation: { providerCode: 'SQLITE_CONSTRAINT_NOTNULL' },
    checkViolation: { providerCode: 'SQLITE_CONSTRAINT_CHECK' },
    syntaxError: { providerCode: 'SQLITE_ERROR' },
    undefinedTable: { providerCode: 'SQLITE_ERROR' },
  },
  deadlock: notAvailable(
    'SQLite locks the whole database, not rows: a second writer waits for the busy timeout (SQLITE_BUSY, category lock_timeout), it never deadlocks with the first',
  ),
};
