import {
  BOOLEAN_SAMPLES,
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
  checkedSessionId,
  paddedFixedStringSamples,
  stringSamples,
  xmlSamples,
  type ConformanceFixture,
  type HexLiteral,
  type ValueTypeCase,
} from '@asyncdb/testkit';

/** A backend pid to inline into SQL, checked first. */
const pid = (sessionId: string | number): number => checkedSessionId(sessionId, 'PostgreSQL backend pid');

/** PostgreSQL's `bytea` literal from hex digits. */
const bytea: HexLiteral = (hex) => `decode('${hex}', 'hex')`;

/**
 * One value case per PostgreSQL type asyncdb maps (docs/values.md): the testkit's shared samples, written with standard
 * SQL literals; PostgreSQL's own are `money` (two decimals, no padding) and `jsonb`.
 */
const PG_VALUES: readonly ValueTypeCase[] = [
  { dbType: 'Boolean', columnType: 'boolean', samples: BOOLEAN_SAMPLES },
  { dbType: 'Int16', columnType: 'smallint', samples: INT16_SAMPLES },
  { dbType: 'Int32', columnType: 'integer', samples: INT32_SAMPLES },
  { dbType: 'Int64', columnType: 'bigint', samples: INT64_SAMPLES },
  { dbType: 'Decimal', columnType: 'numeric(20,4)', samples: DECIMAL_20_4_SAMPLES },
  {
    dbType: 'Currency',
    columnType: 'money',
    samples: [
      { kind: 'typical', literal: '1234.56', expected: '1234.56' },
      { kind: 'negative', literal: '-0.01', expected: '-0.01' },
    ],
  },
  { dbType: 'Single', columnType: 'real', samples: SINGLE_SAMPLES },
  { dbType: 'Double', columnType: 'double precision', samples: DOUBLE_SAMPLES },
  { dbType: 'String', columnType: 'varchar(100)', samples: stringSamples() },
  { dbType: 'StringFixedLength', columnType: 'char(5)', samples: paddedFixedStringSamples() },
  { dbType: 'Date', columnType: 'date', samples: DATE_SAMPLES },
  { dbType: 'Time', columnType: 'time', samples: TIME_SAMPLES },
  { dbType: 'DateTime', columnType: 'timestamp', samples: DATETIME_SAMPLES },
  { dbType: 'DateTimeOffset', columnType: 'timestamptz', samples: DATETIME_OFFSET_SAMPLES },
  { dbType: 'Guid', columnType: 'uuid', samples: GUID_SAMPLES },
  { dbType: 'Binary', columnType: 'bytea', samples: binarySamples(bytea) },
  {
    dbType: 'Json',
    columnType: 'jsonb',
    samples: [
      { kind: 'object', literal: `'{"a": 1, "b": [true, null, "x"]}'`, expected: { a: 1, b: [true, null, 'x'] } },
      { kind: 'array', literal: `'[1, 2.5, "three"]'`, expected: [1, 2.5, 'three'] },
    ],
  },
  { dbType: 'Xml', columnType: 'xml', samples: xmlSamples() },
];

/**
 * What the conformance suite needs to know about PostgreSQL: the SQL only PostgreSQL writes this way, how to watch
 * and end a backend from another session (`pg_stat_activity`, `pg_terminate_backend`), and the values of §5.
 */
export const pgFixture: ConformanceFixture = {
  engine: 'PostgreSQL',
  keywords: { host: 'Host', port: 'Port', database: 'Database', user: 'Username', password: 'Password' },
  ddl: {
    integer: 'integer',
    text: 'varchar(100)',
    createTable: (name, body) => `CREATE TABLE ${name} (${body})`,
    dropTable: (name) => `DROP TABLE IF EXISTS ${name}`,
  },
  sql: {
    sleep: (seconds) => `SELECT pg_sleep(${seconds})`,
    // 10^15 joined rows: a nested loop over two materialised 10^5-row series, computing until stopped.
    busy: 'SELECT count(*) FROM generate_series(1, 100000) AS a, generate_series(1, 100000) AS b, generate_series(1, 100000) AS c',
    generateRows: (count) => `SELECT g AS n, repeat('x', 200) AS payload FROM generate_series(1, ${count}) AS g`,
    infoMessage: "DO $$ BEGIN RAISE NOTICE 'asyncdb conformance notice'; END $$",
  },
  session: {
    currentSessionId: 'SELECT pg_backend_pid()',
    activeStatement: (sessionId) =>
      `SELECT query FROM pg_stat_activity WHERE pid = ${pid(sessionId)} AND state = 'active'`,
    kill: (sessionId) => `SELECT pg_terminate_backend(${pid(sessionId)})`,
  },
  sessionState: { change: "SET TIME ZONE 'Pacific/Chatham'", read: 'SHOW TIME ZONE' },
  isolation: {
    read: 'SHOW transaction_isolation',
    names: {
      ReadUncommitted: 'read uncommitted',
      ReadCommitted: 'read committed',
      RepeatableRead: 'repeatable read',
      Serializable: 'serializable',
    },
  },
  values: PG_VALUES,
  errorCodes: {
    uniqueViolation: { sqlState: '23505' },
    foreignKeyViolation: { sqlState: '23503' },
    notNullViolation: { sqlState: '23502' },
    checkViolation: { sqlState: '23514' },
    syntaxError: { sqlState: '42601' },
    undefinedTable: { sqlState: '42P01' },
    deadlock: { sqlState: '40P01' },
  },
};
