import type { ConformanceFixture, ValueTypeCase } from '@asyncdb/testkit';

/** Session ids come from the server; checked before being inlined into SQL all the same. */
function pid(sessionId: string | number): number {
  const value = Number(sessionId);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`Not a PostgreSQL backend pid: ${String(sessionId)}`);
  return value;
}

const date = (iso: string): Date => new Date(iso);

/** One value case per PostgreSQL type asyncdb maps (DESIGN.md §5). */
const PG_VALUES: readonly ValueTypeCase[] = [
  {
    dbType: 'Boolean',
    columnType: 'boolean',
    samples: [
      { kind: 'true', literal: 'TRUE', expected: true },
      { kind: 'false', literal: 'FALSE', expected: false },
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
    columnType: 'integer',
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
    columnType: 'numeric(20,4)',
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
      { kind: 'typical', literal: '1234.56', expected: '1234.56' },
      { kind: 'negative', literal: '-0.01', expected: '-0.01' },
    ],
  },
  {
    dbType: 'Single',
    columnType: 'real',
    samples: [
      { kind: 'typical', literal: '1.5', expected: 1.5 },
      { kind: 'negative', literal: '-2.25', expected: -2.25 },
      { kind: 'max', literal: '3.4e38', expected: 3.4e38 },
      { kind: 'min', literal: '-3.4e38', expected: -3.4e38 },
    ],
  },
  {
    dbType: 'Double',
    columnType: 'double precision',
    samples: [
      { kind: 'typical', literal: '3.141592653589793', expected: 3.141592653589793 },
      { kind: 'max', literal: '1.7976931348623157e308', expected: 1.7976931348623157e308 },
      { kind: 'min', literal: '-1.7976931348623157e308', expected: -1.7976931348623157e308 },
      { kind: 'smallest normal', literal: '2.2250738585072014e-308', expected: 2.2250738585072014e-308 },
    ],
  },
  {
    dbType: 'String',
    columnType: 'varchar(100)',
    samples: [
      { kind: 'typical', literal: "'hello'", expected: 'hello' },
      { kind: 'empty', literal: "''", expected: '' },
      { kind: 'unicode', literal: "'Ä Ḁ 😀'", expected: 'Ä Ḁ 😀' },
      { kind: 'quote', literal: "'O''Brien'", expected: "O'Brien" },
    ],
  },
  {
    dbType: 'StringFixedLength',
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
      { kind: 'max', literal: "'23:59:59.999999'", expected: '23:59:59.999999' },
    ],
  },
  {
    dbType: 'DateTime',
    columnType: 'timestamp',
    samples: [
      { kind: 'typical', literal: "'2024-02-29 13:45:30.123'", expected: date('2024-02-29T13:45:30.123Z') },
      { kind: 'min', literal: "'0001-01-01 00:00:00'", expected: date('0001-01-01T00:00:00.000Z') },
      { kind: 'max', literal: "'9999-12-31 23:59:59.999'", expected: date('9999-12-31T23:59:59.999Z') },
    ],
  },
  {
    dbType: 'DateTimeOffset',
    columnType: 'timestamptz',
    samples: [
      { kind: 'with offset', literal: "'2024-02-29 15:45:30.123+02'", expected: date('2024-02-29T13:45:30.123Z') },
      { kind: 'epoch', literal: "'1970-01-01 00:00:00+00'", expected: date('1970-01-01T00:00:00.000Z') },
    ],
  },
  {
    dbType: 'Guid',
    columnType: 'uuid',
    samples: [
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
    ],
  },
  {
    dbType: 'Binary',
    columnType: 'bytea',
    samples: [
      { kind: 'typical', literal: "decode('01020304', 'hex')", expected: new Uint8Array([1, 2, 3, 4]) },
      { kind: 'empty', literal: "decode('', 'hex')", expected: new Uint8Array([]) },
      { kind: 'extremes', literal: "decode('00ff', 'hex')", expected: new Uint8Array([0, 255]) },
    ],
  },
  {
    dbType: 'Json',
    columnType: 'jsonb',
    samples: [
      { kind: 'object', literal: `'{"a": 1, "b": [true, null, "x"]}'`, expected: { a: 1, b: [true, null, 'x'] } },
      { kind: 'array', literal: `'[1, 2.5, "three"]'`, expected: [1, 2.5, 'three'] },
    ],
  },
  {
    dbType: 'Xml',
    columnType: 'xml',
    samples: [{ kind: 'element', literal: "'<a>1</a>'", expected: '<a>1</a>' }],
  },
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
