import {
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
  checkedSessionId,
  nationalSqlString,
  paddedFixedStringSamples,
  plainStringSamples,
  stringSamples,
  xmlSamples,
  type ConformanceFixture,
  type HexLiteral,
  type ValueTypeCase,
} from '@asyncdb/testkit';

/**
 * What the conformance suite needs to know about SQL Server. Every statement here is T-SQL that a real SQL Server
 * (2016 or later) runs as written, and that the TDS test server supports too — the suite runs against both.
 */

/** A session id to inline into SQL, checked first. */
const spid = (sessionId: string | number): number => checkedSessionId(sessionId, 'SQL Server session id');

const date = (iso: string): Date => new Date(iso);

/** `WAITFOR DELAY 'hh:mm:ss.fff'` wants a time of day, not a number of seconds. */
function delayText(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/**
 * `count` rows numbered 1…count, from cross joins of a ten-row VALUES list (no recursion, no GENERATE_SERIES, which
 * SQL Server 2022 alone has). No ORDER BY: ROW_NUMBER() is computed in the order rows stream out of the joins, so TOP
 * stops as soon as it has `count` of them (an ORDER BY would make PostgreSQL, under the TDS test server, number and
 * sort every row of the cross join before sending the first).
 */
function generateRows(count: number): string {
  const digits = '(VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9))';
  const joins = Math.max(1, Math.ceil(Math.log10(Math.max(count, 1))));
  const from = Array.from({ length: joins }, (_, index) => `${digits} AS d${index}(d)`).join(' CROSS JOIN ');
  return (
    `SELECT TOP (${count}) CAST(ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS int) AS n, ` +
    `REPLICATE('x', 200) AS payload FROM ${from}`
  );
}

/**
 * Counts the 10^12 rows of twelve cross-joined ten-row VALUES lists: T-SQL that SQL Server and the TDS test server
 * (PostgreSQL underneath) both run, CPU-bound until stopped.
 */
function busyCount(): string {
  const digits = '(VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9))';
  const from = Array.from({ length: 12 }, (_, index) => `${digits} AS d${index}(d)`).join(' CROSS JOIN ');
  return `SELECT COUNT_BIG(*) AS n FROM ${from}`;
}

/** SQL Server's binary literal (`0x00FF`) from hex digits. */
const hexBinary: HexLiteral = (hex) => `0x${hex.toUpperCase()}`;

/**
 * One value case per SQL Server type asyncdb maps (docs/values.md): the testkit's shared samples, with `N'…'` literals
 * for the Unicode types. SQL Server has no signed byte and no JSON type; `bit` writes 1 and 0, `money` reads with four
 * decimals, `time` also stores a tenth of a second, and `datetime` counts in 1/300 s from 1753.
 */
const MSSQL_VALUES: readonly ValueTypeCase[] = [
  {
    dbType: 'Boolean',
    columnType: 'bit',
    samples: [
      { kind: 'true', literal: '1', expected: true },
      { kind: 'false', literal: '0', expected: false },
    ],
  },
  { dbType: 'Byte', columnType: 'tinyint', samples: BYTE_SAMPLES },
  { dbType: 'Int16', columnType: 'smallint', samples: INT16_SAMPLES },
  { dbType: 'Int32', columnType: 'int', samples: INT32_SAMPLES },
  { dbType: 'Int64', columnType: 'bigint', samples: INT64_SAMPLES },
  { dbType: 'Decimal', columnType: 'decimal(20,4)', samples: DECIMAL_20_4_SAMPLES },
  {
    dbType: 'Currency',
    columnType: 'money',
    samples: [
      { kind: 'typical', literal: '1234.56', expected: '1234.5600', parameter: '1234.56' },
      { kind: 'negative', literal: '-0.01', expected: '-0.0100', parameter: '-0.01' },
      { kind: 'max', literal: '922337203685477.5807', expected: '922337203685477.5807' },
      { kind: 'min', literal: '-922337203685477.5808', expected: '-922337203685477.5808' },
    ],
  },
  {
    dbType: 'Single',
    columnType: 'real',
    samples: [...SINGLE_SAMPLES, { kind: 'not binary', literal: '1.1', expected: 1.1 }],
  },
  { dbType: 'Double', columnType: 'float', samples: DOUBLE_SAMPLES },
  { dbType: 'String', columnType: 'nvarchar(100)', samples: stringSamples(nationalSqlString) },
  { dbType: 'StringFixedLength', columnType: 'nchar(5)', samples: paddedFixedStringSamples(nationalSqlString) },
  { dbType: 'AnsiString', columnType: 'varchar(100)', samples: plainStringSamples() },
  { dbType: 'AnsiStringFixedLength', columnType: 'char(5)', samples: paddedFixedStringSamples() },
  { dbType: 'Date', columnType: 'date', samples: DATE_SAMPLES },
  {
    dbType: 'Time',
    columnType: 'time',
    samples: [...TIME_SAMPLES, { kind: 'fraction', literal: "'23:59:59.5'", expected: '23:59:59.5' }],
  },
  {
    dbType: 'DateTime',
    columnType: 'datetime',
    samples: [
      // datetime counts in 1/300 s: .123 and .997 are exact, other milliseconds round.
      { kind: 'typical', literal: "'2024-02-29T13:45:30.123'", expected: date('2024-02-29T13:45:30.123Z') },
      { kind: 'min', literal: "'1753-01-01T00:00:00'", expected: date('1753-01-01T00:00:00.000Z') },
      { kind: 'max', literal: "'9999-12-31T23:59:59.997'", expected: date('9999-12-31T23:59:59.997Z') },
    ],
  },
  { dbType: 'DateTime2', columnType: 'datetime2(3)', samples: DATETIME_SAMPLES },
  { dbType: 'DateTimeOffset', columnType: 'datetimeoffset(3)', samples: DATETIME_OFFSET_SAMPLES },
  { dbType: 'Guid', columnType: 'uniqueidentifier', samples: GUID_SAMPLES },
  { dbType: 'Binary', columnType: 'varbinary(100)', samples: binarySamples(hexBinary) },
  { dbType: 'Xml', columnType: 'xml', samples: xmlSamples(nationalSqlString) },
];

/**
 * SQL Server for the conformance suite: T-SQL DDL, `WAITFOR DELAY`, PRINT for `infoMessage`, the dynamic management
 * views for watching a session (`sys.dm_exec_requests`, `sys.dm_exec_sessions`), `KILL`, a `#temp` table as the
 * session state that `sp_reset_connection` must clear, and SQL Server's error numbers.
 */
export const mssqlFixture: ConformanceFixture = {
  engine: 'SQL Server',
  keywords: { host: 'Data Source', port: 'Port', database: 'Initial Catalog', user: 'User ID', password: 'Password' },
  ddl: {
    integer: 'int',
    text: 'nvarchar(100)',
    createTable: (name, body) => `CREATE TABLE ${name} (${body})`,
    dropTable: (name) => `IF OBJECT_ID(N'${name}', N'U') IS NOT NULL DROP TABLE ${name}`,
  },
  sql: {
    sleep: (seconds) => `WAITFOR DELAY '${delayText(seconds)}'`,
    busy: busyCount(),
    generateRows,
    infoMessage: "PRINT 'asyncdb conformance notice'",
  },
  session: {
    currentSessionId: 'SELECT @@SPID',
    // sys.dm_exec_requests holds a row per request running now: none while the session is idle.
    activeStatement: (sessionId) => `SELECT command FROM sys.dm_exec_requests WHERE session_id = ${spid(sessionId)}`,
    kill: (sessionId) => `KILL ${spid(sessionId)}`,
  },
  sessionState: {
    change: 'CREATE TABLE #asyncdb_session_state (x int)',
    read: "SELECT CASE WHEN OBJECT_ID(N'tempdb..#asyncdb_session_state') IS NULL THEN 0 ELSE 1 END",
  },
  isolation: {
    read:
      "SELECT CASE transaction_isolation_level WHEN 1 THEN 'read uncommitted' WHEN 2 THEN 'read committed' " +
      "WHEN 3 THEN 'repeatable read' WHEN 4 THEN 'serializable' WHEN 5 THEN 'snapshot' END " +
      'FROM sys.dm_exec_sessions WHERE session_id = @@SPID',
    names: {
      ReadUncommitted: 'read uncommitted',
      ReadCommitted: 'read committed',
      RepeatableRead: 'repeatable read',
      Serializable: 'serializable',
      Snapshot: 'snapshot',
    },
  },
  values: MSSQL_VALUES,
  errorCodes: {
    uniqueViolation: { sqlState: '23000', providerCode: 2627 },
    foreignKeyViolation: { sqlState: '23000', providerCode: 547 },
    notNullViolation: { sqlState: '23000', providerCode: 515 },
    checkViolation: { sqlState: '23000', providerCode: 547 },
    syntaxError: { sqlState: '42000', providerCode: 102 },
    undefinedTable: { sqlState: '42S02', providerCode: 208 },
    deadlock: { sqlState: '40001', providerCode: 1205 },
  },
};
