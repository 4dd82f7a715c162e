import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MysqlDriverConnection } from './mysql-driver.js';
import { mysqlProtocolParts } from './mysql-protocol-parts.js';
import { MysqlStatementStream, type StatementItem } from './mysql-statement-stream.js';
import { fitsTextQuery, MysqlTextQuery, startTextQuery, type TextQueryCache } from './mysql-text-query.js';

/** mysql2's own packet class, so the command reads exactly what mysql2's parser hands it. */
const requireHere = createRequire(import.meta.url);
const Packet = requireHere(join(dirname(requireHere.resolve('mysql2')), 'lib', 'packets', 'packet.js')) as new (
  id: number,
  buffer: Buffer,
  start: number,
  end: number,
) => unknown;

const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_QUERY_ATTRIBUTES = 0x08000000;
const UTF8MB4 = 45;

/** A length-encoded string (short ones only: these tests never need more). */
function lenenc(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function packet(payload: Buffer, sequenceId = 1): unknown {
  const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, sequenceId]);
  const buffer = Buffer.concat([header, payload]);
  return new Packet(sequenceId, buffer, 0, buffer.length);
}

const u16 = (value: number): number[] => [value & 0xff, value >> 8];
const ok = (affected: number, status = 2, warnings = 0): unknown =>
  packet(Buffer.from([0, affected, 0, ...u16(status), ...u16(warnings)]));
const eof = (status = 2, warnings = 0): unknown => packet(Buffer.from([0xfe, ...u16(warnings), ...u16(status)]));
const error = (code: number, message: string): unknown =>
  packet(Buffer.concat([Buffer.from([0xff, ...u16(code)]), Buffer.from(`#42S02${message}`)]));
const columnCount = (count: number): unknown => packet(Buffer.from([count]));
const row = (...values: string[]): unknown => packet(Buffer.concat(values.map(lenenc)));
/** A column definition (ColumnDefinition41) of protocol type `type`. */
function column(name: string, type: number): unknown {
  return packet(
    Buffer.concat([
      lenenc('def'),
      lenenc('test'),
      lenenc('t'),
      lenenc('t'),
      lenenc(name),
      lenenc(name),
      Buffer.from([0x0c, ...u16(UTF8MB4), 11, 0, 0, 0, type, 0, 0, 0, 0, 0]),
    ]),
  );
}

/** The members of a mysql2 connection a text query uses, recording what it writes and queues. */
class FakeMysql2 {
  readonly written: Buffer[] = [];
  readonly commands: MysqlTextQuery[] = [];
  readonly protocolErrors: string[] = [];
  sequenceId = 7;
  serverCapabilityFlags = CLIENT_PROTOCOL_41;
  readonly clientEncoding = 'utf8';
  readonly serverEncoding = 'utf8';
  readonly _handshakePacket = { capabilityFlags: CLIENT_PROTOCOL_41 };
  readonly config: Record<string, unknown> = {
    clientFlags: CLIENT_PROTOCOL_41 | CLIENT_QUERY_ATTRIBUTES,
    charsetNumber: UTF8MB4,
    rowsAsArray: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
  };
  _resetSequenceId(): void {
    this.sequenceId = 0;
  }
  write(buffer: Buffer): void {
    this.written.push(buffer);
  }
  addCommand(command: MysqlTextQuery): void {
    this.commands.push(command);
  }
  protocolError(message: string): void {
    this.protocolErrors.push(message);
  }
}

const noFlow = { pause: () => undefined, resume: () => undefined };

/** Starts `sql` on a fake connection; `feed` hands it reply packets as mysql2 would and tells when it is over. */
function start(sql: string, fake = new FakeMysql2(), cache: TextQueryCache = { textOptions: undefined, shapes: undefined }) {
  const stream = new MysqlStatementStream(noFlow, 1000);
  startTextQuery(fake as unknown as MysqlDriverConnection, sql, stream, cache);
  const command = fake.commands[fake.commands.length - 1]!;
  // mysql2 starts a queued command by calling execute without a packet.
  expect(command.execute(undefined, fake as never)).toBe(false);
  const feed = (...packets: unknown[]): boolean[] => packets.map((p) => command.execute(p as never, fake as never));
  const items = (): StatementItem[] => {
    const taken: StatementItem[] = [];
    for (let item = stream.take(); item !== undefined; item = stream.take()) taken.push(item);
    return taken;
  };
  return { fake, stream, command, feed, items };
}

