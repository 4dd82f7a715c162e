import { describe, expect, it } from 'vitest';
import type { TdsColumn } from '../engine-types.js';
import { tdsColumnFor } from './pg-column-map.js';
import { mapPgError } from './pg-error-map.js';
import { PgOid } from './pg-oids.js';
import { toPgParam } from './pg-param.js';
import { parseTimestamp, tdsValueFor, timeText } from './pg-value-map.js';

const col = (type: TdsColumn['type'], extra: Partial<TdsColumn> = {}): TdsColumn => ({ name: '', type, nullable: true, ...extra });
const situation = { verb: 'insert' as const, database: 'db', spid: 42 };

describe('tdsColumnFor', () => {
  it.each<[string, number, number, Partial<TdsColumn>]>([
    ['numeric(10,2)', PgOid.numeric, ((10 << 16) | 2) + 4, { type: 'decimal', precision: 10, scale: 2 }],
    ['varchar(20)', PgOid.varchar, 24, { type: 'nvarchar', length: 20 }],
    ['text', PgOid.text, -1, { type: 'nvarchar', length: -1 }],
    ['bpchar(3)', PgOid.bpchar, 7, { type: 'nchar', length: 3 }],
    ['timestamp(3)', PgOid.timestamp, 3, { type: 'datetime2', scale: 3 }],
    ['timestamptz', PgOid.timestamptz, -1, { type: 'datetimeoffset', scale: 7 }],
    ['bytea', PgOid.bytea, -1, { type: 'varbinary', length: -1 }],
    ['interval (unknown)', 1186, -1, { type: 'nvarchar', length: -1 }],
  ])('%s', (_label, dataTypeID, dataTypeModifier, expected) => {
    expect(tdsColumnFor({ name: 'c', dataTypeID, dataTypeModifier })).toMatchObject({ name: 'c', ...expected });
  });

  it('names ?column? as the empty name and sizes unconstrained numerics by their values', () => {
    expect(tdsColumnFor({ name: '?column?', dataTypeID: PgOid.numeric, dataTypeModifier: -1 }, ['1.5', '-123.4567', null])).toEqual(col('decimal', { precision: 38, scale: 4 }));
  });
});

describe('tdsValueFor and toPgParam', () => {
  it('reads PostgreSQL text as seam values', () => {
    expect(tdsValueFor(col('bigint'), '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(tdsValueFor(col('bit'), 't')).toBe(true);
    expect(tdsValueFor(col('varbinary'), '\\x00ff')).toEqual(Buffer.from([0, 255]));
    expect(tdsValueFor(col('time'), '01:02:03.45')).toBe('01:02:03.4500000');
    expect(tdsValueFor(col('datetime2'), '0001-01-01 00:00:00')).toEqual(new Date('0001-01-01T00:00:00Z'));
    expect(tdsValueFor(col('datetimeoffset'), '2024-01-02 03:04:05.678+05:30')).toEqual({ date: new Date('2024-01-01T21:34:05.678Z'), offsetMinutes: 330 });
    expect(tdsValueFor(col('uniqueidentifier'), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(tdsValueFor(col('decimal'), '12.500')).toBe('12.500');
    expect(tdsValueFor(col('int'), null)).toBeNull();
  });

  it('clamps infinite timestamps to the datetime2 range', () => {
    expect(parseTimestamp('infinity').date).toEqual(new Date('9999-12-31T23:59:59.999Z'));
    expect(parseTimestamp('-infinity').date).toEqual(new Date('0001-01-01T00:00:00.000Z'));
    expect(timeText('23:59:59')).toBe('23:59:59.0000000');
  });

  it('writes parameters as UTC text, whatever the process time zone', () => {
    const date = new Date('0099-03-04T05:06:07.089Z');
    expect(toPgParam(date, col('datetime2'))).toBe('0099-03-04 05:06:07.089');
    expect(toPgParam(date, col('date'))).toBe('0099-03-04');
    expect(toPgParam({ date: new Date('2024-01-01T21:34:05.678Z'), offsetMinutes: 330 }, col('datetimeoffset'))).toBe('2024-01-02 03:04:05.678+05:30');
    expect(toPgParam(1, col('bit'))).toBe('true');
    expect(toPgParam(true, col('int'))).toBe('1');
    expect(toPgParam(12345678901234567890n, col('decimal'))).toBe('12345678901234567890');
    expect(toPgParam(Buffer.from('hi'), col('varbinary'))).toEqual(Buffer.from('hi'));
    expect(toPgParam(null, col('int'))).toBeNull();
  });
});

describe('mapPgError', () => {
  it('words PostgreSQL constraint errors as SQL Server does', () => {
    expect(mapPgError({ code: '23505', message: 'dup', constraint: 't_pkey', table: 't', detail: 'Key (id)=(1) already exists.' }, situation)).toEqual({
      number: 2627,
      state: 1,
      severity: 14,
      message: "Violation of PRIMARY KEY constraint 't_pkey'. Cannot insert duplicate key in object 'dbo.t'. The duplicate key value is (1).",
    });
    expect(mapPgError({ code: '23503', message: 'fk', constraint: 'fk_c', table: 'parent', detail: 'Key (id)=(1) is still referenced from table "child".' }, { ...situation, verb: 'delete' }).message).toBe(
      'The DELETE statement conflicted with the REFERENCE constraint "fk_c". The conflict occurred in database "db", table "dbo.child", column \'id\'.',
    );
    expect(mapPgError({ code: '23502', message: 'nn', column: 'name', table: 't' }, { ...situation, verb: 'update' }).message).toBe(
      "Cannot insert the value NULL into column 'name', table 'db.dbo.t'; column does not allow nulls. UPDATE fails.",
    );
  });

  it.each<[string, string, number, number]>([
    ['42601', 'syntax error at end of input', 102, 15],
    ['42P01', 'relation "nope" does not exist', 208, 16],
    ['42703', 'column t.nope does not exist', 207, 16],
    ['40P01', 'deadlock detected', 1205, 13],
    ['57014', 'canceling statement due to statement timeout', 3980, 16],
    ['57P01', 'terminating connection due to administrator command', 596, 21],
    ['XX000', 'internal', 50000, 16],
  ])('%s → %d', (code, message, number, severity) => {
    expect(mapPgError({ code, message }, situation)).toMatchObject({ number, severity });
  });

  it('names the deadlock victim by its SPID', () => {
    expect(mapPgError({ code: '40P01', message: 'deadlock detected' }, situation).message).toMatch(/^Transaction \(Process ID 42\) was deadlocked/);
  });
});
