import { describe, expect, it } from 'vitest';
import type { TdsColumn, TdsValue } from '../../engine/engine-types.js';
import { parseTokens } from '../../testing/tedious-tokens.js';
import { ValueEncodeError } from '../value-error.js';
import { encodeColMetadata, encodeRow, planColumns } from './result-tokens.js';

/** Encodes one column and one row, and returns what tedious reads back. */
async function roundTrip(column: TdsColumn, value: TdsValue): Promise<unknown> {
  const plans = planColumns([column]);
  const tokens = await parseTokens([encodeColMetadata(plans), encodeRow(plans, [value])]);
  return (tokens[1]!.columns as Array<{ value: unknown }>)[0]!.value;
}

describe('COLMETADATA and ROW / NBCROW as tedious reads them', () => {
  it('encodes decimals exactly at every precision band, rounding to the scale', async () => {
    const dec = (precision: number, scale: number): TdsColumn => ({
      name: 'd',
      type: 'decimal',
      precision,
      scale,
      nullable: true,
    });
    expect(await roundTrip(dec(9, 2), '1234567.891')).toBe(1234567.89);
    expect(await roundTrip(dec(9, 2), '-0.005')).toBe(-0.01);
    expect(await roundTrip(dec(19, 0), '-9223372036854775807')).toBe(-9223372036854775807);
    expect(await roundTrip(dec(28, 4), '123456789012345678.1234')).toBeCloseTo(123456789012345678.1234, -2);
    expect(await roundTrip(dec(38, 0), '99999999999999999999999999999999999999')).toBe(1e38);
    expect(await roundTrip({ name: 'n', type: 'numeric', nullable: true }, 42)).toBe(42); // default decimal(18, 0)
    await expect(roundTrip(dec(9, 0), '99999999999')).rejects.toThrow(ValueEncodeError);
  });

  it('encodes money at the int64 limits', async () => {
    const money: TdsColumn = { name: 'm', type: 'money', nullable: true };
    expect(await roundTrip(money, '922337203685477.5807')).toBe(922337203685477.6);
    expect(await roundTrip(money, '-922337203685477.5808')).toBe(-922337203685477.6);
    expect(await roundTrip(money, 0.0001)).toBe(0.0001);
    await expect(roundTrip(money, '922337203685477.5808')).rejects.toThrow(ValueEncodeError);
  });

  it('encodes time and datetime2 at every scale', async () => {
    for (let scale = 0; scale <= 7; scale++) {
      const time = (await roundTrip({ name: 't', type: 'time', scale, nullable: true }, '01:02:03.4567891')) as Date;
      const expectedMs = 3723000 + (Math.round(4567891 / 10 ** (7 - scale)) * 10 ** (7 - scale)) / 10_000;
      expect(time.getTime()).toBe(Math.floor(expectedMs));
      const stamp = (await roundTrip(
        { name: 'd', type: 'datetime2', scale, nullable: true },
        new Date('2020-02-29T01:02:03.456Z'),
      )) as Date;
      expect(stamp.getTime()).toBe(
        new Date('2020-02-29T01:02:03.456Z').getTime() -
          (scale < 3 ? 456 - Math.round(456 / 10 ** (3 - scale)) * 10 ** (3 - scale) : 0),
      );
    }
  });

  it('writes datetimeoffset as UTC plus the offset, and accepts a Date or an ISO string', async () => {
    const column: TdsColumn = { name: 'o', type: 'datetimeoffset', scale: 3, nullable: true };
    const instant = new Date('2024-01-01T12:00:00.250Z');
    expect(await roundTrip(column, { date: instant, offsetMinutes: -330 })).toEqual(instant);
    expect(await roundTrip(column, instant)).toEqual(instant);
    expect(await roundTrip({ name: 'd', type: 'datetime2', nullable: true }, '2024-01-01T12:00:00.250Z')).toEqual(
      instant,
    );
    await expect(roundTrip(column, { date: instant, offsetMinutes: 15 * 60 })).rejects.toThrow(/out of range/);
  });

  it('encodes strings and binaries of the edge lengths, MAX as PLP', async () => {
    expect(await roundTrip({ name: 's', type: 'nvarchar', length: -1, nullable: true }, '')).toBe('');
    expect(await roundTrip({ name: 's', type: 'nvarchar', length: 4000, nullable: true }, 'é'.repeat(4000))).toBe(
      'é'.repeat(4000),
    );
    expect(await roundTrip({ name: 's', type: 'varchar', nullable: true }, 'ünïcode')).toBe('ünïcode'); // no length → MAX
    expect(await roundTrip({ name: 'b', type: 'varbinary', length: -1, nullable: true }, Buffer.alloc(0))).toEqual(
      Buffer.alloc(0),
    );
    expect(await roundTrip({ name: 'x', type: 'xml', nullable: true }, '')).toBe('');
    expect(await roundTrip({ name: 'n', type: 'nvarchar', length: 10, nullable: true }, 12)).toBe('12');
    await expect(
      roundTrip({ name: 'b', type: 'varbinary', length: 10, nullable: true }, Buffer.alloc(70_000)),
    ).rejects.toThrow(/do not fit a non-MAX column/);
    await expect(roundTrip({ name: 'b', type: 'varbinary', length: 10, nullable: true }, 'text')).rejects.toThrow(
      /expects a Buffer, got string/,
    );
  });

  it('accepts lenient integer and bit inputs and refuses out-of-range ones', async () => {
    expect(await roundTrip({ name: 'i', type: 'int', nullable: true }, '-17')).toBe(-17);
    expect(await roundTrip({ name: 'i', type: 'bigint', nullable: true }, -9223372036854775808n)).toBe(
      '-9223372036854775808',
    );
    expect(await roundTrip({ name: 'b', type: 'bit', nullable: true }, 0)).toBe(false);
    expect(await roundTrip({ name: 'b', type: 'bit', nullable: true }, 'true')).toBe(true);
    await expect(roundTrip({ name: 'i', type: 'smallint', nullable: true }, 40000)).rejects.toThrow(
      /out of range for smallint/,
    );
    await expect(roundTrip({ name: 'i', type: 'int', nullable: true }, 1.5)).rejects.toThrow(/expects an integer/);
  });

  it('writes the NBCROW null bitmap across byte boundaries', async () => {
    const columns: TdsColumn[] = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, type: 'int', nullable: true }));
    const values = columns.map((_, i) => (i % 3 === 0 ? null : i));
    const plans = planColumns(columns);
    const row = encodeRow(plans, values);
    expect(row[0]).toBe(0xd2);
    const tokens = await parseTokens([encodeColMetadata(plans), row]);
    expect(tokens[1]!.name).toBe('NBCROW');
    expect((tokens[1]!.columns as Array<{ value: unknown }>).map((c) => c.value)).toEqual(values);
  });

  it('writes identity and nullability flags and a ROW when nothing is NULL', async () => {
    const plans = planColumns([
      { name: 'id', type: 'int', nullable: false, identity: true },
      { name: 'v', type: 'nvarchar', length: 5, nullable: true },
    ]);
    const tokens = await parseTokens([encodeColMetadata(plans), encodeRow(plans, [1, 'x'])]);
    const columns = tokens[0]!.columns as Array<{ flags: number; colName: string }>;
    expect(columns.map((c) => [c.colName, c.flags])).toEqual([
      ['id', 0x10],
      ['v', 0x09],
    ]);
    expect(tokens[1]!.name).toBe('ROW');
  });

  it('refuses rows that do not match the columns and unknown types', () => {
    const plans = planColumns([{ name: 'a', type: 'int', nullable: true }]);
    expect(() => encodeRow(plans, [1, 2])).toThrow(/2 values for 1 columns/);
    expect(() => planColumns([{ name: 'a', type: 'geography' as never, nullable: true }])).toThrow(
      /unknown type 'geography'/,
    );
    expect(() => planColumns([{ name: 'a', type: 'decimal', precision: 40, nullable: true }])).toThrow(
      ValueEncodeError,
    );
  });
});