describe('MysqlTextQuery', () => {
  it('writes one COM_QUERY packet with the next sequence id, in UTF-8, with the query-attributes prefix when agreed', () => {
    const fake = new FakeMysql2();
    fake.serverCapabilityFlags |= CLIENT_QUERY_ATTRIBUTES;
    start('SELECT "é"', fake);
    const payload = Buffer.concat([Buffer.from([3, 0, 1]), Buffer.from('SELECT "é"', 'utf8')]);
    expect(fake.written).toEqual([Buffer.concat([Buffer.from([payload.length, 0, 0, 0]), payload])]);
    expect(fake.sequenceId).toBe(1);
  });

  it('writes no attribute prefix when the server does not offer query attributes (MariaDB)', () => {
    const { fake } = start('DO 1');
    expect(fake.written[0]).toEqual(Buffer.from([5, 0, 0, 0, 3, ...Buffer.from('DO 1')]));
  });

  it('reads an OK packet as mysql2 reports it: fields undefined, then the packet, then the end', () => {
    const { feed, items, stream } = start('DELETE FROM t');
    expect(feed(ok(3))).toEqual([true]);
    const [columns, result, end] = items();
    expect(columns).toEqual({ kind: 'ok', packet: expect.objectContaining({ affectedRows: 3, serverStatus: 2 }) });
    expect(result).toEqual({ kind: 'end' });
    expect(end).toBeUndefined();
    expect(stream.finished).toBe(true);
    expect(stream.serverStatus).toBe(2);
  });

  it('reads a result set: columns, rows converted by mysql2 row parser, and the EOF packet that ends it', () => {
    const { feed, items, stream } = start('SELECT id, name FROM t');
    const done = feed(columnCount(2), column('id', 3), column('name', 253), eof(), row('42', 'abc'), row('7', 'x'), eof(34, 3));
    expect(done).toEqual([false, false, false, false, false, false, true]);
    // The final EOF packet's warning count and status are the statement's.
    expect(stream.warningCount).toBe(3);
    expect(stream.serverStatus).toBe(34);
    const taken = items();
    expect(taken.map((item) => item.kind)).toEqual(['columns', 'row', 'row', 'end']);
    expect((taken[0] as unknown as { fields: Array<{ name: string }> }).fields.map((field) => field.name)).toEqual(['id', 'name']);
    expect(taken.slice(1, 3)).toEqual([
      { kind: 'row', row: [42, 'abc'] },
      { kind: 'row', row: [7, 'x'] },
    ]);
  });

  it('reads every result of a reply with several (SERVER_MORE_RESULTS_EXISTS) before it ends', () => {
    const { feed, items } = start('CALL p()');
    const done = feed(columnCount(1), column('a', 3), eof(), row('1'), eof(2 | 8), ok(0, 2));
    expect(done).toEqual([false, false, false, false, false, true]);
    expect(items().map((item) => item.kind)).toEqual(['columns', 'row', 'ok', 'end']);
  });

  it('ends with the server error, carrying the SQL as mysql2 errors do', () => {
    const { feed, stream } = start('SELECT * FROM missing');
    expect(feed(error(1146, "Table 'test.missing' doesn't exist"))).toEqual([true]);
    expect(stream.failure).toMatchObject({ errno: 1146, sqlState: '42S02', sql: 'SELECT * FROM missing' });
    expect(stream.failure?.message).toBe("Table 'test.missing' doesn't exist");
  });

  it('fails when the connection fails under it (mysql2 calls onResult)', () => {
    const { command, stream } = start('SELECT SLEEP(10)');
    const lost = new Error('Connection lost: The server closed the connection.');
    command.onResult(lost);
    expect(stream.failure).toBe(lost);
  });

  it('refuses a LOCAL INFILE request with an empty packet and fails once the server ends the statement', () => {
    const { feed, fake, stream } = start("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t");
    fake.sequenceId = 2;
    const infileRequest = packet(Buffer.concat([Buffer.from([0xfb]), Buffer.from('/etc/passwd')]));
    expect(feed(infileRequest)).toEqual([false]);
    expect(fake.written[1]).toEqual(Buffer.from([0, 0, 0, 2]));
    expect(feed(ok(0))).toEqual([true]);
    expect(stream.failure?.message).toMatch(/local file/);
  });

  it('reports a broken reply (no EOF after the column definitions) as a protocol error', () => {
    const { feed, fake } = start('SELECT 1');
    expect(feed(columnCount(1), column('a', 3), row('1'))).toEqual([false, false, true]);
    expect(fake.protocolErrors).toEqual(['Expected EOF packet']);
  });

  it('reads columns named like Object.prototype members (`__proto__`) with mysql2 static parser', () => {
    const { feed, items } = start('SELECT 1 AS __proto__');
    feed(columnCount(2), column('__proto__', 3), column('constructor', 3), eof(), row('1', '2'), eof());
    expect(items().filter((item) => item.kind === 'row')).toEqual([{ kind: 'row', row: [1, 2] }]);
  });

  it('skips the rest of a result whose row cannot be read, keeping the connection in step, then fails', () => {
    const { feed, items, stream } = start('SELECT j FROM t');
    // A JSON column (type 245) holding an invalid document: mysql2's parser throws on JSON.parse.
    const done = feed(columnCount(1), column('j', 245), eof(), row('{not json'), row('{}'), eof());
    expect(done).toEqual([false, false, false, false, false, true]);
    expect(items().filter((item) => item.kind === 'row')).toEqual([]);
    expect(stream.failure).toBeInstanceOf(Error);
  });
});

