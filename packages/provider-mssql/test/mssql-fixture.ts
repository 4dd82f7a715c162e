import type { ConformanceFixture, ValueTypeCase } from '@asyncdb/testkit';

/**
 * What the conformance suite needs to know about SQL Server. Every statement here is T-SQL that a real SQL Server
 * (2016 or later) runs as written, and that the TDS test server supports too — the suite runs against both.
 */

/** Session ids come from the server; checked before being inlined into SQL all the same. */
function spid(sessionId: string | number): number {
  const value = Number(sessionId);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`Not a SQL Server session id: ${String(sessionId)}`);
  return value;
}

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

/** One value case per SQL Server type asyncdb maps (DESIGN.md §5). SQL Server has no signed byte and no JSON type. */
const MSSQL_VALUES: readonly ValueTypeCase[] = [
  {
    dbType: 'Boolean',
    columnType: 'bit',
    samples: [
      { kind: 'true', literal: '1', expected: true },
      { kind: 'false', literal: '0', expected: false },
    ],
  },
  {
    dbType: 'Byte',
    columnType: 'tinyint',
    samples: [
      { kind: 'min', literal: '0', expected: 0 },
      { kind: 'max', literal: '255', expected: 255 },
      { kind: 'typical', literal: '42', expected: 42 },
    ],
  },
  {
    dbType: 'Int16',
    columnType: 'smallint',
    samples: [
      { kind: 'min', literal: '-32768', expected: -32768 },
      { kind: 'max', literal: '32767', expected: 32767 },
      { kind: 'typical', literal: '42', expected: 42 },
    ],
  },
  {
    dbType: 'Int32',
    columnType: 'int',
    samples: [
      { kind: 'min', literal: '-2147483648', expected: -2147483648 },
      { kind: 'max', literal: '2147483647', expected: 2147483647 },
      { kind: 'zero', literal: '0', expected: 0 },
    ],
  },
  {
    dbType: 'Int64',
    columnType: 'bigint',
    samples: [
      { kind: 'min', literal: '-9223372036854775808', expected: -9223372036854775808n },
      { kind: 'max', literal: '9223372036854775807', expected: 9223372036854775807n },
      { kind: 'typical', literal: '42', expected: 42n },
    ],
  },
  {
    dbType: 'Decimal',
    columnType: 'decimal(20,4)',
    samples: [
      { kind: 'min', literal: '-9999999999999999.9999', expected: '-9999999999999999.9999' },
      { kind: 'max', literal: '9999999999999999.9999', expected: '9999999999999999.9999' },
      { kind: 'beyond double precision', literal: '1234567890123456.7891', expected: '1234567890123456.7891' },
      { kind: 'scale padded', literal: '12.5', expected: '12.5000', parameter: '12.5' },
    ],
  },
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
    samples: [
      { kind: 'typical', literal: '1.5', expected: 1.5 },
      { kind: 'negative', literal: '-2.25', expected: -2.25 },
      { kind: 'not binary', literal: '1.1', expected: 1.1 },
      { kind: 'max', literal: '3.4e38', expected: 3.4e38 },
      { kind: 'min', literal: '-3.4e38', expected: -3.4e38 },
    ],
  },
  {
    dbType: 'Double',
    columnType: 'float',
    samples: [
      { kind: 'typical', literal: '3.141592653589793', expected: 3.141592653589793 },
      { kind: 'max', literal: '1.7976931348623157e308', expected: 1.7976931348623157e308 },
      { kind: 'min', literal: '-1.7976931348623157e308', expected: -1.7976931348623157e308 },
      { kind: 'smallest normal', literal: '2.2250738585072014e-308', expected: 2.2250738585072014e-308 },
    ],
  },
  {
    dbType: 'String',
    columnType: 'nvarchar(100)',
    samples: [
      { kind: 'typical', literal: "N'hello'", expected: 'hello' },
      { kind: 'empty', literal: "N''", expected: '' },
      { kind: 'unicode', literal: "N'Ä Ḁ 😀'", expected: 'Ä Ḁ 😀' },
      { kind: 'quote', literal: "N'O''Brien'", expected: "O'Brien" },
    ],
  },
  {
    dbType: 'StringFixedLength',
    columnType: 'nchar(5)',
    samples: [
      { kind: 'padded', literal: "N'ab'", expected: 'ab   ', parameter: 'ab' },
      { kind: 'full', literal: "N'abcde'", expected: 'abcde' },
    ],
  },
  {
    dbType: 'AnsiString',
    columnType: 'varchar(100)',
    samples: [
      { kind: 'typical', literal: "'hello'", expected: 'hello' },
      { kind: 'empty', literal: "''", expected: '' },
    ],
  },
  {
    dbType: 'AnsiStringFixedLength',
    columnType: 'char(5)',
    samples: [
      { kind: 'padded', literal: "'ab'", expected: 'ab   ', parameter: 'ab' },
      { kind: 'full', literal: "'abcde'", expected: 'abcde' },
    ],
  },
  {
    dbType: 'Date',
    columnType: 'date',
    samples: [
      { kind: 'typical', literal: "'2024-02-29'", expected: '2024-02-29' },
      { kind: 'min', literal: "'0001-01-01'", expected: '0001-01-01' },
      { kind: 'max', literal: "'9999-12-31'", expected: '9999-12-31' },
    ],
  },
  {
    dbType: 'Time',
    columnType: 'time',
    samples: [
      { kind: 'typical', literal: "'13:45:30'", expected: '13:45:30' },
      { kind: 'min', literal: "'00:00:00'", expected: '00:00:00' },
      { kind: 'fraction', literal: "'23:59:59.5'", expected: '23:59:59.5' },
      { kind: 'microseconds', literal: "'23:59:59.999999'", expected: '23:59:59.999999' },
    ],
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
  {
    dbType: 'DateTime2',
    columnType: 'datetime2(3)',
    samples: [
      { kind: 'typical', literal: "'2024-02-29T13:45:30.123'", expected: date('2024-02-29T13:45:30.123Z') },
      { kind: 'min', literal: "'0001-01-01T00:00:00'", expected: date('0001-01-01T00:00:00.000Z') },
      { kind: 'max', literal: "'9999-12-31T23:59:59.999'", expected: date('9999-12-31T23:59:59.999Z') },
    ],
  },
  {
    dbType: 'DateTimeOffset',
    columnType: 'datetimeoffset(3)',
    samples: [
      { kind: 'with offset', literal: "'2024-02-29T15:45:30.123+02:00'", expected: date('2024-02-29T13:45:30.123Z') },
      { kind: 'epoch', literal: "'1970-01-01T00:00:00+00:00'", expected: date('1970-01-01T00:00:00.000Z') },
    ],
  },
  {
    dbType: 'Guid',
    columnType: 'uniqueidentifier',
    samples: [
      { kind: 'upper case in', literal: "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", expected: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
      { kind: 'nil', literal: "'00000000-0000-0000-0000-000000000000'", expected: '00000000-0000-0000-0000-000000000000' },
    ],
  },
  {
    dbType: 'Binary',
    columnType: 'varbinary(100)',
    samples: [
      { kind: 'typical', literal: '0x01020304', expected: new Uint8Array([1, 2, 3, 4]) },
      { kind: 'empty', literal: '0x', expected: new Uint8Array([]) },
      { kind: 'extremes', literal: '0x00FF', expected: new Uint8Array([0, 255]) },
    ],
  },
  {
    dbType: 'Xml',
    columnType: 'xml',
    samples: [{ kind: 'element', literal: "N'<a>1</a>'", expected: '<a>1</a>' }],
  },
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
      'SELECT CASE transaction_isolation_level WHEN 1 THEN \'read uncommitted\' WHEN 2 THEN \'read committed\' ' +
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
