import {
  BOOLEAN_SAMPLES,
  BYTE_SAMPLES,
  checkedSessionId,
  INT16_EXTREMES,
  INT32_SAMPLES,
  INT64_EXTREMES,
  plainStringSamples,
  portableDeadlock,
  type ConformanceFixture,
  type ValueTypeCase,
} from '@asyncdb/testkit';

/** Which server the suite runs against: the few differences between them are below. */
export type MysqlFlavor = 'mariadb' | 'mysql';

const bytes = (...values: number[]): Buffer => Buffer.from(values);

/** A connection (thread) id to inline into SQL, checked first. */
const threadId = (sessionId: string | number): number => checkedSessionId(sessionId, 'MySQL connection id');

/**
 * The value cases both servers share (docs/values.md as the README's type table states it for MySQL/MariaDB): the
 * testkit's shared samples where MySQL stores the same values, its own elsewhere (DATE and DATETIME start at year
 * 1000, TIMESTAMP ends in 2038, CHAR reads without its padding, FLOAT rejects FLT_MAX written as a literal).
 */
const COMMON_VALUES: readonly ValueTypeCase[] = [
  { dbType: 'Boolean', columnType: 'BOOLEAN', samples: BOOLEAN_SAMPLES },
  { dbType: 'Byte', columnType: 'TINYINT UNSIGNED', samples: BYTE_SAMPLES },
  {
    dbType: 'SByte',
    columnType: 'TINYINT',
    samples: [
      { kind: 'min', literal: '-128', expected: -128 },
      { kind: 'max', literal: '127', expected: 127 },
    ],
  },
  { dbType: 'Int16', columnType: 'SMALLINT', samples: INT16_EXTREMES },
  { dbType: 'Int32', columnType: 'INT', samples: INT32_SAMPLES },
  {
    dbType: 'Int64',
    columnType: 'BIGINT',
    samples: [...INT64_EXTREMES, { kind: 'beyond 2^53', literal: '9007199254740993', expected: 9007199254740993n }],
  },
  {
    dbType: 'Decimal',
    columnType: 'DECIMAL(20,4)',
    samples: [
      { kind: 'typical', literal: '12345.6789', expected: '12345.6789' },
      { kind: 'negative', literal: '-0.0001', expected: '-0.0001' },
      { kind: 'max', literal: '9999999999999999.9999', expected: '9999999999999999.9999' },
      { kind: 'zero', literal: '0', expected: '0.0000' },
    ],
  },
  {
    dbType: 'Single',
    columnType: 'FLOAT',
    samples: [
      { kind: 'typical', literal: '1.5', expected: 1.5 },
      { kind: 'not exact in binary', literal: '-0.1', expected: -0.1 },
      // FLT_MAX (3.4028234663852886e38) itself is "out of range" when written as a decimal literal.
      { kind: 'large', literal: '3.40282e38', expected: 3.40282e38 },
    ],
  },
  {
    dbType: 'Double',
    columnType: 'DOUBLE',
    samples: [
      { kind: 'typical', literal: '0.1', expected: 0.1 },
      { kind: 'max', literal: '1.7976931348623157e308', expected: 1.7976931348623157e308 },
      { kind: 'min normal', literal: '-2.2250738585072014e-308', expected: -2.2250738585072014e-308 },
    ],
  },
  {
    dbType: 'String',
    columnType: 'VARCHAR(100)',
    samples: [
      ...plainStringSamples(),
      { kind: 'unicode', literal: "'héllo wörld ✓ 😀'", expected: 'héllo wörld ✓ 😀' },
      { kind: 'quotes and backslash', literal: "'it''s a \\\\ path'", expected: "it's a \\ path" },
    ],
  },
  {
    dbType: 'StringFixedLength',
    columnType: 'CHAR(5)',
    samples: [
      // MySQL strips the padding of CHAR values when reading them (unless PAD_CHAR_TO_FULL_LENGTH).
      { kind: 'short', literal: "'ab'", expected: 'ab' },
      { kind: 'full', literal: "'abcde'", expected: 'abcde' },
    ],
  },
  {
    dbType: 'Date',
    columnType: 'DATE',
    samples: [
      { kind: 'leap day', literal: "'2024-02-29'", expected: '2024-02-29' },
      { kind: 'min', literal: "'1000-01-01'", expected: '1000-01-01' },
      { kind: 'max', literal: "'9999-12-31'", expected: '9999-12-31' },
    ],
  },
  {
    dbType: 'Time',
    columnType: 'TIME(6)',
    samples: [
      { kind: 'typical', literal: "'12:34:56.5'", expected: '12:34:56.5' },
      { kind: 'microseconds', literal: "'23:59:59.000001'", expected: '23:59:59.000001' },
      { kind: 'midnight', literal: "'00:00:00'", expected: '00:00:00' },
    ],
  },
  {
    dbType: 'DateTime',
    columnType: 'DATETIME(3)',
    samples: [
      { kind: 'typical', literal: "'2024-02-29 13:14:15.678'", expected: new Date('2024-02-29T13:14:15.678Z') },
      { kind: 'min', literal: "'1000-01-01 00:00:00'", expected: new Date('1000-01-01T00:00:00.000Z') },
      { kind: 'max', literal: "'9999-12-31 23:59:59.999'", expected: new Date('9999-12-31T23:59:59.999Z') },
    ],
  },
  {
    dbType: 'DateTimeOffset',
    columnType: 'TIMESTAMP(3)',
    samples: [
      { kind: 'typical', literal: "'2024-02-29 13:14:15.678'", expected: new Date('2024-02-29T13:14:15.678Z') },
      { kind: 'min', literal: "'1970-01-01 00:00:01'", expected: new Date('1970-01-01T00:00:01.000Z') },
      { kind: 'max', literal: "'2038-01-19 03:14:07.999'", expected: new Date('2038-01-19T03:14:07.999Z') },
    ],
  },
  {
    dbType: 'Binary',
    columnType: 'VARBINARY(100)',
    samples: [
      { kind: 'typical', literal: "X'0102FF'", expected: bytes(1, 2, 255) },
      { kind: 'empty', literal: "X''", expected: bytes() },
      { kind: 'zero bytes', literal: "X'000000'", expected: bytes(0, 0, 0) },
    ],
  },
  {
    dbType: 'Json',
    columnType: 'JSON',
    samples: [
      {
        kind: 'object',
        literal: `'{"a": [1, 2, {"b": null}], "c": "d"}'`,
        expected: { a: [1, 2, { b: null }], c: 'd' },
      },
      { kind: 'array', literal: "'[true, false, 1.5]'", expected: [true, false, 1.5] },
      { kind: 'unicode', literal: `'{"s": "✓ 😀"}'`, expected: { s: '✓ 😀' } },
    ],
  },
];