describe('MysqlTextQuery column definitions remembered per statement (ShapeMemo)', () => {
  /** Runs `sql` with `columns` on the connection of `cache`; the fields array the stream received. */
  function fieldsOf(cache: TextQueryCache, sql: string, columns: unknown[], values: string[]): unknown {
    const { feed, items } = start(sql, new FakeMysql2(), cache);
    feed(columnCount(columns.length), ...columns, eof(), row(...values), eof());
    const taken = items();
    expect(taken.find((item) => item.kind === 'row')).toEqual({ kind: 'row', row: values.map(Number) });
    return (taken[0] as { fields: unknown }).fields;
  }

  it('hands over the same fields again when a statement returns byte-identical column definitions', () => {
    const cache: TextQueryCache = { textOptions: undefined, shapes: undefined };
    const first = fieldsOf(cache, 'SELECT a, b FROM t', [column('a', 3), column('b', 3)], ['1', '2']);
    const again = fieldsOf(cache, 'SELECT a, b FROM t', [column('a', 3), column('b', 3)], ['3', '4']);
    expect(again).toBe(first);
  });

  it('reads the definitions afresh when one differs (ALTER TABLE), keeping the ones before it', () => {
    const cache: TextQueryCache = { textOptions: undefined, shapes: undefined };
    const first = fieldsOf(cache, 'SELECT a, b FROM t', [column('a', 3), column('b', 3)], ['1', '2']) as unknown[];
    // b is now a DOUBLE: the row parser must read it as one.
    const altered = fieldsOf(cache, 'SELECT a, b FROM t', [column('a', 3), column('b', 5)], ['1', '2.5']) as Array<{
      columnType: number;
    }>;
    expect(altered).not.toBe(first);
    expect(altered[0]).toBe(first[0]);
    expect(altered[1]!.columnType).toBe(5);
    // And that is what is remembered now.
    expect(fieldsOf(cache, 'SELECT a, b FROM t', [column('a', 3), column('b', 5)], ['7', '0.5'])).toBe(altered);
  });

  it("keeps copies of the remembered definitions, not the socket's chunk they arrived in", () => {
    const cache: TextQueryCache = { textOptions: undefined, shapes: undefined };
    // The column definition sits at the start of a 64 KB chunk, as a read from the socket hands it over.
    const definition = column('a', 3) as { buffer: Buffer; start: number; end: number };
    const bytes = definition.buffer.subarray(definition.start, definition.end);
    const chunk = Buffer.alloc(65_536);
    bytes.copy(chunk, 0);
    const inChunk = new Packet(1, chunk, 0, bytes.length);
    const fields = fieldsOf(cache, 'SELECT a FROM big', [inChunk], ['1']) as Array<{ _buf?: Buffer; name: string }>;
    expect(fields[0]!.name).toBe('a');
    expect(fields[0]!._buf?.length).toBe(bytes.length);
    // And the copy is what the next run is compared with.
    expect(fieldsOf(cache, 'SELECT a FROM big', [column('a', 3)], ['2'])).toBe(fields);
  });

  it('does not mix statements, connections or a column count that changed', () => {
    const one: TextQueryCache = { textOptions: undefined, shapes: undefined };
    const other: TextQueryCache = { textOptions: undefined, shapes: undefined };
    const first = fieldsOf(one, 'SELECT a FROM t', [column('a', 3)], ['1']);
    expect(fieldsOf(one, 'SELECT a FROM u', [column('a', 3)], ['1'])).not.toBe(first);
    expect(fieldsOf(other, 'SELECT a FROM t', [column('a', 3)], ['1'])).not.toBe(first);
    expect(fieldsOf(one, 'SELECT a FROM t', [column('a', 3), column('b', 3)], ['1', '2'])).not.toBe(first);
  });
});

describe('fitsTextQuery', () => {
  const fits = (fake: FakeMysql2, sql = 'SELECT 1'): boolean =>
    fitsTextQuery(fake as unknown as MysqlDriverConnection, sql);

  it('is true for a mysql2 connection as the provider opens them', () => {
    expect(mysqlProtocolParts).toBeDefined();
    expect(fits(new FakeMysql2())).toBe(true);
  });

  it('is false with compression or debug framing, for a statement too long for one packet, or another shape', () => {
    const compressed = new FakeMysql2();
    compressed.config['compress'] = true;
    const debug = new FakeMysql2();
    debug.config['debug'] = true;
    expect(fits(compressed)).toBe(false);
    expect(fits(debug)).toBe(false);
    expect(fits(new FakeMysql2(), 'x'.repeat(5_000_000))).toBe(false);
    expect(fitsTextQuery({} as MysqlDriverConnection, 'SELECT 1')).toBe(false);
  });

  it('is false for a character set Node cannot encode (mysql2 encodes those itself)', () => {
    const sjis = new FakeMysql2();
    // sjis_japanese_ci: mysql2 encodes it with iconv-lite; Buffer has no such encoding.
    sjis.config['charsetNumber'] = 13;
    expect(fits(sjis)).toBe(false);
    const latin1 = new FakeMysql2();
    latin1.config['charsetNumber'] = 8;
    expect(fits(latin1)).toBe(true);
  });
});
