import type { DbType } from '@asyncdb/core';

/** What the provider knows about a built-in PostgreSQL type. */
export interface PgTypeInfo {
  readonly oid: number;
  /** The `pg_type.typname` (`int4`, `timestamptz`, `_int4` for arrays). */
  readonly name: string;
  readonly dbType: DbType;
  /** For array types: the element type's OID. */
  readonly elementOid?: number;
}

/** OIDs of the built-in types the provider converts (stable across PostgreSQL versions: `pg_type.dat`). */
export const PgOid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  xid: 28,
  cid: 29,
  json: 114,
  xml: 142,
  cidr: 650,
  float4: 700,
  float8: 701,
  unknown: 705,
  macaddr8: 774,
  money: 790,
  macaddr: 829,
  inet: 869,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
  refcursor: 1790,
  regclass: 2205,
  regtype: 2206,
  record: 2249,
  void: 2278,
  uuid: 2950,
  tsvector: 3614,
  jsonb: 3802,
  jsonpath: 4072,
  xid8: 5069,
} as const;

const SCALARS: ReadonlyArray<readonly [oid: number, name: string, dbType: DbType]> = [
  [PgOid.bool, 'bool', 'Boolean'],
  [PgOid.bytea, 'bytea', 'Binary'],
  [PgOid.char, 'char', 'StringFixedLength'],
  [PgOid.name, 'name', 'String'],
  [PgOid.int8, 'int8', 'Int64'],
  [PgOid.int2, 'int2', 'Int16'],
  [PgOid.int4, 'int4', 'Int32'],
  [PgOid.regproc, 'regproc', 'String'],
  [PgOid.text, 'text', 'String'],
  [PgOid.oid, 'oid', 'Int64'],
  [PgOid.xid, 'xid', 'Int64'],
  [PgOid.cid, 'cid', 'Int64'],
  [PgOid.json, 'json', 'Json'],
  [PgOid.xml, 'xml', 'Xml'],
  [PgOid.cidr, 'cidr', 'String'],
  [PgOid.float4, 'float4', 'Single'],
  [PgOid.float8, 'float8', 'Double'],
  [PgOid.unknown, 'unknown', 'String'],
  [PgOid.macaddr8, 'macaddr8', 'String'],
  [PgOid.money, 'money', 'Currency'],
  [PgOid.macaddr, 'macaddr', 'String'],
  [PgOid.inet, 'inet', 'String'],
  [PgOid.bpchar, 'bpchar', 'StringFixedLength'],
  [PgOid.varchar, 'varchar', 'String'],
  [PgOid.date, 'date', 'Date'],
  [PgOid.time, 'time', 'Time'],
  [PgOid.timestamp, 'timestamp', 'DateTime'],
  [PgOid.timestamptz, 'timestamptz', 'DateTimeOffset'],
  [PgOid.interval, 'interval', 'String'],
  [PgOid.timetz, 'timetz', 'String'],
  [PgOid.bit, 'bit', 'String'],
  [PgOid.varbit, 'varbit', 'String'],
  [PgOid.numeric, 'numeric', 'Decimal'],
  [PgOid.refcursor, 'refcursor', 'String'],
  [PgOid.regclass, 'regclass', 'String'],
  [PgOid.regtype, 'regtype', 'String'],
  [PgOid.record, 'record', 'String'],
  [PgOid.void, 'void', 'String'],
  [PgOid.uuid, 'uuid', 'Guid'],
  [PgOid.tsvector, 'tsvector', 'String'],
  [PgOid.jsonb, 'jsonb', 'Json'],
  [PgOid.jsonpath, 'jsonpath', 'String'],
  [PgOid.xid8, 'xid8', 'Int64'],
];

/** Array type OID → element type OID (`pg_type.typelem`). */
const ARRAYS: ReadonlyArray<readonly [oid: number, elementOid: number]> = [
  [1000, PgOid.bool],
  [1001, PgOid.bytea],
  [1002, PgOid.char],
  [1003, PgOid.name],
  [1005, PgOid.int2],
  [1007, PgOid.int4],
  [1009, PgOid.text],
  [1014, PgOid.bpchar],
  [1015, PgOid.varchar],
  [1016, PgOid.int8],
  [1021, PgOid.float4],
  [1022, PgOid.float8],
  [1028, PgOid.oid],
  [791, PgOid.money],
  [1231, PgOid.numeric],
  [1182, PgOid.date],
  [1183, PgOid.time],
  [1115, PgOid.timestamp],
  [1185, PgOid.timestamptz],
  [1187, PgOid.interval],
  [1270, PgOid.timetz],
  [2951, PgOid.uuid],
  [199, PgOid.json],
  [3807, PgOid.jsonb],
  [143, PgOid.xml],
  [1041, PgOid.inet],
  [651, PgOid.cidr],
];

const TYPES: ReadonlyMap<number, PgTypeInfo> = new Map<number, PgTypeInfo>([
  ...SCALARS.map(([oid, name, dbType]) => [oid, Object.freeze({ oid, name, dbType })] as const),
  ...ARRAYS.map(([oid, elementOid]) => {
    const element = SCALARS.find(([scalar]) => scalar === elementOid)!;
    return [oid, Object.freeze({ oid, name: `_${element[1]}`, dbType: 'Object' as const, elementOid })] as const;
  }),
]);

/** The built-in type with this OID, or undefined for types the provider does not know (enums, domains, composites…). */
export function pgTypeInfo(oid: number): PgTypeInfo | undefined {
  return TYPES.get(oid);
}

/** The OIDs of every type the provider knows. */
export function knownPgTypeOids(): number[] {
  return [...TYPES.keys()];
}
