import type { TdsColumn } from '../engine-types.js';
import { ANONYMOUS_COLUMN } from '../translate/select.js';
import { PgOid } from './pg-oids.js';

/** The parts of a PostgreSQL RowDescription field the mapping reads (pg's `FieldDef`). */
export interface PgField {
  readonly name: string;
  readonly dataTypeID: number;
  readonly dataTypeModifier: number;
}

/** PostgreSQL keeps 6 fractional-second digits at most; unconstrained temporal columns are reported as SQL Server's default 7. */
function fraction(typmod: number): number {
  return typmod >= 0 ? typmod : 7;
}

/**
 * Describes a PostgreSQL result column as SQL Server would: int2→smallint, int4→int, int8→bigint,
 * bool→bit, float4→real, float8→float, numeric(p,s)→decimal(p,s), text→nvarchar(MAX),
 * varchar(n)→nvarchar(n), bpchar(n)→nchar(n), bytea→varbinary(MAX), date, time(p)→time(p),
 * timestamp(p)→datetime2(p), timestamptz(p)→datetimeoffset(p), uuid→uniqueidentifier, xml→xml,
 * json/jsonb and anything else → nvarchar(MAX) text.
 *
 * An unconstrained numeric (PostgreSQL's result of SUM, AVG, literals…) has no fixed scale, which TDS
 * needs; it is reported as decimal(38, s) with s the largest scale among `sample` (the first rows).
 */
export function tdsColumnFor(field: PgField, sample: readonly (string | null)[] = []): TdsColumn {
  const name = field.name === ANONYMOUS_COLUMN ? '' : field.name;
  const typmod = field.dataTypeModifier;
  const col = (type: TdsColumn['type'], extra: Partial<TdsColumn> = {}): TdsColumn => ({ name, type, nullable: true, ...extra });
  switch (field.dataTypeID) {
    case PgOid.int2:
      return col('smallint');
    case PgOid.int4:
      return col('int');
    case PgOid.int8:
    case PgOid.oid:
      return col('bigint');
    case PgOid.bool:
      return col('bit');
    case PgOid.float4:
      return col('real');
    case PgOid.float8:
      return col('float');
    case PgOid.numeric:
      if (typmod >= 4) return col('decimal', { precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff });
      return col('decimal', { precision: 38, scale: sampleScale(sample) });
    case PgOid.varchar:
      return col('nvarchar', { length: typmod >= 4 ? typmod - 4 : -1 });
    case PgOid.bpchar:
      return col('nchar', { length: typmod >= 4 ? typmod - 4 : 1 });
    case PgOid.char:
      return col('nchar', { length: 1 });
    case PgOid.name:
      return col('nvarchar', { length: 128 });
    case PgOid.bytea:
      return col('varbinary', { length: -1 });
    case PgOid.date:
      return col('date');
    case PgOid.time:
      return col('time', { scale: fraction(typmod) });
    case PgOid.timestamp:
      return col('datetime2', { scale: fraction(typmod) });
    case PgOid.timestamptz:
      return col('datetimeoffset', { scale: fraction(typmod) });
    case PgOid.uuid:
      return col('uniqueidentifier');
    case PgOid.xml:
      return col('xml');
    default:
      return col('nvarchar', { length: -1 });
  }
}

/** The scale an unconstrained numeric needs for the sampled values (at most 38 digits in all). */
function sampleScale(sample: readonly (string | null)[]): number {
  let scale = 0;
  let integer = 1;
  for (const value of sample) {
    if (value === null || !/^-?\d/.test(value)) continue;
    const [whole = '', fractional = ''] = value.replace('-', '').split('.');
    scale = Math.max(scale, fractional.length);
    integer = Math.max(integer, whole.replace(/^0+(?=\d)/, '').length);
  }
  return Math.max(0, Math.min(scale, 38 - integer));
}