/** MariaDB's UUID type (10.7+); MySQL stores UUIDs in CHAR(36) or BINARY(16) and has no Guid column. */
const MARIADB_VALUES: readonly ValueTypeCase[] = [
  {
    dbType: 'Guid',
    columnType: 'UUID',
    samples: [
      {
        kind: 'typical',
        literal: "'6ccd780c-baba-1026-9564-5b8c656024db'",
        expected: '6ccd780c-baba-1026-9564-5b8c656024db',
      },
      {
        kind: 'upper case in',
        literal: "'6CCD780C-BABA-1026-9564-5B8C656024DB'",
        expected: '6ccd780c-baba-1026-9564-5b8c656024db',
      },
    ],
  },
];

/**
 * A statement returning `count` rows, `n` 1…count in order and a 200-character payload. MariaDB's SEQUENCE engine
 * streams them in key order without materialising anything (a recursive CTE of 2 000 000 rows takes ~25 s to send
 * its first row here). MySQL has no such engine: a recursive CTE with its depth limit (1000 by default) raised for
 * the statement.
 */
function generateRows(flavor: MysqlFlavor, count: number): string {
  if (flavor === 'mariadb') return `SELECT seq AS n, REPEAT('x', 200) AS payload FROM seq_1_to_${count} ORDER BY seq`;
  return (
    `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${count}) ` +
    `SELECT /*+ SET_VAR(cte_max_recursion_depth = ${count}) */ n, REPEAT('x', 200) AS payload FROM seq ORDER BY n`
  );
}

/**
 * The conformance fixture for MySQL and MariaDB. MariaDB shows the isolation level of the transaction in progress
 * nowhere but information_schema.INNODB_TRX (`@@tx_isolation` is the session's default, not the level `SET
 * TRANSACTION` gave the next transaction), which lists a transaction only once it touched InnoDB and is refreshed
 * at most every 100 ms: the recipe reads an InnoDB table, waits 0.11 s, then asks.
 */
export function mysqlFixture(flavor: MysqlFlavor): ConformanceFixture {
  return {
    engine: flavor === 'mariadb' ? 'MariaDB' : 'MySQL',
    keywords: { host: 'Server', port: 'Port', database: 'Database', user: 'User ID', password: 'Password' },
    ddl: {
      integer: 'INT',
      text: 'VARCHAR(100)',
      createTable: (name, body) => `CREATE TABLE ${name} (${body}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
      dropTable: (name) => `DROP TABLE IF EXISTS ${name}`,
    },
    sql: {
      sleep: (seconds) => `SELECT SLEEP(${seconds})`,
      // 10^12 SHA1 computations; BENCHMARK checks for KILL QUERY between iterations.
      busy: "SELECT BENCHMARK(1000000000000, SHA1('asyncdb'))",
      generateRows: (count) => generateRows(flavor, count),
      infoMessage: "SELECT CAST('not a number' AS SIGNED) AS v",
    },
    session: {
      currentSessionId: 'SELECT CONNECTION_ID()',
      activeStatement: (sessionId) =>
        `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${threadId(sessionId)}`,
      kill: (sessionId) => `KILL ${threadId(sessionId)}`,
    },
    sessionState: {
      change: "SET SESSION sql_mode = 'NO_ZERO_DATE'",
      read: 'SELECT @@SESSION.sql_mode',
    },
    isolation: {
      read:
        'SELECT COUNT(*) INTO @asyncdb_ignored FROM mysql.innodb_index_stats; DO SLEEP(0.11); ' +
        'SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()',
      names: {
        ReadUncommitted: 'READ UNCOMMITTED',
        ReadCommitted: 'READ COMMITTED',
        RepeatableRead: 'REPEATABLE READ',
        Serializable: 'SERIALIZABLE',
      },
    },
    values: flavor === 'mariadb' ? [...COMMON_VALUES, ...MARIADB_VALUES] : COMMON_VALUES,
    errorCodes: {
      uniqueViolation: { sqlState: '23000', providerCode: 1062 },
      foreignKeyViolation: { sqlState: '23000', providerCode: 1452 },
      notNullViolation: { sqlState: '23000', providerCode: 1048 },
      checkViolation:
        flavor === 'mariadb' ? { sqlState: '23000', providerCode: 4025 } : { sqlState: 'HY000', providerCode: 3819 },
      syntaxError: { sqlState: '42000', providerCode: 1064 },
      undefinedTable: { sqlState: '42S02', providerCode: 1146 },
      deadlock: { sqlState: '40001', providerCode: 1213 },
    },
    deadlock: portableDeadlock,
  };
}
